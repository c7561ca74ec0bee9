package io.stenographer.domain.privacy;

import io.stenographer.domain.event.Commitment;
import io.stenographer.domain.event.Commitments;
import io.stenographer.domain.event.PersonalField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.SealedEventBytes;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SealedEventV2Test {

    private static final Instant AT = Instant.parse("2026-03-01T10:15:30.123456Z");

    static EventDraft draft() {
        return new EventDraft(TenantId.of("acme"), new Actor("u-17", ActorType.USER, "Jane Canary"),
                new Action("patient.record.viewed"), new ResourceRef("patient", "p-9"), "treatment",
                Outcome.SUCCESS, AT, new Source("ehr", "203.0.113.7", "Mozilla/5.0 canary"), null,
                new JsonObject(Map.of("email", new JsonString("jane@example.org"), "ward", new JsonString("4B"))),
                null);
    }

    /** Openings 0x01.., 0x02.., ...: deterministic, so the worked example in docs/FORMATS.md can be recomputed. */
    static Supplier<byte[]> countingOpenings() {
        int[] next = {1};
        return () -> {
            byte[] opening = new byte[Commitment.OPENING_LENGTH];
            Arrays.fill(opening, (byte) next[0]++);
            return opening;
        };
    }

    static AuditEvent sealed(DataPolicy policy) {
        DataPolicy.Separation separation = policy.separate(draft(), countingOpenings(), TestPseudonyms.FIXED_KEY);
        return AuditEvent.record(new EventId(UUID.fromString("0190f2a4-6b7c-7d8e-9f00-112233445566")), AT,
                "svc-ehr@https://idp.example", separation.committedDraft(), separation.commitments());
    }

    @Test
    void committingFieldsAllAtOnceGivesTheDraftOfCommittingThemOneByOne() {
        EventDraft draft = draft();
        List<PersonalField> all = List.of(PersonalField.ACTOR_ID, PersonalField.RESOURCE_ID,
                PersonalField.ACTOR_DISPLAY_NAME, PersonalField.SOURCE_IP, PersonalField.SOURCE_USER_AGENT,
                PersonalField.REASON, new PersonalField("metadata.email"), new PersonalField("metadata.ward"));
        for (int subset = 0; subset < 1 << all.size(); subset++) {
            List<PersonalField> fields = new java.util.ArrayList<>();
            Map<PersonalField, String> pseudonyms = new java.util.HashMap<>();
            EventDraft oneByOne = draft;
            for (int bit = 0; bit < all.size(); bit++) {
                if ((subset & 1 << bit) != 0) {
                    PersonalField field = all.get(bit);
                    String pseudonym = field.isIdentifier()
                            ? TestPseudonyms.FIXED_KEY.of(((JsonString) field.valueIn(draft)).value()) : null;
                    fields.add(field);
                    if (pseudonym != null) {
                        pseudonyms.put(field, pseudonym);
                    }
                    oneByOne = field.committedIn(oneByOne, pseudonym);
                }
            }
            assertThat(PersonalField.committedIn(draft, fields, pseudonyms)).as("fields %s", fields)
                    .isEqualTo(oneByOne);
        }
    }

    @Test
    void theStoredTextOfCommitmentsIsTheirCanonicalJson() {
        Map<PersonalField, io.stenographer.domain.merkle.Hash> byField = new java.util.HashMap<>();
        int n = 0;
        for (String path : List.of("actor.displayName", "actor.id", "reason", "resource.id", "source.ip",
                "source.userAgent", "metadata.Zeta", "metadata.alpha", "metadata.a-b", "metadata.a_b", "metadata.A9",
                "metadata.9")) {
            byte[] digest = new byte[32];
            Arrays.fill(digest, (byte) (0x11 * ++n));
            byField.put(new PersonalField(path), new io.stenographer.domain.merkle.Hash(digest));
        }
        Commitments commitments = Commitments.of(byField);

        String stored = commitments.canonicalTextOrNull();

        assertThat(stored).isEqualTo(CanonicalJson.canonicalize(commitments.toJson()));
        assertThat(Commitments.fromJson((JsonObject) JsonParser.parse(stored, 2))).isEqualTo(commitments);
        assertThat(Commitments.NONE.canonicalTextOrNull()).isNull();
    }

    /** The worked example of docs/FORMATS.md §1b, pinned: the v1 example's event under the default policy. */
    /** The event of the worked examples in docs/FORMATS.md. */
    private static EventDraft workedExampleDraft() {
        return new EventDraft(TenantId.of("acme"), new Actor("u-1029", ActorType.USER, "Dana Doe"),
                new Action("case.export"), new ResourceRef("background-check", "BC-2026-0042"),
                "Requested by HR ticket 4711", Outcome.SUCCESS, Instant.parse("2026-11-27T09:14:03.250Z"),
                new Source("portal", "192.0.2.10", "Mozilla/5.0"), "req-7f3a",
                (JsonObject) JsonParser.parse("{\"fields\":[\"ssn\",\"dob\"],\"rows\":1,\"ticket\":\"HR-4711 é\"}", 8),
                "portal-evt-000123");
    }

    @Test
    void theWorkedExampleOfTheFormatsDocument() {
        EventDraft draft = workedExampleDraft();
        DataPolicy.Separation separation = DataPolicy.DEFAULT.separate(draft, countingOpenings(), TestPseudonyms.FIXED_KEY);
        AuditEvent event = AuditEvent.record(EventId.parse("019ac4c2-55a1-7c3e-9b6d-2f1e0c8a7b11"),
                Instant.parse("2026-11-27T09:14:03.512345Z"), "svc-portal", separation.committedDraft(),
                separation.commitments());

        assertThat(event.leafInput()).hasSize(815);
        assertThat(event.leafHash().hex()).isEqualTo("01bd64ce5f3aeee0df049873cabcaceb753f9f8dd8b5abbec9cabf8d98e03fb4");
        assertThat(event.personal().get(PersonalField.ACTOR_DISPLAY_NAME).hex())
                .isEqualTo("3b34c8d511bf8a9c90628ca79873e07850f77facf4ebefd83d2c6d6cd1e9f400");
    }

    @Test
    void theWorkedExampleOfAPseudonymisedActorInTheFormatsDocument() {
        EventDraft draft = workedExampleDraft();
        DataPolicy policy = DataPolicy.of(List.of("actor.displayName", "actor.id", "source.ip", "source.userAgent"),
                "actor.id");
        DataPolicy.Separation separation = policy.separate(draft, countingOpenings(),
                identifier -> "pseudonym:" + "ab".repeat(32));
        AuditEvent event = AuditEvent.record(EventId.parse("019ac4c2-55a1-7c3e-9b6d-2f1e0c8a7b11"),
                Instant.parse("2026-11-27T09:14:03.512345Z"), "svc-portal", separation.committedDraft(),
                separation.commitments());

        assertThat(event.leafInput()).hasSize(961);
        assertThat(event.personal().get(PersonalField.ACTOR_ID).hex())
                .isEqualTo("b0220d7ae69506431e6ea0cda5a0e117ea1a575ef74dd34c438eaa3735f0a4e4");
        assertThat(event.leafHash().hex()).isEqualTo("4c3cc552f791b19c0efc56fbcd060080d4f32c3101cd9227954e6fad93e40c2d");
    }

    @Test
    void theDefaultPolicyTakesNameAddressAndUserAgentOutOfTheLeaf() {
        AuditEvent event = sealed(DataPolicy.DEFAULT);
        String leaf = new String(event.leafInput(), StandardCharsets.UTF_8);

        assertThat(event.format()).isEqualTo(SealedEventFormat.FORMAT_V2);
        assertThat(leaf).contains("\"format\":\"stenographer.event/v2\"")
                .contains("\"personal\":{\"actor.displayName\":\"", "\"source.ip\":\"", "\"source.userAgent\":\"")
                .doesNotContain("Jane Canary", "203.0.113.7", "Mozilla")
                .contains("\"reason\":\"treatment\"", "jane@example.org");
        assertThat(event.personal().byField()).containsOnlyKeys(PersonalField.ACTOR_DISPLAY_NAME,
                PersonalField.SOURCE_IP, PersonalField.SOURCE_USER_AGENT);
    }

    @Test
    void aTenantCanAddTheReasonAndMetadataKeys() {
        AuditEvent event = sealed(DataPolicy.of(List.of("reason", "metadata.email"), "actor.id"));
        String leaf = new String(event.leafInput(), StandardCharsets.UTF_8);

        assertThat(leaf).doesNotContain("treatment", "jane@example.org").contains("Jane Canary", "\"ward\":\"4B\"")
                .contains("\"metadata.email\":\"", "\"reason\":\"");
    }

    @Test
    void anEventWithNoPersonalValueStaysVersionOne() {
        EventDraft plain = new EventDraft(TenantId.of("acme"), new Actor("svc", ActorType.SERVICE, null),
                new Action("job.ran"), null, null, Outcome.SUCCESS, AT, new Source("cron", null, null), null, null,
                null);
        DataPolicy.Separation separation = DataPolicy.DEFAULT.separate(plain, countingOpenings(), TestPseudonyms.FIXED_KEY);

        assertThat(separation.hasPersonalData()).isFalse();
        assertThat(separation.committedDraft()).isEqualTo(plain);
        assertThat(AuditEvent.record(EventId.parse("0190f2a4-6b7c-7d8e-9f00-112233445566"), AT, "x", plain)
                .format()).isEqualTo(SealedEventFormat.FORMAT);
    }

    @Test
    void eachDisclosureOpensItsCommitmentAndNoOther() {
        DataPolicy.Separation separation = DataPolicy.DEFAULT.separate(draft(), countingOpenings(), TestPseudonyms.FIXED_KEY);
        Commitments commitments = separation.commitments();

        for (Disclosure disclosure : separation.disclosures()) {
            assertThat(disclosure.matches(commitments.get(disclosure.field()))).isTrue();
            Disclosure readBack = Disclosure.fromPlaintext(disclosure.field(), disclosure.plaintext());
            assertThat(readBack.matches(commitments.get(disclosure.field()))).isTrue();
            assertThat(readBack.value()).isEqualTo(disclosure.value());
        }
        Disclosure name = separation.disclosures().get(0);
        assertThat(new Disclosure(name.field(), new JsonString("Jane Canarx"), name.opening())
                .matches(commitments.get(name.field()))).isFalse();
        byte[] otherOpening = name.opening();
        otherOpening[0] ^= 1;
        assertThat(new Disclosure(name.field(), name.value(), otherOpening).matches(commitments.get(name.field())))
                .isFalse();
        // The same value and opening under another field's path is another commitment.
        assertThat(Commitment.of(name.opening(), PersonalField.REASON, name.value()))
                .isNotEqualTo(commitments.get(name.field()));
    }

    @Test
    void theSameValueCommitsDifferentlyUnderFreshOpenings() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        Supplier<byte[]> openings = () -> {
            byte[] opening = new byte[Commitment.OPENING_LENGTH];
            random.nextBytes(opening);
            return opening;
        };
        Commitments first = DataPolicy.DEFAULT.separate(draft(), openings, TestPseudonyms.FIXED_KEY).commitments();
        Commitments second = DataPolicy.DEFAULT.separate(draft(), openings, TestPseudonyms.FIXED_KEY).commitments();

        assertThat(first.get(PersonalField.SOURCE_IP)).isNotEqualTo(second.get(PersonalField.SOURCE_IP));
    }

    @Test
    void aV2EventReadsBackAndItsStoredBytesAreItsLeafInput() {
        AuditEvent event = sealed(DataPolicy.of(List.of("actor.displayName", "reason", "metadata.email"),
                "resource.id"));
        JsonObject json = (JsonObject) JsonParser.parse(new String(event.leafInput(), StandardCharsets.UTF_8), 32);

        assertThat(SealedEventFormat.fromJson(json)).isEqualTo(event);
        assertThat(StoredEventFields.of(event).restore()).isEqualTo(event);
        assertThat(SealedEventBytes.leafInput(StoredEventFields.of(event))).isEqualTo(event.leafInput());
    }

    @Test
    void theFormatNamedIsTheFormatHashed() {
        AuditEvent v2 = sealed(DataPolicy.DEFAULT);
        JsonObject json = (JsonObject) JsonParser.parse(new String(v2.leafInput(), StandardCharsets.UTF_8), 32);

        JsonObject claimingV1 = with(json, "format", new JsonString(SealedEventFormat.FORMAT));
        assertThatThrownBy(() -> SealedEventFormat.fromJson(claimingV1)).isInstanceOf(FieldViolation.class)
                .hasMessageContaining("personal");
        JsonObject withoutCommitments = without(json, "personal");
        assertThatThrownBy(() -> SealedEventFormat.fromJson(withoutCommitments))
                .isInstanceOf(FieldViolation.class).hasMessageContaining("personal");
        JsonObject emptyCommitments = with(json, "personal", JsonObject.EMPTY);
        assertThatThrownBy(() -> SealedEventFormat.fromJson(emptyCommitments))
                .isInstanceOf(FieldViolation.class);
        JsonObject badHash = with(json, "personal",
                new JsonObject(Map.of("source.ip", new JsonString("ABCD"))));
        assertThatThrownBy(() -> SealedEventFormat.fromJson(badHash)).isInstanceOf(FieldViolation.class)
                .hasMessageContaining("64 lower-case hex");
    }

    @Test
    void aFieldIsEitherInTheLeafOrCommittedNeverBoth() {
        AuditEvent v2 = sealed(DataPolicy.DEFAULT);

        assertThatThrownBy(() -> AuditEvent.restore(v2.id(), v2.receivedAt(), v2.submittedBy(), draft(),
                v2.personal())).isInstanceOf(FieldViolation.class).hasMessageContaining("must not also be present");
    }

    @Test
    void storedCommitmentsThatAreNotCanonicalAreRefusedNotHashed() {
        AuditEvent v2 = sealed(DataPolicy.DEFAULT);
        StoredEventFields stored = StoredEventFields.of(v2);
        String canonical = stored.personal();
        String hex = "0".repeat(64);
        for (String altered : List.of(
                canonical.replace("{\"actor.displayName\"", "{ \"actor.displayName\""),
                // A text trying to carry the neighbouring reason member into the hashed bytes.
                canonical.substring(0, canonical.length() - 1) + ",\"reason\":\"x\"}",
                "{\"source.ip\":\"" + hex + "\",\"actor.displayName\":\"" + hex + "\"}",
                "{\"source.ip\":\"" + hex.toUpperCase().replace('0', 'A') + "\"}",
                "{}",
                "{\"source.ip\":\"" + hex + "\"} ")) {
            StoredEventFields tampered = new StoredEventFields(stored.id(), stored.tenant(), stored.receivedAt(),
                    stored.submittedBy(), stored.actorId(), stored.actorType(), stored.actorDisplayName(),
                    stored.action(), stored.resourceType(), stored.resourceId(), stored.reason(), stored.outcome(),
                    stored.occurredAt(), stored.sourceApplication(), stored.sourceIp(), stored.sourceUserAgent(),
                    stored.correlationId(), stored.metadata(), stored.clientEventId(), altered);
            assertThatThrownBy(() -> SealedEventBytes.leafInput(tampered)).as(altered)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void fieldsThatCannotBePersonalAreRefused() {
        assertThatThrownBy(() -> DataPolicy.of(List.of("actor.type"), "actor.id")).isInstanceOf(FieldViolation.class)
                .hasMessageContaining("is not a field that can be personal");
        assertThatThrownBy(() -> DataPolicy.of(List.of("metadata.a.b"), "actor.id"))
                .isInstanceOf(FieldViolation.class).hasMessageContaining("metadata.<key>");
        assertThatThrownBy(() -> DataPolicy.of(List.of("source.ip"), "tenant")).isInstanceOf(FieldViolation.class)
                .hasMessageContaining("actor.id or resource.id");
    }

    @Test
    void aPersonalIdentifierIsReplacedByItsPseudonymAndCommittedTo() {
        DataPolicy policy = DataPolicy.of(List.of("actor.id", "resource.id", "source.ip"), "actor.id");
        DataPolicy.Separation separation = policy.separate(draft(), countingOpenings(), TestPseudonyms.FIXED_KEY);

        String actorPseudonym = TestPseudonyms.FIXED_KEY.of("u-17");
        assertThat(separation.committedDraft().actor().id()).isEqualTo(actorPseudonym);
        assertThat(separation.committedDraft().resource().id()).isEqualTo(TestPseudonyms.FIXED_KEY.of("p-9"));
        assertThat(separation.pseudonyms()).containsOnlyKeys(PersonalField.ACTOR_ID, PersonalField.RESOURCE_ID);
        assertThat(separation.commitments().byField()).containsKeys(PersonalField.ACTOR_ID, PersonalField.RESOURCE_ID);
        assertThat(separation.subjectId()).as("the key is the real subject's, not the pseudonym's").isEqualTo("u-17");

        AuditEvent event = AuditEvent.record(EventId.parse("0190f2a4-6b7c-7d8e-9f00-112233445566"),
                Instant.parse("2026-03-01T10:15:31Z"), "svc", separation.committedDraft(), separation.commitments());
        String leaf = new String(event.leafInput(), StandardCharsets.UTF_8);
        assertThat(leaf).contains(actorPseudonym).doesNotContain("\"u-17\"", "\"p-9\"");
        AuditEvent parsed = SealedEventFormat.fromJson(SealedEventFormat.toJson(event));
        assertThat(parsed.leafHash()).isEqualTo(event.leafHash());
        assertThat(SubjectIndex.ofPseudonym(parsed.content().actor().id())).isPresent();
    }

    @Test
    void aCommittedIdentifierMustHoldAPseudonym() {
        DataPolicy policy = DataPolicy.of(List.of("actor.id"), "actor.id");
        DataPolicy.Separation separation = policy.separate(draft(), countingOpenings(), TestPseudonyms.FIXED_KEY);
        EventId id = EventId.parse("0190f2a4-6b7c-7d8e-9f00-112233445566");
        Instant at = Instant.parse("2026-03-01T10:15:31Z");

        assertThatThrownBy(() -> AuditEvent.record(id, at, "svc", draft(), separation.commitments()))
                .as("the real id beside its commitment would publish it").isInstanceOf(FieldViolation.class)
                .hasMessageContaining("must hold its pseudonym");
        assertThatThrownBy(() -> policy.separate(draft(), countingOpenings(), identifier -> identifier + "-masked"))
                .isInstanceOf(FieldViolation.class).hasMessageContaining("64 hex digits");
    }

    @Test
    void anIdShapedLikeAPseudonymIsRefusedWhereTheIdIsPersonal() {
        DataPolicy personal = DataPolicy.of(List.of("resource.id"), "actor.id");
        EventDraft lookalike = PersonalField.RESOURCE_ID.committedIn(draft(), "pseudonym:" + "ab".repeat(32));
        assertThat(personal.refusal(lookalike)).hasValueSatisfying(violation -> {
            assertThat(violation.field()).isEqualTo("resource.id");
            assertThat(violation.getMessage()).contains("has the form of a pseudonym");
        });
        assertThatThrownBy(() -> personal.separate(lookalike, countingOpenings(), TestPseudonyms.FIXED_KEY))
                .isInstanceOf(FieldViolation.class);
        assertThat(personal.refusal(draft())).isEmpty();
        assertThat(DataPolicy.DEFAULT.refusal(lookalike)).as("an id that is not personal is only an id").isEmpty();
    }

    @Test
    void searchesUseTheFormTheEventsStore() {
        DataPolicy personal = DataPolicy.of(List.of("actor.id"), "actor.id");
        assertThat(personal.storedForm(PersonalField.ACTOR_ID, "u-17", TestPseudonyms.FIXED_KEY))
                .isEqualTo(TestPseudonyms.FIXED_KEY.of("u-17"));
        assertThat(personal.storedForm(PersonalField.RESOURCE_ID, "p-9", TestPseudonyms.FIXED_KEY)).isEqualTo("p-9");
        assertThat(personal.storedForm(PersonalField.ACTOR_ID, null, TestPseudonyms.FIXED_KEY)).isNull();
        String pseudonym = TestPseudonyms.FIXED_KEY.of("u-17");
        assertThat(personal.storedForm(PersonalField.ACTOR_ID, pseudonym, TestPseudonyms.FIXED_KEY))
                .as("a pseudonym copied from a listing is searched as itself").isEqualTo(pseudonym);
        assertThat(DataPolicy.DEFAULT.storedForm(PersonalField.ACTOR_ID, "u-17", TestPseudonyms.FIXED_KEY))
                .isEqualTo("u-17");
    }

    @Test
    void theSubjectIsTheConfiguredFieldOrTheActor() {
        DataPolicy byResource = DataPolicy.of(List.of("source.ip"), "resource.id");
        assertThat(byResource.subjectOf(draft())).isEqualTo("p-9");
        assertThat(DataPolicy.DEFAULT.subjectOf(draft())).isEqualTo("u-17");
    }

    @Test
    void aDisclosedValueGoesBackWhereItCameFrom() {
        DataPolicy policy = DataPolicy.of(List.of("actor.id", "actor.displayName", "resource.id", "source.ip",
                "source.userAgent", "reason", "metadata.email"), "actor.id");
        DataPolicy.Separation separation = policy.separate(draft(), countingOpenings(), TestPseudonyms.FIXED_KEY);
        EventDraft restored = separation.committedDraft();
        for (Disclosure disclosure : separation.disclosures()) {
            restored = disclosure.field().restoreInto(restored, disclosure.value());
        }
        assertThat(CanonicalJson.canonicalize(SealedEventFormat.clientFields(restored)))
                .isEqualTo(CanonicalJson.canonicalize(SealedEventFormat.clientFields(draft())));
    }

    private static JsonObject with(JsonObject json, String name, io.stenographer.domain.json.JsonValue value) {
        var members = new java.util.LinkedHashMap<>(json.members());
        members.put(name, value);
        return new JsonObject(members);
    }

    private static JsonObject without(JsonObject json, String name) {
        var members = new java.util.LinkedHashMap<>(json.members());
        members.remove(name);
        return new JsonObject(members);
    }
}
