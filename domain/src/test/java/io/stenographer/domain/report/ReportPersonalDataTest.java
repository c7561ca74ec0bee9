package io.stenographer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.privacy.Disclosure;
import io.stenographer.domain.privacy.PersonalValueState;
import io.stenographer.domain.report.bundle.ReportBundleVerification;
import io.stenographer.domain.report.bundle.ReportBundleVerifier;
import io.stenographer.domain.report.bundle.ReportBundleWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A report with personal data: each v2 event's committed fields as its reader may see them, in the CSV cells and
 * status column, and in the bundle, whose verifier checks every revealed value against the leaf's commitment.
 */
class ReportPersonalDataTest {

    private static final DataPolicy POLICY = DataPolicy.of(List.of("actor.displayName", "source.ip",
            "source.userAgent"), "actor.id");
    private static final PersonalField NAME = PersonalField.parse("actor.displayName");

    private final ReportFixture log = new ReportFixture();
    /** The disclosures of each v2 event, by its index in the log. */
    private final Map<Integer, List<Disclosure>> disclosures = new HashMap<>();

    /** Appends the fixture's event again in v2: its personal fields committed, their values kept apart. */
    private void addCommitted(String actor, int second) {
        AuditEvent plain = log.add(actor, "case.view", "C-1", Outcome.SUCCESS, "ticket", ReportFixture.T0
                .plusSeconds(second), null);
        log.events.remove(plain);
        SecureRandom random = new SecureRandom();
        DataPolicy.Separation separated = POLICY.separate(plain.content(), () -> {
            byte[] opening = new byte[32];
            random.nextBytes(opening);
            return opening;
        }, io.stenographer.domain.privacy.TestPseudonyms.FIXED_KEY);
        log.events.add(AuditEvent.record(EventId.newTimeOrdered(plain.content().occurredAt(), new SplittableRandom(second)),
                plain.receivedAt(), plain.submittedBy(), separated.committedDraft(), separated.commitments()));
        disclosures.put(log.events.size() - 1, separated.disclosures());
    }

    /** The report's event table as a reader allowed to see personal data gets it: index 1's subject was erased. */
    private ReportEvents revealed(ReportFixture.Built built, Map<Integer, List<Disclosure>> shown) {
        return sink -> built.events().forEach(entry -> {
            Map<PersonalField, PersonalValueState> fields = new LinkedHashMap<>();
            List<Disclosure> values = shown.get((int) entry.index());
            if (entry.index() == 1) {
                disclosures.get(1).forEach(d -> fields.put(d.field(), new PersonalValueState.Erased()));
            } else {
                values.forEach(d -> fields.put(d.field(), new PersonalValueState.Revealed(d)));
            }
            sink.accept(entry.withPersonalData(fields));
        });
    }

    private ReportFixture.Built built(ReportFormat format) {
        // The writers and the verifier do not depend on the type; the fixture's own period report will do.
        return log.build(ReportType.FOIA_EXPORT, ReportParameters.period(ReportFixture.T0,
                ReportFixture.T0.plusSeconds(3600)), format, null);
    }

    private byte[] bundle(ReportEvents events, ReportFixture.Built built) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportBundleWriter.write(built.document(), events, body -> log.signer.sign(body), out);
        return out.toByteArray();
    }

    private ReportBundleVerification verify(byte[] zip) throws Exception {
        return new ReportBundleVerifier(log.signer.verifier(), ReportFixture.ORIGIN).verify(new ByteArrayInputStream(zip));
    }

    @Test
    void theCsvShowsRevealedValuesInTheirCellsAndEachFieldsStatus() throws Exception {
        addCommitted("user-0", 1);
        addCommitted("user-1", 2);
        ReportFixture.Built built = built(ReportFormat.CSV);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CsvReportWriter.write(revealed(built, disclosures), out);

        String[] rows = out.toString(StandardCharsets.UTF_8).split("\r\n");
        assertThat(rows[0]).endsWith("\"redactions\",\"personalData\"");
        assertThat(rows[1]).contains("Name of user-0").contains("192.0.2.1")
                .endsWith("\"actor.displayName=revealed source.ip=revealed source.userAgent=revealed\"");
        assertThat(rows[2]).doesNotContain("Name of user-1")
                .endsWith("\"actor.displayName=erased source.ip=erased source.userAgent=erased\"");
    }

    @Test
    void aBundleWithRevealedValuesVerifiesAndAValueThatIsNotTheCommittedOneFails() throws Exception {
        addCommitted("user-0", 1);
        addCommitted("user-1", 2);
        ReportFixture.Built built = built(ReportFormat.BUNDLE);

        ReportBundleVerification honest = verify(bundle(revealed(built, disclosures), built));
        assertThat(honest.failures()).isEmpty();

        // A generator that shows another name than the committed one signs a bundle the verifier still refuses.
        Map<Integer, List<Disclosure>> forged = new HashMap<>(disclosures);
        forged.put(0, disclosures.get(0).stream().map(d -> d.field().equals(NAME)
                ? new Disclosure(NAME, new JsonString("Somebody Else"), d.opening()) : d).toList());
        ReportBundleVerification lying = verify(bundle(revealed(built, forged), built));
        assertThat(lying.failures()).anySatisfy(failure -> assertThat(failure)
                .contains("the value of actor.displayName does not open the event's commitment"));
    }

    @Test
    void anEventWhoseReasonIsCommittedHasAReasonForTheUnjustifiedAccessRule() throws Exception {
        // The tenant makes reason personal: the stored event holds its commitment, not the text.
        DataPolicy reasonPersonal = DataPolicy.of(List.of("reason"), "actor.id");
        AuditEvent plain = log.add("ann", "case.view", "C-1", Outcome.SUCCESS, "court order 7", ReportFixture.T0,
                null);
        log.events.remove(plain);
        DataPolicy.Separation separated = reasonPersonal.separate(plain.content(), () -> new byte[32],
                io.stenographer.domain.privacy.TestPseudonyms.FIXED_KEY);
        log.events.add(AuditEvent.record(EventId.newTimeOrdered(ReportFixture.T0, new SplittableRandom(1)),
                plain.receivedAt(), plain.submittedBy(), separated.committedDraft(), separated.commitments()));
        assertThat(log.events.get(0).content().reason()).isNull();
        log.add("ben", "case.view", "C-2", Outcome.SUCCESS, null, ReportFixture.T0.plusSeconds(1), null);

        ReportParameters parameters = ReportParameters.fromJson(ReportType.UNJUSTIFIED_ACCESS, ReportRulesTest.json(
                "{\"from\":\"2026-03-01T00:00:00Z\",\"to\":\"2026-03-02T00:00:00Z\","
                        + "\"sensitiveActions\":[\"*.view\"]}"));
        ReportFixture.Built built = log.build(ReportType.UNJUSTIFIED_ACCESS, parameters, ReportFormat.JSON, null);

        assertThat(built.entries()).extracting(ReportEntry::index).containsExactly(1L);
        assertThat(built.document().findings()).extracting(Finding::subject).containsExactly("ben");
    }
}
