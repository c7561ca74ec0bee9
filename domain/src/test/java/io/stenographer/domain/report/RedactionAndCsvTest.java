package io.stenographer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactionAndCsvTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void namedFieldsAreRemovedAtAnyDepthIncludingInsideArrays() {
        ReportFixture log = new ReportFixture();
        AuditEvent event = log.add("ann", "case.view", "C-1", Outcome.SUCCESS, "ticket", ReportFixture.T0,
                ReportRulesTest.json("{\"ssn\":\"123\",\"keep\":1,\"subject\":{\"dob\":\"1990\",\"name\":\"x\"},"
                        + "\"rows\":[{\"ssn\":\"9\",\"n\":1},{\"n\":2}]}"));
        Redactor redactor = new Redactor(List.of("metadata.ssn", "metadata.subject.dob", "metadata.rows.ssn",
                "metadata.absent", "source.ip", "reason"), false, null);
        Redactor.Redacted redacted = redactor.redact(event);
        String json = CanonicalJson.canonicalize(redacted.event());
        assertThat(json).doesNotContain("123", "1990", "\"ssn\"", "192.0.2.1", "ticket");
        assertThat(ReportJson.at(redacted.event(), "metadata.subject.name")).isNotNull();
        assertThat(json).contains("\"rows\":[{\"n\":1},{\"n\":2}]", "\"keep\":1");
        assertThat(redacted.changes()).containsExactly("metadata.rows.ssn", "metadata.ssn", "metadata.subject.dob",
                "reason", "source.ip");
    }

    @Test
    void aPathRemovesKeysWithDotsInThemAsWellAsNestedOnes() {
        ReportFixture log = new ReportFixture();
        AuditEvent event = log.add("ann", "case.view", "C-1", Outcome.SUCCESS, "ticket", ReportFixture.T0,
                ReportRulesTest.json("{\"patient.name\":\"Jane\",\"patient\":{\"name\":\"Joe\",\"ward\":\"W3\"},"
                        + "\"a\":{\"b.c\":{\"d\":\"Xeno\"}},\"rows\":[{\"s.n\":\"Nine\"},{\"s\":{\"n\":\"Ten\"}}],"
                        + "\"patient.names\":\"kept\"}"));
        Redactor redactor = new Redactor(List.of("metadata.patient.name", "metadata.a.b.c.d", "metadata.rows.s.n"),
                false, null);

        Redactor.Redacted redacted = redactor.redact(event);

        // Each path once reached only nested objects: "patient.name" was published in clear though redacted.
        String json = CanonicalJson.canonicalize(redacted.event());
        assertThat(json).doesNotContain("Jane", "Joe", "Xeno", "Nine", "Ten");
        assertThat(json).contains("\"ward\":\"W3\"", "\"patient.names\":\"kept\"");
        assertThat(redacted.changes()).containsExactly("metadata.a.b.c.d", "metadata.patient.name",
                "metadata.rows.s.n");
    }

    @Test
    void anyMetadataNameIngestAcceptsCanBeNamedForRedaction() {
        ReportFixture log = new ReportFixture();
        AuditEvent event = log.add("ann", "case.view", "C-1", Outcome.SUCCESS, "ticket", ReportFixture.T0,
                ReportRulesTest.json("{\"patient name\":\"Jane\",\"e-mail/addr\":\"j@example.org\","
                        + "\"\u60a3\u8005\":{\"\u540d\u524d\":\"Yamada\"},\"a,b\":\"Comma\",\" pad \":\"Padded\","
                        + "\"kept\":\"yes\"}"));
        List<String> paths = List.of("metadata.patient name", "metadata.e-mail/addr", "metadata.\u60a3\u8005.\u540d\u524d",
                "metadata.a,b", "metadata. pad ");
        paths.forEach(path -> Redactor.checkPath("redactFields", path));

        Redactor.Redacted redacted = new Redactor(paths, false, null).redact(event);

        String json = CanonicalJson.canonicalize(redacted.event());
        assertThat(json).doesNotContain("Jane", "j@example.org", "Yamada", "Comma", "Padded").contains("\"kept\"");
        assertThat(redacted.changes()).containsExactlyInAnyOrderElementsOf(paths);
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata.a\u0000b", "metadata.line\nbreak", "metadata.\u007f", "ssn", "metadata",
            "actor.id"})
    void pathsWithControlCharactersOrOutsideMetadataAreRefused(String path) {
        assertThatThrownBy(() -> Redactor.checkPath("redactFields", path)).isInstanceOf(FieldViolation.class);
    }

    @Test
    void aPathIsAtMostItsLimitLong() {
        String longest = "metadata." + "k".repeat(Redactor.MAX_PATH_LENGTH - "metadata.".length());
        Redactor.checkPath("redactFields", longest);
        assertThatThrownBy(() -> Redactor.checkPath("redactFields", longest + "k"))
                .isInstanceOf(FieldViolation.class).hasMessageContaining("1024");
    }

    @Test
    void pseudonymsAreConsistentWithinAReportAndUnlinkableAcrossReports() {
        ReportFixture log = new ReportFixture();
        AuditEvent first = log.add("ann", "case.view", Outcome.SUCCESS, "r", ReportFixture.T0);
        AuditEvent second = log.add("ann", "case.edit", Outcome.SUCCESS, "r", ReportFixture.T0);
        AuditEvent other = log.add("ben", "case.edit", Outcome.SUCCESS, "r", ReportFixture.T0);
        Redactor redactor = new Redactor(List.of(), true, SECRET);
        String a1 = ReportJson.string(redactor.redact(first).event(), "actor.id");
        String a2 = ReportJson.string(redactor.redact(second).event(), "actor.id");
        String b = ReportJson.string(redactor.redact(other).event(), "actor.id");
        assertThat(a1).isEqualTo(a2).startsWith("p-").hasSize(18).isNotEqualTo(b);
        byte[] otherSecret = SECRET.clone();
        otherSecret[0] ^= 1;
        assertThat(ReportJson.string(new Redactor(List.of(), true, otherSecret).redact(first).event(), "actor.id"))
                .isNotEqualTo(a1);
        JsonObject published = redactor.redact(first).event();
        String text = CanonicalJson.canonicalize(published);
        assertThat(text).doesNotContain("ann", "Name of", "svc-portal", new String(SECRET, StandardCharsets.US_ASCII));
        assertThat(redactor.redact(first).changes()).containsExactly("actor.displayName", "actor.id", "submittedBy");
        assertThat(new Redactor(List.of("metadata.none"), false, null).redact(first).changes()).isEmpty();
    }

    @Test
    void besidePseudonymsTheServicesOwnMetadataIsWithheldAndAStoredPseudonymIsMadePerReport() {
        java.time.Instant at = ReportFixture.T0;
        // A retention approval: its metadata names the approving staff in clear.
        AuditEvent approval = AuditEvent.record(io.stenographer.domain.event.EventId.newTimeOrdered(at,
                new java.util.SplittableRandom(1)), at, "admin-2", new io.stenographer.domain.event.EventDraft(
                        ReportFixture.TENANT, new io.stenographer.domain.event.Actor("admin-2",
                                io.stenographer.domain.event.ActorType.USER, null),
                        io.stenographer.domain.event.Action.of("retention.policy.shortening-approved"),
                        new io.stenographer.domain.event.ResourceRef("retention-policy", "cases"), null,
                        Outcome.SUCCESS, at, new io.stenographer.domain.event.Source("stenographer", null, null), null,
                        new JsonObject(java.util.Map.of("proposedBy",
                                new io.stenographer.domain.json.JsonString("admin-1"))), null));
        // A patient's record in a tenant that stores resource ids as their keyed pseudonym.
        String stored = "pseudonym:" + "ab".repeat(32);
        AuditEvent view = AuditEvent.record(io.stenographer.domain.event.EventId.newTimeOrdered(at,
                new java.util.SplittableRandom(2)), at, "svc", new io.stenographer.domain.event.EventDraft(
                        ReportFixture.TENANT, new io.stenographer.domain.event.Actor("ann",
                                io.stenographer.domain.event.ActorType.USER, null),
                        io.stenographer.domain.event.Action.of("record.view"),
                        new io.stenographer.domain.event.ResourceRef("record", stored), null, Outcome.SUCCESS, at,
                        new io.stenographer.domain.event.Source("portal", null, null), null, JsonObject.EMPTY, null));
        Redactor redactor = new Redactor(List.of(), true, SECRET);

        Redactor.Redacted published = redactor.redact(approval);
        assertThat(CanonicalJson.canonicalize(published.event())).doesNotContain("admin-1", "admin-2");
        assertThat(published.changes()).contains("metadata");
        String resource = ReportJson.string(redactor.redact(view).event(), "resource.id");
        assertThat(resource).startsWith("p-").isNotEqualTo(stored)
                .isEqualTo(ReportJson.string(redactor.redact(view).event(), "resource.id"));
        byte[] otherSecret = SECRET.clone();
        otherSecret[0] ^= 1;
        assertThat(ReportJson.string(new Redactor(List.of(), true, otherSecret).redact(view).event(), "resource.id"))
                .as("another export does not link").isNotEqualTo(resource);
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\uFF1D1+1"})
    void cellsThatCouldStartAFormulaAreEscaped(String value) {
        String cell = CsvCells.escape(value);
        assertThat(cell).startsWith("\"'");
        assertThat(cell.substring(2, cell.length() - 1)).isEqualTo(value);
    }

    @Test
    void rfc4180QuotingAndRows() {
        assertThat(CsvCells.escape("plain")).isEqualTo("\"plain\"");
        assertThat(CsvCells.escape("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvCells.escape("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvCells.escape("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CsvCells.escape("x=1")).isEqualTo("\"x=1\"");
        assertThat(CsvCells.escape(null)).isEqualTo("\"\"");
        assertThat(CsvCells.escape("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(CsvCells.row(List.of("a", "=b", ""))).isEqualTo("\"a\",\"'=b\",\"\"\r\n");
    }

    @Test
    void csvReportWritesOneEscapedRowPerEvent() throws Exception {
        ReportFixture log = new ReportFixture();
        log.add("=cmd|' /C calc'!A0", "case.view", "C-1", Outcome.SUCCESS, "-2+3", ReportFixture.T0, null);
        log.add("ann", "case.view", "C-1", Outcome.SUCCESS, "tab\there, \"quoted\"", ReportFixture.T0, null);
        ReportFixture.Built built = log.build(ReportType.FOIA_EXPORT,
                ReportParameters.period(ReportFixture.T0, ReportFixture.T0.plusSeconds(60)), ReportFormat.CSV, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvReportWriter.write(built.events(), out);
        String csv = out.toString(StandardCharsets.UTF_8);
        assertThat(csv).startsWith(CsvCells.row(CsvReportWriter.COLUMNS));
        assertThat(csv).contains(",\"'=cmd|' /C calc'!A0\",", ",\"'-2+3\",", ",\"tab\there, \"\"quoted\"\"\",");
        assertThat(Arrays.stream(csv.split("\r\n"))).hasSize(3);
    }

    /** Paths may hold spaces and commas, so the column lists them as a JSON array: a joined list could not be split. */
    @Test
    void theRedactionsColumnSaysWhereEachPathEnds() throws Exception {
        ReportFixture log = new ReportFixture();
        log.add("ann", "case.view", "C-1", Outcome.SUCCESS, "r", ReportFixture.T0,
                ReportRulesTest.json("{\"patient name\":\"Jane\",\"a,b\":\"x\"}"));
        log.add("ben", "case.view", "C-2", Outcome.SUCCESS, "r", ReportFixture.T0, null);
        ReportFixture.Built built = log.build(ReportType.FOIA_EXPORT,
                ReportParameters.period(ReportFixture.T0, ReportFixture.T0.plusSeconds(60)), ReportFormat.CSV,
                new Redactor(List.of("metadata.patient name", "metadata.a,b"), false, null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CsvReportWriter.write(built.events(), out);

        String[] rows = out.toString(StandardCharsets.UTF_8).split("\r\n");
        int column = CsvReportWriter.COLUMNS.indexOf("redactions");
        assertThat(rows[1]).contains("\"[\"\"metadata.a,b\"\",\"\"metadata.patient name\"\"]\"");
        assertThat(rows[2].split("\",\"", -1)[column]).as("an unchanged event's cell is empty").isEmpty();
    }
}
