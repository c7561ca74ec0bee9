package io.stenographer.domain.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.KeySet;
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
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.event.Commitments;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.privacy.DataPolicy.Separation;
import io.stenographer.domain.event.PersonalField;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The stream formats with v2 events: native, OCSF and CEF render an event whose personal values were replaced by
 * commitments without any of those values and without failing; the native record and OCSF's unmapped copy carry the
 * sealed event with its commitments, so a stream of mixed v1 and v2 events verifies and an altered commitment fails.
 */
class StreamFormatsV2Test {

    private static final String ORIGIN = "example/acme";
    private static final String TENANT = "acme";
    private static final List<String> PERSONAL = List.of("Dana Doe", "198.51.100.7", "DanaBrowser/1.0",
            "court order 77", "Erin Example");
    private static final DataPolicy WIDE = DataPolicy.of(List.of("actor.displayName", "source.ip",
            "source.userAgent", "reason", "metadata.patientName"), "actor.id");

    private final NoteSigner signer = new NoteSigner(ORIGIN, Ed25519Keys.generate().getPrivate());
    private final List<AuditEvent> events = new ArrayList<>();
    private final InMemoryMerkleTree tree = new InMemoryMerkleTree();

    StreamFormatsV2Test() {
        SplittableRandom random = new SplittableRandom(77);
        SecureRandom openings = new SecureRandom();
        Instant start = Instant.parse("2026-12-01T09:00:00Z");
        String[] actions = {"record.view", "user.login", "account.disable", "record.export"};
        for (int i = 0; i < 12; i++) {
            Instant at = start.plusSeconds(i);
            EventDraft draft = new EventDraft(TenantId.of(TENANT), new Actor("officer-" + i, ActorType.USER,
                    "Dana Doe"), Action.of(actions[i % actions.length]),
                    new ResourceRef("patient", "p-" + i), "court order 77", i % 4 == 2 ? Outcome.DENIED
                            : Outcome.SUCCESS, at, new Source("portal", "198.51.100.7", "DanaBrowser/1.0"), "req-" + i,
                    new JsonObject(Map.of("patientName", new JsonString("Erin Example"), "page", new JsonNumber(i))),
                    null);
            EventId id = EventId.newTimeOrdered(at, random);
            AuditEvent event;
            if (i % 3 == 0) {
                event = AuditEvent.record(id, at.plusMillis(3), "svc-portal", draft);
            } else {
                Separation separation = WIDE.separate(draft, () -> {
                    byte[] opening = new byte[32];
                    openings.nextBytes(opening);
                    return opening;
                }, io.stenographer.domain.privacy.TestPseudonyms.FIXED_KEY);
                event = AuditEvent.record(id, at.plusMillis(3), "svc-portal", separation.committedDraft(),
                        separation.commitments());
            }
            events.add(event);
            tree.append(event.leafHash());
        }
    }

    private AuditEvent v2() {
        return events.get(1);
    }

    private static void assertNoPersonalValue(String rendered) {
        for (String value : PERSONAL) {
            assertThat(rendered).as("holds '%s'", value).doesNotContain(value);
        }
    }

