package io.stenographer.adapters.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.RenderReportPort;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.report.Redactor;
import io.stenographer.domain.report.ReportFixture;
import io.stenographer.domain.report.ReportType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class PdfReportRendererTest {

    /** Names in nine scripts, each short enough for the actor column, so each must come back whole. */
    private static final Map<String, String> NAMES = Map.of(
            "latin", "Zoë Ñúñez", "greek", "Σωκράτης", "cyrillic", "Иван Петров", "arabic", "محمد علي",
            "hebrew", "דוד לוי", "chinese", "李小龙", "japanese", "やまだ太郎", "korean", "김민준",
            "armenian", "Արամ");

    private static ReportFixture corpus() {
        ReportFixture log = new ReportFixture();
        int i = 0;
        for (Map.Entry<String, String> name : NAMES.entrySet()) {
            SampleReports.add(log, "u" + i, name.getValue(), "reason " + name.getKey(),
                    ReportFixture.T0.plusSeconds(60L * ++i), null);
        }
        // decomposed é (combining acute), an emoji DejaVu draws, a private-use character no font draws, a tab
        SampleReports.add(log, "u-marks", "Rene\u0301e", "smile \uD83D\uDE00", ReportFixture.T0.plusSeconds(900),
                null);
        SampleReports.add(log, "u-pua", null, "pua \uE000", ReportFixture.T0.plusSeconds(910), null);
        SampleReports.add(log, "u-tab", null, "tab\tend", ReportFixture.T0.plusSeconds(920), null);
        // a user who types an escape gets it escaped: only the renderer draws the white square brackets
        SampleReports.add(log, "u-forge", null, "\u27E6A\u27E7", ReportFixture.T0.plusSeconds(930), null);
        // a right-to-left override would draw "BC-2026-2400" reversed, a zero-width space hides inside a name
        SampleReports.add(log, "ad\u200Bmin", null, "BC-2026-\u202E2400", ReportFixture.T0.plusSeconds(940), null);
        // right to left with numbers and brackets inside
        SampleReports.add(log, "u-bidi", null, "טופס (12) נשלח", ReportFixture.T0.plusSeconds(960), null);
        return log;
    }

    private static String text(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return nfkc(new PDFTextStripper().getText(document));
        }
    }

    private static String nfkc(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC);
    }

    @Test
    void scratchFilesStayInTheInstancesOwnDirectoryWhichIsEmptiedAtStartAndAfterEachRender(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path scratch = dir.resolve("pdf");
        Files.createDirectories(scratch);
        Files.writeString(scratch.resolve("PDFBox-left-by-a-crash.tmp"), "a value in clear");
        RenderReportPort renderer = PdfReportRenderer.loadingFontsFrom(Path.of("/usr/share/fonts/truetype"), scratch);
        assertThat(scratch).as("what a crashed render left is gone at start").isEmptyDirectory();

        ReportFixture log = corpus();
        io.stenographer.domain.report.ReportParameters period = io.stenographer.domain.report.ReportParameters
                .fromJson(ReportType.FOIA_EXPORT, new JsonObject(Map.of("from",
                        new JsonString("2026-03-01T00:00:00Z"), "to", new JsonString("2026-03-02T00:00:00Z"))));
        ReportFixture.Built built = log.build(ReportType.FOIA_EXPORT, period,
                io.stenographer.domain.report.ReportFormat.PDF, null);
        List<String> whileAttaching = new java.util.ArrayList<>();
        renderer.renderPdf(built.document(), built.events(), bundle -> {
            try (var files = Files.list(scratch)) {
                files.forEach(file -> whileAttaching.add(file.getFileName().toString()));
            }
            io.stenographer.domain.report.bundle.ReportBundleWriter.write(built.document(), built.events(),
                    body -> log.signer.sign(body), bundle);
        }, java.io.OutputStream.nullOutputStream());

        // The attached bundle (in clear for a report with personal values) is staged there, not in /tmp.
        assertThat(whileAttaching).anyMatch(name -> name.startsWith("report-bundle-"));
        assertThat(scratch).as("nothing stays after the render").isEmptyDirectory();
    }

    @Test
    void everyReportTypeIsValidPdfA3bByVeraPdf() throws Exception {
        for (ReportType type : ReportType.values()) {
            ReportFixture log = corpus();
            for (int i = 0; i < 30; i++) {
                log.add("u-" + (i % 4), i % 3 == 0 ? "case.export" : "case.view", "C-" + (i % 5),
                        i % 7 == 0 ? Outcome.DENIED : Outcome.SUCCESS, i % 2 == 0 ? null : "ticket " + i,
                        ReportFixture.T0.plusSeconds(1000 + 600L * i), null);
            }
            Redactor redactor = type == ReportType.FOIA_EXPORT
                    ? new Redactor(List.of("reason", "source.ip"), true, new byte[32]) : null;
            byte[] pdf = SampleReports.render(log, type, redactor);
            assertThat(SampleReports.pdfA3bFailures(pdf)).as(type + " report").isEmpty();
        }
    }

    @Test
    void namesInNineScriptsComeBackExactlyAndWhatCannotBeDrawnIsEscaped() throws Exception {
        byte[] pdf = SampleReports.render(corpus(), ReportType.RECORD_ACCESS, null);

        assertThat(SampleReports.pdfA3bFailures(pdf)).isEmpty();
        String text = text(pdf);
        for (Map.Entry<String, String> name : NAMES.entrySet()) {
            assertThat(text).as(name.getKey()).contains(nfkc(name.getValue()));
        }
        assertThat(text).doesNotContain("?").contains("Renée").contains("\uD83D\uDE00")
                .contains("\u27E6U+E000\u27E7").contains("tab\u27E6U+0009\u27E7end")
                .contains("\u27E6U+27E6\u27E7A\u27E6U+27E7\u27E7")
                .contains("BC-2026-\u27E6U+202E\u27E72400").contains("ad\u27E6U+200B\u27E7min")
                .as("the legend shows the real marker").contains(nfkc("ending in " + ReportText.TRUNCATED + " was cut")).contains("טופס (12) נשלח");
        Files.createDirectories(Path.of("target/report-pages"));
        try (PDDocument document = Loader.loadPDF(pdf)) {
            for (int page = 0; page < document.getNumberOfPages(); page++) {
                BufferedImage image = new PDFRenderer(document).renderImageWithDPI(page, 110);
                ImageIO.write(image, "png", Path.of("target/report-pages/record-access-" + (page + 1) + ".png")
                        .toFile());
            }
        }
    }

    @Test
    void aReasonOfTheMaximumLengthAnd64KiBOfMetadataAreCutAndSaySoWhileTheBundleKeepsThem() throws Exception {
        ReportFixture log = new ReportFixture();
        String reason = "x".repeat(EventDraft.MAX_REASON_LENGTH - 4) + "TAIL";
        String bulk = "m".repeat(EventDraft.MAX_METADATA_BYTES - 64);
        SampleReports.add(log, "u1", "Ann", reason, ReportFixture.T0.plusSeconds(5),
                new JsonObject(Map.of("blob", new JsonString(bulk))));

        byte[] pdf = SampleReports.render(log, ReportType.RECORD_ACCESS, null);

        assertThat(SampleReports.pdfA3bFailures(pdf)).isEmpty();
        String text = text(pdf);
        assertThat(text).contains(nfkc("xxxx" + ReportText.TRUNCATED)).doesNotContain("TAIL")
                .contains("\"blob\":\"mmmm").contains(nfkc("mmm" + ReportText.TRUNCATED));
        assertThat(bundleEntry(attachment(pdf), "events.ndjson")).contains(reason).contains(bulk);
    }

    @Test
    void aRedactedRowIsMarkedWhereTheRendererAloneWritesAndALongReasonCannotHideIt() throws Exception {
        ReportFixture log = new ReportFixture();
        SampleReports.add(log, "u1", "Ann", "y".repeat(2000), ReportFixture.T0.plusSeconds(5), null);
        SampleReports.add(log, "u2", "Bob", "not \u27E6redacted\u27E7", ReportFixture.T0.plusSeconds(6), null);

        byte[] pdf = SampleReports.render(log, ReportType.FOIA_EXPORT,
                new Redactor(List.of("source.ip"), false, new byte[32]));

        String text = text(pdf);
        assertThat(text).contains("leaf withheld  " + ReportText.REDACTED + " [\"source.ip\"]")
                .as("a reason cannot print the marker").contains("not \u27E6U+27E6\u27E7red");
        assertThat(SampleReports.pdfA3bFailures(pdf)).isEmpty();
    }

    /**
     * A redaction path may name any metadata key, so it is the requester's text, escaped like the event's: a bidi
     * override, the marker's brackets and a character no report font draws (which once failed the whole PDF).
     */
    @Test
    void redactedPathsArePrintedEscapedWhateverTheKeyHolds() throws Exception {
        String key = "\u202Eab \u27E6x \u0378"; // U+0378 is unassigned: no font draws it
        ReportFixture log = new ReportFixture();
        SampleReports.add(log, "u1", "Ann", "r", ReportFixture.T0.plusSeconds(5),
                new JsonObject(Map.of(key, new JsonString("secret-value"), "kept", new JsonString("k"))));

        byte[] pdf = SampleReports.render(log, ReportType.FOIA_EXPORT,
                new Redactor(List.of("metadata." + key), false, new byte[32]));

        String text = text(pdf);
        assertThat(text).doesNotContain("secret-value").contains(nfkc("leaf withheld  " + ReportText.REDACTED
                + " [\"metadata.\u27E6U+202E\u27E7ab \u27E6U+27E6\u27E7x \u27E6U+0378\u27E7\"]"));
        assertThat(SampleReports.pdfA3bFailures(pdf)).isEmpty();
    }

    @Test
    void theSameReportRendersToTheSameBytes() throws Exception {
        ReportFixture log = corpus();
        assertThat(SampleReports.render(log, ReportType.ACTOR_ACTIVITY, null))
                .isEqualTo(SampleReports.render(log, ReportType.ACTOR_ACTIVITY, null));
    }

    @Test
    void theAttachmentIsTheReportsBundleAndEveryFontIsEmbedded() throws Exception {
        byte[] pdf = SampleReports.render(corpus(), ReportType.RECORD_ACCESS, null);

        byte[] zip = attachment(pdf);
        assertThat(zip).startsWith(0x50, 0x4b, 0x03, 0x04);
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getDocumentCatalog().getCOSObject().getDictionaryObject("AF")).isNotNull();
            assertThat(document.getDocumentCatalog().getMetadata().exportXMPMetadata().readAllBytes())
                    .asString().contains("<pdfaid:part>3</pdfaid:part>").contains("r-1")
                    .contains(PdfArchive.GENERATOR).contains("tree size " + 15);
            for (var page : document.getPages()) {
                for (var name : page.getResources().getFontNames()) {
                    PDFont font = page.getResources().getFont(name);
                    assertThat(font.isEmbedded()).as(font.getName()).isTrue();
                }
            }
        }
    }

    @Test
    void missingFontsAreRefusedNamingTheFilesAndTheInstallCommand(@org.junit.jupiter.api.io.TempDir Path empty) {
        assertThatThrownBy(() -> ReportFonts.load(empty)).hasMessageContaining("NotoSans-Regular.ttf")
                .hasMessageContaining("apt-get install -y fonts-noto-core fonts-droid-fallback");
    }

    static String bundleEntry(byte[] zip, String name) throws IOException {
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no " + name + " in the attached bundle");
    }

    static byte[] attachment(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDDocumentNameDictionary names = document.getDocumentCatalog().getNames();
            PDComplexFileSpecification spec = names.getEmbeddedFiles().getNames()
                    .get(RenderReportPort.BUNDLE_ATTACHMENT);
            return spec.getEmbeddedFile().toByteArray();
        }
    }
}
