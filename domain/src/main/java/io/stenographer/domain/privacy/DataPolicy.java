package io.stenographer.domain.privacy;

import io.stenographer.domain.event.Commitments;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.event.Pseudonym;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A tenant's data policy: which fields are personal, and which field names the data subject whose key encrypts
 * them. Applied at ingest by {@link #separate}: personal values leave the draft, commitments take their place.
 */
public record DataPolicy(SortedSet<PersonalField> personalFields, SubjectField subjectField) {

    /** Who a personal value belongs to: the actor by default, or the record acted on (a patient, a case). */
    public enum SubjectField {
        ACTOR_ID("actor.id"),
        RESOURCE_ID("resource.id");

        private final String path;

        SubjectField(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }

        public static SubjectField parse(String path) {
            for (SubjectField field : values()) {
                if (field.path.equals(path)) {
                    return field;
                }
            }
            throw new FieldViolation("subjectField", "must be actor.id or resource.id, was '" + path + "'");
        }
    }

    /** The fields the default marks personal: a person's name and where they connected from. */
    public static final DataPolicy DEFAULT = new DataPolicy(new TreeSet<>(List.of(PersonalField.ACTOR_DISPLAY_NAME,
            PersonalField.SOURCE_IP, PersonalField.SOURCE_USER_AGENT)), SubjectField.ACTOR_ID);

    /** Keeps every value in the leaf, as format v1 did. */
    public static final DataPolicy NOTHING_PERSONAL = new DataPolicy(new TreeSet<>(), SubjectField.ACTOR_ID);

    public DataPolicy {
        personalFields = Collections.unmodifiableSortedSet(new TreeSet<>(personalFields));
        if (subjectField == null) {
            throw new FieldViolation("subjectField", "is required");
        }
    }

    public static DataPolicy of(Collection<String> paths, String subjectField) {
        TreeSet<PersonalField> fields = new TreeSet<>();
        for (String path : paths) {
            fields.add(PersonalField.parse(path.strip()));
        }
        return new DataPolicy(fields, SubjectField.parse(subjectField.strip()));
    }

    /**
     * The draft split into what the leaf keeps and the personal values it commits to; {@code pseudonyms} are the
     * pseudonyms the committed draft holds in place of personal identifiers, by field.
     */
    public record Separation(EventDraft committedDraft, Commitments commitments, List<Disclosure> disclosures,
            String subjectId, Map<PersonalField, String> pseudonyms) {

        public Separation {
            disclosures = List.copyOf(disclosures);
            pseudonyms = Map.copyOf(pseudonyms);
        }

        public boolean hasPersonalData() {
            return !disclosures.isEmpty();
        }
    }

    /** The pseudonym of a personal identifier: a keyed hash only the tenant's key management can compute. */
    @FunctionalInterface
    public interface Pseudonyms {
        String of(String identifier);
    }

    /**
     * Takes every personal value out of the draft and commits to it under a fresh opening from {@code openings}
     * (32 random bytes from a CSPRNG each call); a personal identifier is replaced by its pseudonym. A draft with no
     * personal value comes back as it was.
     */
    public Separation separate(EventDraft draft, Supplier<byte[]> openings, Pseudonyms pseudonyms) {
        return separate(draft, field -> openings.get(), pseudonyms);
    }

    /**
     * As above with each field's opening given: a retry committed under the openings its first occurrence was
     * sealed with gives the same commitments exactly when it carries the same values.
     */
    public Separation separate(EventDraft draft, Function<PersonalField, byte[]> openingFor, Pseudonyms pseudonyms) {
        refusal(draft).ifPresent(violation -> {
            throw violation;
        });
        Map<PersonalField, Hash> commitments = new LinkedHashMap<>();
        Map<PersonalField, String> pseudonymsUsed = new LinkedHashMap<>();
        List<Disclosure> disclosures = new ArrayList<>();
        List<PersonalField> present = new ArrayList<>();
        for (PersonalField field : personalFields) {
            JsonValue value = field.valueIn(draft);
            if (value == null) {
                continue;
            }
            Disclosure disclosure = new Disclosure(field, value, openingFor.apply(field));
            disclosures.add(disclosure);
            commitments.put(field, disclosure.commitment());
            present.add(field);
            if (field.isIdentifier()) {
                pseudonymsUsed.put(field, pseudonyms.of(((JsonString) value).value()));
            }
        }
        EventDraft committed = PersonalField.committedIn(draft, present, pseudonymsUsed);
        return new Separation(committed, Commitments.of(commitments), disclosures, subjectOf(draft), pseudonymsUsed);
    }

    /**
     * Why this policy refuses a draft: an identifier it makes personal that already has the form of a pseudonym.
     * Searches take a pseudonym as itself, so such an id would be found as another subject's events.
     */
    public Optional<FieldViolation> refusal(EventDraft draft) {
        for (PersonalField field : personalFields) {
            if (field.isIdentifier() && field.valueIn(draft) instanceof JsonString id
                    && Pseudonym.isPseudonym(id.value())) {
                return Optional.of(new FieldViolation(field.path(), "has the form of a pseudonym ('"
                        + Pseudonym.PREFIX + "' and 64 hex digits), which this tenant's data policy reserves"));
            }
        }
        return Optional.empty();
    }

    /** Whether this policy replaces the identifier at {@code field} by its pseudonym. */
    public boolean pseudonymises(PersonalField field) {
        return field.isIdentifier() && personalFields.contains(field);
    }

    /**
     * How the events store an identifier this policy may have made personal: its pseudonym when the policy makes
     * {@code field} personal, else the identifier itself. Queries, holds and erasures search by this.
     */
    public String storedForm(PersonalField field, String identifier, Pseudonyms pseudonyms) {
        if (identifier == null || !pseudonymises(field) || Pseudonym.isPseudonym(identifier)) {
            return identifier; // a pseudonym copied from a listing is searched as itself
        }
        return pseudonyms.of(identifier);
    }

    /** True when the draft carries a value in any field this policy makes personal. */
    public boolean hasPersonalData(EventDraft draft) {
        return personalFields.stream().anyMatch(field -> field.valueIn(draft) != null);
    }

    /** The data subject of an event: its subject field, or its actor when it names no resource. */
    public String subjectOf(EventDraft draft) {
        return ((JsonString) subjectFieldOf(draft).valueIn(draft)).value();
    }

    /** The field naming an event's data subject: the policy's subject field, or actor.id when it names no resource. */
    public PersonalField subjectFieldOf(EventDraft draft) {
        return subjectField == SubjectField.RESOURCE_ID && draft.resource() != null ? PersonalField.RESOURCE_ID
                : PersonalField.ACTOR_ID;
    }
}
