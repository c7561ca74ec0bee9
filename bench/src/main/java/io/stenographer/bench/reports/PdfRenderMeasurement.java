package io.stenographer.bench.reports;

import io.stenographer.adapters.reports.PdfReportRenderer;
import io.stenographer.adapters.reports.ReportFonts;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.report.JsonReportWriter;
import io.stenographer.domain.report.ReportFixture;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportType;
import io.stenographer.domain.report.bundle.ReportBundleWriter;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Issue 19's rendering target: a 10,000-row PDF report whose events carry 2 KiB reasons, rendered by the service's
 * renderer (every row printed, the verifiable bundle attached, PDF/A-3b), against the JSON writer of the same report
 * in the same run as the baseline. Prints each round, then the median and the spread. In-process: no service, no
 * database; the fonts come from the machine (deploy/fonts/ensure-report-fonts.sh).
 *
 * <p>{@code PdfRenderMeasurement [--rows 10000] [--reason-chars 2048] [--rounds 3]}
 */
public final class PdfRenderMeasurement {

    private static final long TARGET_MILLIS = 10_000;
    private static final String[] WORDS = {"review", "of", "the", "case", "file", "requested", "by", "counsel",
        "проверка", "дела", "ticket", "Σύνοψη", "appeal", "2026", "records", "audit"};

    private PdfRenderMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int rows = option(args, "--rows", 10_000);
        int reasonChars = option(args, "--reason-chars", 2048);
        int rounds = option(args, "--rounds", 3);
        ReportFixture log = new ReportFixture();
        SplittableRandom random = new SplittableRandom(19);
        for (int i = 0; i < rows; i++) {
            log.add("clerk-" + (i % 40), "case.view", "C-1", i % 9 == 0 ? Outcome.DENIED : Outcome.SUCCESS,
                    reason(random, reasonChars), ReportFixture.T0.plusSeconds(5L * i), null);
        }
        ReportParameters query = ReportParameters.fromJson(ReportType.RECORD_ACCESS, (JsonObject) JsonParser.parse(
                "{\"from\":\"2026-03-01T00:00:00Z\",\"to\":\"2026-03-02T00:00:00Z\",\"resourceType\":\"case\","
                        + "\"resourceId\":\"C-1\"}", 4));
        ReportFixture.Built built = log.build(ReportType.RECORD_ACCESS, query, ReportFormat.PDF, null);
        PdfReportRenderer renderer = new PdfReportRenderer(ReportFonts.load(Path.of("/usr/share/fonts/truetype")));
        System.out.printf("PDF report: %,d rows printed, reasons of %,d characters, bundle attached; baseline: the JSON"
                + " report of the same rows; %d rounds (+1 warm-up)%n", rows, reasonChars, rounds);
        List<Long> pdfMillis = new ArrayList<>();
        List<Long> jsonMillis = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            Counting pdf = new Counting();
            long started = System.nanoTime();
            renderer.renderPdf(built.document(), built.events(), bundle -> ReportBundleWriter.write(built.document(),
                    built.events(), log.signer::sign, bundle), pdf);
            long pdfTook = (System.nanoTime() - started) / 1_000_000;
            Counting json = new Counting();
            started = System.nanoTime();
            JsonReportWriter.write(built.document(), built.events(), json);
            long jsonTook = (System.nanoTime() - started) / 1_000_000;
            String label = round == 0 ? "warm-up" : "round " + round;
            System.out.printf("%-8s PDF %,7d ms (%,d bytes)   JSON %,6d ms (%,d bytes)   PDF/JSON %.2f%n", label,
                    pdfTook, pdf.bytes, jsonTook, json.bytes, (double) pdfTook / Math.max(1, jsonTook));
            if (round > 0) {
                pdfMillis.add(pdfTook);
                jsonMillis.add(jsonTook);
            }
        }
        long pdfMedian = median(pdfMillis);
        long jsonMedian = median(jsonMillis);
        System.out.printf("PDF median %,d ms [%,d-%,d]; JSON median %,d ms [%,d-%,d]; PDF/JSON %.2f%n", pdfMedian,
                Collections.min(pdfMillis), Collections.max(pdfMillis), jsonMedian, Collections.min(jsonMillis),
                Collections.max(jsonMillis), (double) pdfMedian / Math.max(1, jsonMedian));
        System.out.printf("target: a %,d-row PDF in <= %,d ms: %s (median/target %.2f)%n", rows, TARGET_MILLIS,
                pdfMedian <= TARGET_MILLIS ? "met" : "MISSED", (double) pdfMedian / TARGET_MILLIS);
    }

    private static String reason(SplittableRandom random, int chars) {
        StringBuilder reason = new StringBuilder(chars + 16);
        while (reason.length() < chars) {
            reason.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return reason.substring(0, chars).strip();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static int option(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    /** Counts what is written and keeps none of it. */
    private static final class Counting extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
