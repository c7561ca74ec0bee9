package io.stenographer.verifier.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.adapters.reports.PdfReportRenderer;
import io.stenographer.adapters.reports.SampleReports;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.report.Redactor;
import io.stenographer.domain.report.ReportEvents;
import io.stenographer.domain.report.ReportFixture;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportType;
import io.stenographer.domain.report.bundle.ReportBundleWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfReportVerifierCliTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static ReportFixture log(int events) {
        ReportFixture log = new ReportFixture();
        for (int i = 0; i < events; i++) {
            log.add("u-" + (i % 3), "case.view", "C-1", i % 4 == 0 ? Outcome.DENIED : Outcome.SUCCESS,
                    i % 2 == 0 ? "ticket " + i : null, ReportFixture.T0.plusSeconds(60L * (i + 1)), null);
        }
        return log;
    }

    private int verify(byte[] pdf, String key) throws IOException {
        Path file = dir.resolve("report.pdf");
        Files.write(file, pdf);
        return PdfReportVerifierCli.run(new String[] {"verify-report-pdf", "--pdf", file.toString(), "--key", key},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRenderedReportVerifiesAndItsPrintedRowsMatchItsBundle() throws Exception {
        ReportFixture log = log(12);
        byte[] pdf = SampleReports.render(log, ReportType.RECORD_ACCESS, null);

        assertThat(verify(pdf, log.signer.verifier().toVerifierKey())).as(output()).isEqualTo(PdfReportVerifierCli.OK);
        assertThat(output()).startsWith("OK: report ").doesNotContain("OK: OK").contains("the 12 event rows printed in the PDF are the bundle's first 12");
    }

    @Test
    void aPublicRecordsExportWithWithheldLeafHashesVerifies() throws Exception {
        ReportFixture log = log(6);
        byte[] pdf = SampleReports.render(log, ReportType.FOIA_EXPORT,
                new Redactor(List.of("reason"), true, new byte[32]));

        assertThat(verify(pdf, log.signer.verifier().toVerifierKey())).as(output()).isEqualTo(PdfReportVerifierCli.OK);
        assertThat(output()).contains("6 event rows");
    }

    @Test
    void printedRowsThatAreNotTheBundlesEventsFail() throws Exception {
        ReportFixture log = log(8);
        ReportFixture.Built built = log.build(ReportType.RECORD_ACCESS, recordAccess(), ReportFormat.PDF, null);
        ReportEvents skippingTheFirst = sink -> {
            boolean[] first = {true};
            built.events().forEach(entry -> {
                if (!first[0]) {
                    sink.accept(entry);
                }
                first[0] = false;
            });
        };
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        new PdfReportRenderer(SampleReports.fonts()).renderPdf(built.document(), skippingTheFirst,
                bundle -> ReportBundleWriter.write(built.document(), built.events(), log.signer::sign, bundle), pdf);

        assertThat(verify(pdf.toByteArray(), log.signer.verifier().toVerifierKey()))
                .isEqualTo(PdfReportVerifierCli.FAILED);
        assertThat(output()).contains("printed row 1 shows event");
    }

    @Test
    void anEventWhoseTextLooksLikeAnIdLineCannotBreakOrFoolTheCheck() throws Exception {
        ReportFixture log = log(4);
        String forged = "event 11111111-1111-7111-8111-111111111111 leaf " + "ab".repeat(32);
        log.add(forged, "case.view", "C-1", Outcome.SUCCESS, forged, ReportFixture.T0.plusSeconds(7), null);
        byte[] pdf = SampleReports.render(log, ReportType.RECORD_ACCESS, null);

        assertThat(verify(pdf, log.signer.verifier().toVerifierKey())).as(output()).isEqualTo(PdfReportVerifierCli.OK);
        assertThat(output()).contains("the 5 event rows printed");
    }

    @Test
    void aPdfChangedAfterItWasWrittenFails() throws Exception {
        ReportFixture log = log(3);
        byte[] pdf = SampleReports.render(log, ReportType.RECORD_ACCESS, null);
        ByteArrayOutputStream changed = new ByteArrayOutputStream();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            document.getDocumentInformation().setTitle("Nothing to see");
            document.getDocumentInformation().getCOSObject().setNeedToBeUpdated(true);
            document.saveIncremental(changed);
        }

        assertThat(verify(changed.toByteArray(), log.signer.verifier().toVerifierKey()))
                .isEqualTo(PdfReportVerifierCli.FAILED);
        assertThat(output()).contains("changed after it was written");
    }

    @Test
    void anotherKeyOrNoAttachmentFails() throws Exception {
        ReportFixture log = log(3);
        byte[] pdf = SampleReports.render(log, ReportType.RECORD_ACCESS, null);

        assertThat(verify(pdf, new ReportFixture().signer.verifier().toVerifierKey()))
                .isEqualTo(PdfReportVerifierCli.FAILED);
        assertThat(output()).contains("FAIL: attached bundle:");

        ByteArrayOutputStream stripped = new ByteArrayOutputStream();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            document.getDocumentCatalog().setNames(null);
            document.save(stripped);
        }
        assertThat(verify(stripped.toByteArray(), log.signer.verifier().toVerifierKey()))
                .isEqualTo(PdfReportVerifierCli.FAILED);
        assertThat(output()).contains("has no attached report-bundle.zip");
    }

    @Test
    void usageErrorsSayWhatIsWrong() throws Exception {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(PdfReportVerifierCli.run(new String[] {"verify-report-pdf", "--pdf", "x.pdf"}, o, e))
                .isEqualTo(PdfReportVerifierCli.USAGE);
        assertThat(PdfReportVerifierCli.run(new String[] {"verify-report-pdf", "--pdf", dir.resolve("none.pdf")
                .toString(), "--key", "k"}, o, e)).isEqualTo(PdfReportVerifierCli.USAGE);
        assertThat(output()).contains("--key is required").contains("no such file");
    }

    private static ReportParameters recordAccess() {
        return ReportParameters.fromJson(ReportType.RECORD_ACCESS, (io.stenographer.domain.json.JsonObject)
                io.stenographer.domain.json.JsonParser.parse("{\"from\":\"2026-03-01T00:00:00Z\",\"to\":"
                        + "\"2026-03-02T00:00:00Z\",\"resourceType\":\"case\",\"resourceId\":\"C-1\"}", 4));
    }
}
