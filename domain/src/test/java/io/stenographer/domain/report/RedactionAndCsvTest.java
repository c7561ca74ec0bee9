package io.stenographer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.event.AuditEvent;
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
}
