package io.stenographer.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.bundle.BundleHeader;
import io.stenographer.domain.bundle.BundleWriter;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.privacy.DataPolicy.Separation;
import io.stenographer.domain.event.PersonalField;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify-bundle on an export whose log mixes v1 events and v2 events (personal values replaced by commitments): it
 * verifies offline without any personal value, and a v2 event whose commitment was altered fails.
 */
class VerifyBundleV2Test {

    private static final String ORIGIN = "example/acme";
    private static final TenantId TENANT = TenantId.of("acme");
    /** A policy beyond the default: the reason, one metadata key and the resource id (a pseudonym) are personal too. */
    private static final DataPolicy WIDE = DataPolicy.of(List.of("actor.displayName", "source.ip",
            "source.userAgent", "reason", "metadata.patientName", "resource.id"), "actor.id");

    private static final NoteSigner SIGNER = new NoteSigner(ORIGIN, Ed25519Keys.generate().getPrivate());
    private static final List<AuditEvent> EVENTS = new ArrayList<>();
    private static final InMemoryMerkleTree TREE = new InMemoryMerkleTree();

    @TempDir
    static Path dir;
    private static Path bundle;
    private static String text;

    @BeforeAll
    static void writeBundle() throws IOException {
        SplittableRandom random = new SplittableRandom(18);
        Instant start = Instant.parse("2026-06-01T09:00:00Z");
        for (int i = 0; i < 12; i++) {
            Instant at = start.plusSeconds(i);
            EventDraft draft = new EventDraft(TENANT, new Actor("officer-" + i, ActorType.USER, "Dana Doe " + i),
                    Action.of("record.view"), new ResourceRef("patient", "p-" + i), "care request " + i,
                    Outcome.SUCCESS, at, new Source("portal", "198.51.100." + i, "Mozilla/5.0 Dana"), null,
                    new JsonObject(Map.of("patientName", new JsonString("Erin Example " + i),
                            "page", new JsonNumber(i))), null);
            EventId id = EventId.newTimeOrdered(at, random);
            AuditEvent event;
            if (i % 3 == 0) {
                event = AuditEvent.record(id, at.plusMillis(2), "svc-portal", draft); // v1: written before the policy
            } else {
                DataPolicy policy = i % 3 == 1 ? DataPolicy.DEFAULT : WIDE;
                Separation separation = policy.separate(draft, () -> {
                    byte[] opening = new byte[32];
                    new java.security.SecureRandom().nextBytes(opening);
                    return opening;
                }, identifier -> io.stenographer.domain.event.Pseudonym.of(java.util.Arrays.copyOf(
                        identifier.getBytes(java.nio.charset.StandardCharsets.UTF_8), 32)));
                event = AuditEvent.record(id, at.plusMillis(2), "svc-portal", separation.committedDraft(),
                        separation.commitments());
            }
            EVENTS.add(event);
            TREE.append(event.leafHash());
        }
        bundle = write(dir.resolve("mixed.ndjson"), 0, EVENTS.size());
        text = Files.readString(bundle);
    }

    private static Path write(Path file, long from, long to) throws IOException {
        long size = TREE.size();
        try (OutputStream out = Files.newOutputStream(file)) {
            BundleWriter writer = BundleWriter.utf8(out);
            writer.header(new BundleHeader(ORIGIN, TENANT, from, to, size,
                    Checkpoint.of(ORIGIN, size, TREE.root(size)).sign(SIGNER).serialize(),
                    SIGNER.verifier().toVerifierKey()));
            for (long i = from; i < to; i++) {
                writer.entry(i, TREE.leafHash(i), EVENTS.get((int) i), TREE.inclusionProof(i, size));
            }
            writer.end();
        }
        return file;
    }

    private static Cli verify(Path file) {
        return Cli.run("verify-bundle", "--bundle", file.toString(), "--key", SIGNER.verifier().toVerifierKey(),
                "--origin", ORIGIN);
    }

