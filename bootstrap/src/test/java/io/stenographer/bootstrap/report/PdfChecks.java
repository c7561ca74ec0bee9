package io.stenographer.bootstrap.report;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.verifier.pdf.PdfReportVerifierCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/** What an auditor does with a downloaded PDF report: validate it as PDF/A-3b, and verify it offline. */
final class PdfChecks {

    private static boolean veraReady;

    private PdfChecks() {
    }

    static synchronized List<String> pdfA3bFailures(byte[] pdf) throws Exception {
        if (!veraReady) {
            VeraGreenfieldFoundryProvider.initialise();
            veraReady = true;
        }
        try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf),
                PDFAFlavour.PDFA_3_B);
                PDFAValidator validator = Foundries.defaultInstance().createValidator(PDFAFlavour.PDFA_3_B, false)) {
            ValidationResult result = validator.validate(parser);
            return result.isCompliant() ? List.of() : result.getTestAssertions().stream()
                    .filter(assertion -> assertion.getStatus() == TestAssertion.Status.FAILED)
                    .map(assertion -> assertion.getRuleId().getClause() + ": " + assertion.getMessage())
                    .distinct().toList();
        }
    }

    /** Runs {@code verify-report-pdf} with the tenant's published verifier key; returns what it printed. */
    static String verifyOffline(byte[] pdf, String tenant) throws Exception {
        String key = given().when().get("/api/v1/logs/" + tenant + "/verifier-key").then().statusCode(200)
                .extract().asString().trim();
        Path file = Files.createTempFile("report", ".pdf");
        try {
            Files.write(file, pdf);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = PdfReportVerifierCli.run(new String[] {"verify-report-pdf", "--pdf", file.toString(),
                    "--key", key, "--origin", "stenographer.local/" + tenant},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as(printed).isEqualTo(PdfReportVerifierCli.OK);
            return printed;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
