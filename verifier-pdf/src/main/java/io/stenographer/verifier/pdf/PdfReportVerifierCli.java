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
 * offline. It refuses a PDF changed after it was written (an incremental update), extracts the attached
 * {@value #ATTACHMENT} and verifies it as the core verifier's {@code verify-report-bundle} does (manifest signature,
 * checkpoint, every inclusion proof), checks that the PDF's XMP names the same report and checkpoint as the bundle,
 * then reads back the printed id lines (only text in the renderer's 5.5-point mono face, at the start of a line) and
 * checks that line i shows the event id and leaf hash of the bundle's event i. The other printed cells are not compared;
 * the strong check of a whole file is its SHA-256 against the {@code report.generated} event in the signed log.
 */
public final class PdfReportVerifierCli {

    static final String ATTACHMENT = "report-bundle.zip";
    public static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final int MAX_ATTACHMENT_BYTES = Integer.MAX_VALUE - 8;
    /** A printed row's second line, as the renderer writes it: {@code event <uuid>  leaf <hex | withheld>}. */
    private static final Pattern ROW = Pattern.compile("^event\\s+([0-9a-f-]{36})\\s+leaf\\s+([0-9a-f]{64}|withheld)");
    /** The renderer draws each row's id line, and nothing else, at this size in Noto Sans Mono. */
    private static final float ID_LINE_SIZE = 5.5f;
    private static final Pattern CHECKPOINT_RELATION = Pattern.compile("checkpoint (\\S+) (\\d+) ([A-Za-z0-9+/=]+)");
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
        List<String> idLines;
        String xmp;
        if (updates(Files.readAllBytes(file)) > 1) {
            failures.add("the PDF was changed after it was written (it has an incremental update); request the report"
                    + " again from the service");
            return null;
        }
        try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
            zip = attachment(pdf);
            if (zip == null) {
                failures.add("the PDF has no attached " + ATTACHMENT + "; it is not a verifiable Stenographer report");
                return null;
            }
            idLines = idLines(pdf);
            xmp = pdf.getDocumentCatalog().getMetadata() == null ? ""
                    : new String(pdf.getDocumentCatalog().getMetadata().toByteArray(), StandardCharsets.UTF_8);
        }
        ReportBundleVerification bundle = new ReportBundleVerifier(keys, origin)
                .verify(new ByteArrayInputStream(zip));
        if (!bundle.ok()) {
            bundle.failures().forEach(failure -> failures.add("attached bundle: " + failure));
            return null;
        }
        checkIdentity(xmp, bundle, zip, failures);
        List<String[]> events = bundleEvents(zip);
        List<String[]> printed = new ArrayList<>();
        for (String line : idLines) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                printed.add(new String[] {row.group(1), row.group(2)});
            }
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

    /** How many times the file was written: one cross-reference section per save, more after an incremental update. */
    private static int updates(byte[] pdf) {
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        int count = 0;
        for (int at = text.indexOf("startxref"); at >= 0; at = text.indexOf("startxref", at + 1)) {
            count++;
        }
        return count;
    }

    /** The XMP's report id and checkpoint must be the bundle's: a bundle of another report does not pass. */
    private static void checkIdentity(String xmp, ReportBundleVerification bundle, byte[] zip, List<String> failures)
            throws IOException {
        if (!xmp.contains("<rdf:li>" + bundle.reportId() + "</rdf:li>") && !xmp.contains(">" + bundle.reportId() + "<")) {
            failures.add("the PDF's metadata does not name report " + bundle.reportId() + ", the attached bundle's");
        }
        Matcher relation = CHECKPOINT_RELATION.matcher(xmp);
        String root = io.stenographer.domain.checkpoint.Checkpoint.parseBody(io.stenographer.domain.checkpoint.SignedNote
                .parse(entry(zip, ReportBundleWriter.CHECKPOINT)).body()).rootHash().base64();
        if (!relation.find() || !relation.group(1).equals(bundle.origin())
                || Long.parseLong(relation.group(2)) != bundle.treeSize() || !relation.group(3).equals(root)) {
            failures.add("the PDF's metadata does not name the attached bundle's checkpoint (" + bundle.origin() + " at "
                    + bundle.treeSize() + ", root " + root + ")");
        }
    }

    /**
     * The text of the id lines, one string a line: words drawn in the mono face at the id lines' size. No other text
     * of the PDF (findings, query values, metadata an event carries) is read as a row.
     */
    private static List<String> idLines(PDDocument pdf) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        PDFTextStripper stripper = new PDFTextStripper() {
            @Override
            protected void writeString(String text, List<org.apache.pdfbox.text.TextPosition> positions) {
                if (!positions.isEmpty() && idFace(positions.get(0))) {
                    line.append(line.length() == 0 ? "" : " ").append(text);
                }
            }

            @Override
            protected void writeLineSeparator() {
                flush();
            }

            @Override
            protected void endPage(org.apache.pdfbox.pdmodel.PDPage page) {
                flush();
            }

            private void flush() {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
            }
        };
        stripper.getText(pdf);
        return lines;
    }

    private static boolean idFace(org.apache.pdfbox.text.TextPosition position) {
        String font = position.getFont().getName();
        return font != null && font.contains("NotoSansMono")
                && Math.abs(position.getFontSize() - ID_LINE_SIZE) < 0.01f;
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

    private static String entry(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new IOException("the bundle has no " + name);
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
