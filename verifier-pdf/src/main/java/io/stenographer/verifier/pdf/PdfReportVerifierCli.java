package io.stenographer.verifier.pdf;

import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.report.ReportJson;
import io.stenographer.domain.report.bundle.ReportBundleVerification;
import io.stenographer.domain.report.bundle.ReportBundleVerifier;
import io.stenographer.domain.report.bundle.ReportBundleWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * {@code verify-report-pdf --pdf FILE.pdf --key VKEY_OR_FILE [--origin ORIGIN]}: checks a Stenographer PDF report
 * offline. It extracts the attached {@value #ATTACHMENT}, verifies it as the core verifier's
 * {@code verify-report-bundle} does (manifest signature, checkpoint, every inclusion proof), then reads the printed
 * event table back and checks that row i shows the event id and leaf hash of the bundle's event i. A PDF whose
 * printed rows were edited, reordered or made up, or whose bundle was swapped for another report's, fails.
 */
public final class PdfReportVerifierCli {

    static final String ATTACHMENT = "report-bundle.zip";
    public static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final int MAX_ATTACHMENT_BYTES = Integer.MAX_VALUE - 8;
    /** A printed row's second line, as the renderer writes it: {@code event <uuid>  leaf <hex | withheld>}. */
    private static final Pattern ROW = Pattern.compile("event\\s+([0-9a-f-]{36})\\s+leaf\\s+([0-9a-f]{64}|withheld)");
    private static final String USAGE_TEXT = """
            Usage: java -jar stenographer-pdf-verifier.jar verify-report-pdf --pdf FILE.pdf --key VKEY_OR_FILE \
            [--origin ORIGIN]
              Verifies the report bundle attached to a Stenographer PDF report and that the rows printed in the
              PDF are that bundle's events. --key is the log's verifier key (or key set), or a file holding it.
            Exit status: 0 verified, 1 verification failed, 2 usage error.
            """;

    private PdfReportVerifierCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** One verification; the exit status is returned so tests can call it. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        if (options == null) {
            out.print(USAGE_TEXT);
            return OK;
        }
        Path file = Path.of(options.get("pdf"));
        if (!Files.isRegularFile(file)) {
            err.println("error: --pdf " + file + ": no such file");
            return USAGE;
        }
        KeySet keys;
        try {
            Path keyFile = Path.of(options.get("key"));
            keys = KeySet.parse(Files.isRegularFile(keyFile) ? Files.readString(keyFile).strip() : options.get("key"));
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: --key is neither a file holding a verifier key nor a verifier key: " + e.getMessage());
            return USAGE;
        }
        try {
            List<String> failures = new ArrayList<>();
            String summary = verify(file, keys, options.get("origin"), failures);
            if (!failures.isEmpty()) {
                failures.forEach(failure -> err.println("FAIL: " + failure));
                err.println("FAILED: " + file + " does not verify (" + failures.size() + " problems)");
                return FAILED;
            }
            out.println(summary);
            return OK;
        } catch (IOException e) {
            err.println("FAIL: cannot read " + file + " as a PDF: " + e.getMessage());
            return FAILED;
        }
    }

    private static String verify(Path file, KeySet keys, String origin, List<String> failures) throws IOException {
        byte[] zip;
        String text;
        try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
            zip = attachment(pdf);
            if (zip == null) {
                failures.add("the PDF has no attached " + ATTACHMENT + "; it is not a verifiable Stenographer report");
                return null;
            }
            text = new PDFTextStripper().getText(pdf);
        }
        ReportBundleVerification bundle = new ReportBundleVerifier(keys, origin)
                .verify(new ByteArrayInputStream(zip));
        if (!bundle.ok()) {
            bundle.failures().forEach(failure -> failures.add("attached bundle: " + failure));
            return null;
        }
        List<String[]> events = bundleEvents(zip);
        List<String[]> printed = new ArrayList<>();
        Matcher row = ROW.matcher(text);
        while (row.find()) {
            printed.add(new String[] {row.group(1), row.group(2)});
        }
        if (printed.size() > events.size()) {
            failures.add("the PDF prints " + printed.size() + " event rows but its bundle holds " + events.size());
        }
        if (printed.isEmpty() && !events.isEmpty()) {
            failures.add("the PDF prints no event rows although its bundle holds " + events.size() + " events");
        }
        for (int i = 0; i < Math.min(printed.size(), events.size()); i++) {
            String[] shown = printed.get(i);
            String[] expected = events.get(i);
            if (!shown[0].equals(expected[0])) {
                failures.add("printed row " + (i + 1) + " shows event " + shown[0] + "; the bundle's event there is "
                        + expected[0]);
            } else if (!shown[1].equals(expected[1])) {
                failures.add("printed row " + (i + 1) + " (event " + shown[0] + ") shows leaf hash " + shown[1]
                        + "; the bundle has " + expected[1]);
            }
        }
        return bundle.summary() + "; the " + printed.size() + " event rows printed in the PDF are the "
                + "bundle's first " + printed.size() + " events, with the same event ids and leaf hashes";
    }

    /** The attached bundle's bytes, or null when the PDF has none. */
    private static byte[] attachment(PDDocument pdf) throws IOException {
        PDDocumentNameDictionary names = pdf.getDocumentCatalog().getNames();
        PDEmbeddedFilesNameTreeNode files = names == null ? null : names.getEmbeddedFiles();
        Map<String, PDComplexFileSpecification> specs = files == null ? null : files.getNames();
        PDComplexFileSpecification spec = specs == null ? null : specs.get(ATTACHMENT);
        PDEmbeddedFile embedded = spec == null ? null : spec.getEmbeddedFile();
        if (embedded == null) {
            return null;
        }
        if (embedded.getLength() > MAX_ATTACHMENT_BYTES) {
            throw new IOException("the attached bundle is larger than this verifier reads");
        }
        return embedded.toByteArray();
    }

    /** Each event of the bundle in order: its id and its leaf hash in hex ("withheld" when redacted). */
    private static List<String[]> bundleEvents(byte[] zip) throws IOException {
        List<String[]> events = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!entry.getName().equals(ReportBundleWriter.EVENTS)) {
                    continue;
                }
                String ndjson = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (String line : ndjson.split("\n")) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    JsonObject row = (JsonObject) JsonParser.parse(line, 64);
                    String leaf = ReportJson.string(row, "leafHash");
                    events.add(new String[] {ReportJson.string(row, "event.id"), leaf == null ? "withheld" : leaf});
                }
            }
        }
        return events;
    }

    /** The options, or null when help was asked for. */
    private static Map<String, String> options(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no command given");
        }
        if (List.of("help", "--help", "-h").contains(args[0])) {
            return null;
        }
        if (!args[0].equals("verify-report-pdf")) {
            throw new IllegalArgumentException("unknown command '" + args[0] + "'; the command is verify-report-pdf");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !List.of("pdf", "key", "origin").contains(name)) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            if (options.put(name, args[i + 1]) != null) {
                throw new IllegalArgumentException(args[i] + " given twice");
            }
        }
        for (String required : List.of("pdf", "key")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        return options;
    }
}