    private static Path tampered(String name, String from, String to) throws IOException {
        assertThat(text).contains(from);
        return Files.writeString(dir.resolve(name), text.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to)));
    }

    /** A different hex digit in the same position. */
    private static String otherHex(String hex) {
        char first = hex.charAt(0);
        return (first == '0' ? '1' : '0') + hex.substring(1);
    }

    @Test
    void theFixtureMixesBothFormatsAndTheBundleHoldsNoPersonalValueOfAV2Event() {
        assertThat(EVENTS).extracting(AuditEvent::format).contains(SealedEventFormat.FORMAT,
                SealedEventFormat.FORMAT_V2);
        assertThat(text).contains("\"format\":\"stenographer.event/v1\"")
                .contains("\"format\":\"stenographer.event/v2\"").contains("\"personal\":{");
        for (AuditEvent event : EVENTS) {
            if (!event.personal().isEmpty()) {
                int i = EVENTS.indexOf(event);
                assertThat(text).doesNotContain("Dana Doe " + i + "\"").doesNotContain("198.51.100." + i + "\"")
                        .contains(event.personal().get(PersonalField.SOURCE_IP).hex());
            }
        }
        assertThat(text).as("WIDE made the reason and metadata.patientName personal")
                .doesNotContain("\"care request 2\"").doesNotContain("Erin Example 2\"");
    }

    @Test
    void aMixedBundleVerifiesOffline() {
        Cli result = verify(bundle);

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("OK: 12 entries, 12 events, 0 purged; all proofs verify against "
                + "checkpoint size 12 of example/acme\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void aSliceOfOnlyV2EventsVerifies() throws IOException {
        Cli result = verify(write(dir.resolve("slice.ndjson"), 1, 3));
        assertThat(result.exit()).as(result.toString()).isZero();
    }

    @Test
    void anAlteredCommitmentOfAV2EventFails() throws IOException {
        AuditEvent v2 = EVENTS.get(4);
        assertThat(v2.format()).isEqualTo(SealedEventFormat.FORMAT_V2);
        String commitment = v2.personal().get(PersonalField.ACTOR_DISPLAY_NAME).hex();

        Cli result = verify(tampered("altered.ndjson", commitment, otherHex(commitment)));

        assertThat(result.exit()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("FAIL: line 6: entry index 4 (event " + v2.id()
                + "): leaf hash does not match the event").contains("FAILED: ");
    }

    @Test
    void anAlteredCommitmentWithAMatchingLeafHashFailsTheInclusionProof() throws IOException {
        AuditEvent v2 = EVENTS.get(5);
        Hash commitment = v2.personal().get(PersonalField.SOURCE_IP);
        Map<PersonalField, Hash> altered = new java.util.TreeMap<>(v2.personal().byField());
        altered.put(PersonalField.SOURCE_IP, Hash.fromHex(otherHex(commitment.hex())));
        AuditEvent forged = AuditEvent.restore(v2.id(), v2.receivedAt(), v2.submittedBy(), v2.content(),
                io.stenographer.domain.event.Commitments.of(altered));
        // Only the event's own line changes (its leaf hash is also a sibling in entry 4's proof).
        String line = text.lines().filter(l -> l.contains(v2.id().toString())).findFirst().orElseThrow();
        assertThat(line).contains(v2.leafHash().hex()).contains(commitment.hex());
        Path file = Files.writeString(dir.resolve("forged.ndjson"), text.replace(line,
                line.replace(commitment.hex(), otherHex(commitment.hex()))
                        .replace(v2.leafHash().hex(), forged.leafHash().hex())));

        Cli result = verify(file);

        assertThat(result.exit()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("entry index 5 (event " + v2.id() + ")")
                .contains("inclusion proof does not lead to the root");
    }

    @Test
    void aRemovedCommitmentOrAV2EventRelabelledV1Fails() throws IOException {
        AuditEvent v2 = EVENTS.get(1);
        String ua = "\"source.userAgent\":\"" + v2.personal().get(PersonalField.SOURCE_USER_AGENT).hex() + "\"";
        Path removed = tampered("removed.ndjson", "," + ua, "");
        Cli withoutCommitment = verify(removed);
        assertThat(withoutCommitment.exit()).as(withoutCommitment.toString()).isEqualTo(1);
        assertThat(withoutCommitment.err()).contains("entry index 1");

        String line = text.lines().filter(l -> l.contains(v2.id().toString())).findFirst().orElseThrow();
        Path relabelled = Files.writeString(dir.resolve("relabelled.ndjson"), text.replace(line,
                line.replace("stenographer.event/v2", "stenographer.event/v1")));
        Cli asV1 = verify(relabelled);
        assertThat(asV1.exit()).as(asV1.toString()).isEqualTo(1);
        assertThat(asV1.err()).contains("entry index 1").doesNotContain("Dana");
        assertThat(new String(Files.readAllBytes(relabelled), StandardCharsets.UTF_8)).doesNotContain("Dana Doe 1\"");
    }
}