    private List<String> nativeStream() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            lines.add(StreamRecordFormat.write(StreamRecord.of(i, events.get(i))));
        }
        lines.add(StreamRecordFormat.write(StreamCheckpointRecord.of(TENANT,
                Checkpoint.of(ORIGIN, events.size(), tree.root(events.size())).sign(signer).serialize(), 0,
                events.size(), tree)));
        return lines;
    }

    private StreamVerification verify(List<String> lines, StreamVerifier.Format format) {
        StreamVerifier verifier = new StreamVerifier(KeySet.single(signer.verifier()), ORIGIN, format);
        lines.forEach(verifier::accept);
        return verifier.finish();
    }

    @Test
    void theNativeRecordCarriesTheSealedEventWithItsCommitmentsAndNoValue() {
        AuditEvent event = v2();
        assertThat(event.format()).isEqualTo(SealedEventFormat.FORMAT_V2);
        StreamRecord record = StreamRecord.of(5, event);

        String line = StreamRecordFormat.write(record);

        assertNoPersonalValue(line);
        assertThat(line).contains("\"format\":\"stenographer.event/v2\"").contains("\"personal\":{");
        for (PersonalField field : event.personal().byField().keySet()) {
            assertThat(line).contains("\"" + field.path() + "\":\"" + event.personal().get(field).hex() + "\"");
        }
        StreamRecord read = (StreamRecord) StreamRecordFormat.parse(line);
        assertThat(read).isEqualTo(record);
        StreamEvents.Leaf leaf = StreamEvents.leafOf(read.event());
        assertThat(leaf.leafHash()).isEqualTo(event.leafHash());
        assertThat(leaf.event().personal()).isEqualTo(event.personal());
        assertThat(leaf.event()).isEqualTo(event);
    }

    @Test
    void ocsfRendersAV2EventWithoutAnyValueAndReadsBackWithoutMismatches() {
        for (OcsfMapping mapping : List.of(OcsfMapping.DEFAULT)) {
            for (int i = 0; i < events.size(); i++) {
                AuditEvent event = events.get(i);
                JsonObject ocsf = OcsfFormat.toOcsf(StreamRecord.of(i, event), mapping);
                assertThat(OcsfSchemaValidator.violations(ocsf)).as("event %d: %s", i, ocsf).isEmpty();
                OcsfFormat.Read read = OcsfFormat.read(ocsf);
                assertThat(read.mismatches()).as("event %d", i).isEmpty();
                assertThat(read.record().leafHash()).isEqualTo(event.leafHash());
                if (!event.personal().isEmpty()) {
                    String text = CanonicalJson.canonicalize(ocsf);
                    assertNoPersonalValue(text);
                    assertThat(text).contains(event.personal().get(PersonalField.SOURCE_IP).hex());
                    assertThat(ocsf.get("message")).as("the reason was personal").isNull();
                    assertThat(ocsf.get("http_request")).isNull();
                    assertThat(((JsonObject) ocsf.get("src_endpoint")).get("ip")).isNull();
                    assertThat(StreamEvents.leafHashOf(read.record().event())).isEqualTo(event.leafHash());
                }
            }
        }
    }

    @Test
    void cefRendersAV2EventWithoutAnyValue() {
        AuditEvent event = v2();

        String line = CefFormat.toCef(StreamRecord.of(1, event));

        assertNoPersonalValue(line);
        assertThat(line).doesNotContain("\n").startsWith("CEF:0|Stenographer|Stenographer|stream/v1|")
                .contains("externalId=" + event.id()).contains("cs2=" + event.leafHash().hex())
                .contains("suid=officer-1").doesNotContain(" suser=").doesNotContain(" src=")
                .doesNotContain(" reason=").doesNotContain("requestClientApplication=");
        // The v1 events of the same log still carry their values: the policy applied at ingest decides.
        assertThat(CefFormat.toCef(StreamRecord.of(0, events.get(0)))).contains("suser=Dana Doe")
                .contains("src=198.51.100.7");
    }

    @Test
    void aMixedNativeStreamAndItsOcsfFormVerify() {
        List<String> lines = nativeStream();
        StreamVerification result = verify(lines, StreamVerifier.Format.NATIVE);
        assertThat(result.failures()).isEmpty();
        assertThat(result.ok()).isTrue();

        List<String> ocsf = new ArrayList<>();
        for (String line : lines) {
            ocsf.add(StreamRecordFormat.parse(line) instanceof StreamRecord record
                    ? CanonicalJson.canonicalize(OcsfFormat.toOcsf(record, OcsfMapping.DEFAULT)) : line);
        }
        StreamVerification ocsfResult = verify(ocsf, StreamVerifier.Format.OCSF);
        assertThat(ocsfResult.failures()).isEmpty();
        assertThat(ocsfResult.ok()).isTrue();
    }

    @Test
    void anAlteredCommitmentInTheStreamFails() {
        List<String> lines = nativeStream();
        AuditEvent event = v2();
        String commitment = event.personal().get(PersonalField.ACTOR_DISPLAY_NAME).hex();
        String altered = (commitment.charAt(0) == '0' ? "1" : "0") + commitment.substring(1);
        lines.set(1, lines.get(1).replace(commitment, altered));

        StreamVerification result = verify(lines, StreamVerifier.Format.NATIVE);

        assertThat(result.ok()).isFalse();
        assertThat(result.failures()).anyMatch(failure -> failure.startsWith("line 2: index 1: leaf hash "));
    }

    @Test
    void aV2EventWithItsCommitmentsDroppedIsNoLongerTheSameLeaf() {
        AuditEvent event = v2();
        AuditEvent stripped = AuditEvent.restore(event.id(), event.receivedAt(), event.submittedBy(),
                event.content(), Commitments.NONE);
        assertThat(stripped.leafHash()).isNotEqualTo(event.leafHash());
        List<String> lines = nativeStream();
        lines.set(1, StreamRecordFormat.write(new StreamRecord(1, event.leafHash(), TENANT,
                SealedEventFormat.toJson(stripped))));

        StreamVerification result = verify(lines, StreamVerifier.Format.NATIVE);

        assertThat(result.ok()).isFalse();
        assertThat(result.failures()).anyMatch(failure -> failure.startsWith("line 2: index 1: "));
    }
}
