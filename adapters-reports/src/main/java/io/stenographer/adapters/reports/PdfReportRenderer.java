package io.stenographer.adapters.reports;

import io.stenographer.application.port.out.RenderReportPort;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.report.Finding;
import io.stenographer.domain.report.ReportDocument;
import io.stenographer.domain.report.ReportEntry;
import io.stenographer.domain.report.ReportEvents;
import io.stenographer.domain.report.ReportHeader;
import io.stenographer.domain.report.ReportJson;
import io.stenographer.domain.report.ReportSummary;
import io.stenographer.domain.report.ReportTable;
import io.stenographer.domain.report.RuleResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The report for people, as one PDF/A-3b file with Apache PDFBox: a title page; the query and period; summary tables;
 * an activity-over-time bar chart; the rules' findings and notes; the event table (at most the rows the service
 * passes), each row with its event id and leaf hash; the signed checkpoint with instructions to verify it; "Page i of
 * N" on every page; and the report's verifiable bundle attached ({@link PdfArchive}). Text goes through
 * {@link ReportText}: embedded Noto/Droid/DejaVu subsets, shaped and reordered, escapes instead of '?', and cut cells
 * that say so. The bytes depend only on the report (no clock, fixed /ID), so regenerating gives the same digest.
 */
public final class PdfReportRenderer implements RenderReportPort {

    static final PDRectangle PAGE = PDRectangle.A4;
    static final float MARGIN = 48;
    private static final int MAX_TABLE_ROWS = 40;
    private static final int MAX_FINDINGS = 300;
    private static final int MAX_WRAPPED_LINES = 12;

    private final ReportText text;
    /** Where the PDF's scratch files go (its streams, the attached bundle); null: the JVM's temporary directory. */
    private final Path scratch;

    public PdfReportRenderer(ReportFonts fonts) {
        this(fonts, null);
    }

    /**
     * A renderer whose scratch files (a report with personal data holds them in clear while it is rendered) go to
     * {@code scratch}, an owner-only directory of this instance's, not the machine's shared temporary directory.
     */
    public PdfReportRenderer(ReportFonts fonts, Path scratch) {
        this.text = new ReportText(fonts);
        this.scratch = scratch;
    }

    /**
     * A renderer that loads its fonts from {@code directory} on first use (a service that never renders a PDF does not
     * need them); while they are missing every PDF fails, naming the files and the command that installs them.
     */
    public static RenderReportPort loadingFontsFrom(Path directory, Path scratchDirectory) throws IOException {
        // Emptied at every start: a render cut short by a crash leaves its files here, and only here.
        Path scratch = ScratchDirectory.prepare(scratchDirectory, "*");
        return new RenderReportPort() {
            private PdfReportRenderer loaded;

            private synchronized PdfReportRenderer renderer() {
                if (loaded == null) {
                    loaded = new PdfReportRenderer(ReportFonts.load(directory), scratch);
                }
                return loaded;
            }

            @Override
            public void renderPdf(ReportDocument document, ReportEvents rows, Bundle bundle, OutputStream out)
                    throws IOException {
                renderer().renderPdf(document, rows, bundle, out);
            }
        };
    }

    @Override
    public void renderPdf(ReportDocument document, ReportEvents rows, Bundle bundle, OutputStream out)
            throws IOException {
        // Scratch on disk: the attached bundle can be far larger than the pages.
        try (PDDocument pdf = new PDDocument(scratch == null ? IOUtils.createTempFileOnlyStreamCache()
                : MemoryUsageSetting.setupTempFileOnly().setTempDir(scratch.toFile()).streamCache)) {
            ReportHeader header = document.header();
            Layout layout = new Layout(pdf, text);
            titlePage(layout, header);
            layout.newPage();
            query(layout, header);
            summary(layout, document.summary(), document.results());
            chart(layout, document.summary());
            findings(layout, document);
            eventTable(layout, header, rows);
            verification(layout, header);
            layout.finish();
            pageNumbers(layout);
            PdfArchive.make(pdf, header, bundle, scratch);
            pdf.save(out);
        }
    }

    private static void titlePage(Layout l, ReportHeader h) throws IOException {
        l.y -= 120;
        l.wrapped(h.title(), ReportFonts.Style.BOLD, 24);
        l.gap(10);
        l.wrapped("Tenant: " + h.tenant().value(), ReportFonts.Style.REGULAR, 12);
        l.wrapped("Period: " + ReportJson.string(h.query(), "from") + " to " + ReportJson.string(h.query(), "to")
                + " (occurredAt, end exclusive)", ReportFonts.Style.REGULAR, 12);
        l.wrapped("Report id: " + h.reportId(), ReportFonts.Style.REGULAR, 12);
        l.wrapped("Requested by " + h.requestedBy() + " at " + Timestamps.format(h.requestedAt()),
                ReportFonts.Style.REGULAR, 12);
        l.wrapped("Generated by Stenographer from the log as of the checkpoint below; regenerating it with the same"
                + " fonts and log key gives the same file, byte for byte", ReportFonts.Style.REGULAR, 10);
        l.gap(10);
        l.wrapped("Pinned to the signed checkpoint of " + h.checkpoint().checkpoint().origin() + " at tree size "
                + h.checkpoint().treeSize(), ReportFonts.Style.REGULAR, 12);
        l.line("Root hash: " + h.checkpoint().checkpoint().rootHash().base64(), ReportFonts.Style.MONO, 9);
        l.gap(10);
        l.line("Events in this report: " + h.eventCount(), ReportFonts.Style.BOLD, 12);
        if (h.eventsUnavailable() > 0) {
            l.wrapped(h.eventsUnavailable() + " events in the range were purged after archiving and not evaluated",
                    ReportFonts.Style.REGULAR, 10);
        }
        l.wrapped("Rules: " + String.join(", ", h.ruleVersions()), ReportFonts.Style.REGULAR, 10);
        l.gap(10);
        l.wrapped("This file is PDF/A-3b. The attachment " + BUNDLE_ATTACHMENT + " is the report's verifiable bundle"
                + " (every event in full, the signed checkpoint, inclusion proofs, a signed manifest); see the last"
                + " section for how to check it and that it matches the table printed here.",
                ReportFonts.Style.REGULAR, 10);
    }

    private static void query(Layout l, ReportHeader h) throws IOException {
        l.heading("Query");
        for (Map.Entry<String, JsonValue> member : h.query().members().entrySet()) {
            String value = member.getValue() instanceof JsonString string ? string.value()
                    : CanonicalJson.canonicalize(member.getValue());
            l.wrapped(member.getKey() + ": " + value, ReportFonts.Style.REGULAR, 9);
        }
    }

    private static void summary(Layout l, ReportSummary s, List<RuleResult> results) throws IOException {
        l.heading("Summary");
        table(l, new ReportTable("Events considered", List.of("outcome", "events"), List.of(
                List.of("success", Long.toString(s.success())), List.of("failure", Long.toString(s.failure())),
                List.of("denied", Long.toString(s.denied())), List.of("total", Long.toString(s.total())))));
        for (RuleResult result : results) {
            for (ReportTable table : result.tables()) {
                table(l, table);
            }
        }
    }

    private static void table(Layout l, ReportTable table) throws IOException {
        l.ensure(40);
        l.line(table.title(), ReportFonts.Style.BOLD, 10);
        float[] widths = new float[table.columns().size()];
        Arrays.fill(widths, (PAGE.getWidth() - 2 * MARGIN) / widths.length);
        l.row(table.columns(), widths, ReportFonts.Style.BOLD, 8);
        int shown = 0;
        for (List<String> row : table.rows()) {
            if (shown++ == MAX_TABLE_ROWS) {
                l.line("... " + (table.rows().size() - MAX_TABLE_ROWS) + " more rows in the attached bundle",
                        ReportFonts.Style.REGULAR, 8);
                break;
            }
            l.row(row, widths, ReportFonts.Style.REGULAR, 8);
        }
        if (table.rows().isEmpty()) {
            l.line("(none)", ReportFonts.Style.REGULAR, 8);
        }
        l.gap(6);
    }

    private static void chart(Layout l, ReportSummary s) throws IOException {
        l.heading("Activity over time");
        List<ReportSummary.Bucket> buckets = s.activity();
        long max = 1;
        for (ReportSummary.Bucket b : buckets) {
            max = Math.max(max, b.count());
        }
        float height = 140;
        l.ensure(height + 40);
        float left = MARGIN + 30;
        float width = PAGE.getWidth() - MARGIN - left;
        float bottom = l.y - height;
        float barWidth = width / buckets.size();
        PDPageContentStream c = l.content;
        c.setLineWidth(0.5f);
        c.moveTo(left, bottom);
        c.lineTo(left + width, bottom);
        c.moveTo(left, bottom);
        c.lineTo(left, bottom + height);
        c.stroke();
        c.setNonStrokingColor(0.25f, 0.4f, 0.7f);
        for (int i = 0; i < buckets.size(); i++) {
            float h = height * buckets.get(i).count() / max;
            if (h > 0) {
                c.addRect(left + i * barWidth + barWidth * 0.1f, bottom, Math.max(barWidth * 0.8f, 0.5f), h);
            }
        }
        c.fill();
        c.setNonStrokingColor(0f, 0f, 0f);
        l.draw(MARGIN, bottom + height - 6, l.text.fit(Long.toString(max), ReportFonts.Style.REGULAR, 7, 28), 7);
        l.draw(MARGIN, bottom, l.text.fit("0", ReportFonts.Style.REGULAR, 7, 28), 7);
        l.y = bottom - 10;
        l.wrapped("Bars: events per " + s.bucket() + " from " + Timestamps.format(buckets.get(0).start())
                + " (first bar) to " + Timestamps.format(buckets.get(buckets.size() - 1).start())
                + " (last bar); tallest = " + max, ReportFonts.Style.REGULAR, 8);
        l.gap(6);
    }

    private static void findings(Layout l, ReportDocument document) throws IOException {
        l.heading("Findings");
        List<Finding> findings = document.findings();
        if (findings.isEmpty()) {
            l.line("No findings.", ReportFonts.Style.REGULAR, 10);
        }
        int shown = 0;
        for (Finding f : findings) {
            if (shown++ == MAX_FINDINGS) {
                l.line("... " + (findings.size() - MAX_FINDINGS) + " more findings in the attached bundle",
                        ReportFonts.Style.REGULAR, 9);
                break;
            }
            l.wrapped("[" + f.rule() + " " + f.kind() + "] " + f.detail(), ReportFonts.Style.REGULAR, 9);
        }
        for (String note : document.notes()) {
            l.wrapped("Note: " + note, ReportFonts.Style.REGULAR, 8);
        }
    }

    static final List<String> COLUMNS = List.of("index", "occurredAt (UTC)", "actor", "action", "resource",
            "outcome", "reason");
    private static final float[] WIDTHS = {40, 92, 70, 70, 80, 40, 107};
    /** Printed before each row's event id and leaf hash; the PDF verifier reads the table back by them. */
    static final String EVENT_LABEL = "event";
    static final String LEAF_LABEL = "leaf";
    static final String WITHHELD = "withheld";

    private static void eventTable(Layout l, ReportHeader header, ReportEvents events) throws IOException {
        l.heading("Events");
        l.legend("Each row is one event; the line under it gives its event id, its leaf hash (hex; withheld for a"
                + " redacted event, which is marked " + ReportText.REDACTED + " with the fields removed) and its metadata. A cell ending in " + ReportText.TRUNCATED + " was cut to fit;"
                + " " + ReportText.OPEN + "U+XXXX" + ReportText.CLOSE + " stands for a character no embedded font can"
                + " draw (or for one of these brackets). The attached bundle holds every value in full.", 8);
        l.row(COLUMNS, WIDTHS, ReportFonts.Style.BOLD, 7);
        long[] rows = {0};
        events.forEach((ReportEntry entry) -> {
            JsonObject event = entry.event();
            String resource = ReportJson.string(event, "resource.type") == null ? ""
                    : ReportJson.string(event, "resource.type") + "/" + entry.text("resource.id");
            String actor = nz(entry.text("actor.id"));
            String displayName = entry.text("actor.displayName");
            if (displayName != null) {
                actor += " (" + displayName + ")";
            }
            l.ensure(20);
            l.row(List.of(Long.toString(entry.index()), shortTime(ReportJson.string(event, "occurredAt")), actor,
                    nz(ReportJson.string(event, "action")), resource, nz(ReportJson.string(event, "outcome")),
                    nz(entry.text("reason"))), WIDTHS, ReportFonts.Style.REGULAR, 7);
            JsonValue metadata = event.members().get("metadata");
            // The renderer's part first (ids, and a redaction marker the event's text cannot forge or push out of
            // sight), then, escaped, the paths redacted (a requester's words: any character a metadata key may
            // hold) and the event's metadata in what room is left.
            l.idLine(EVENT_LABEL + " " + nz(ReportJson.string(event, "id")) + "  " + LEAF_LABEL + " "
                    + (entry.leafHash() == null ? WITHHELD : entry.leafHash().hex())
                    + (entry.redacted() ? "  " + ReportText.REDACTED : ""),
                    (entry.redacted() ? " " + entry.redactionsText() : "")
                            + (metadata == null ? "" : "  metadata " + CanonicalJson.canonicalize(metadata)), 5.5f);
            rows[0]++;
        });
        if (rows[0] < header.eventCount()) {
            l.wrapped("This PDF prints the first " + rows[0] + " of " + header.eventCount()
                    + " events; the attached bundle holds all of them.", ReportFonts.Style.BOLD, 9);
        }
        if (header.eventCount() == 0) {
            l.line("No events.", ReportFonts.Style.REGULAR, 9);
        }
    }

    private static void verification(Layout l, ReportHeader h) throws IOException {
        l.heading("Signed checkpoint and how to verify it");
        l.wrapped("This report was computed from the leaves 0 to " + (h.checkpoint().treeSize() - 1) + " of the log "
                + h.checkpoint().checkpoint().origin() + ". The checkpoint below is a C2SP signed note; its root hash "
                + "commits to every one of those events.", ReportFonts.Style.REGULAR, 9);
        l.line("Root hash (base64): " + h.checkpoint().checkpoint().rootHash().base64(), ReportFonts.Style.MONO, 8);
        l.line("Root hash (hex): " + h.checkpoint().checkpoint().rootHash().hex(), ReportFonts.Style.MONO, 7);
        l.wrapped("Verifier key: " + h.verifierKey(), ReportFonts.Style.MONO, 7);
        l.gap(4);
        for (String line : h.checkpoint().signedNote().split("\n")) {
            l.wrapped(line, ReportFonts.Style.MONO, 7);
        }
        l.gap(6);
        l.wrapped("To verify: 1) obtain the log's verifier key from a source you trust and compare it with the key "
                + "above; 2) run: java -jar stenographer-pdf-verifier.jar verify-report-pdf --pdf THIS.pdf --key "
                + "'<verifier key>'. It extracts the attached " + BUNDLE_ATTACHMENT + ", checks its manifest signature,"
                + " checkpoint and inclusion proofs, and checks that every row printed here has the event id and leaf"
                + " hash of the bundle's event at the same place (docs/REPORTS.md).", ReportFonts.Style.REGULAR, 9);
    }

    /** "2026-03-01T09:15:02.123456Z" as "2026-03-01 09:15:02Z" (UTC); the bundle keeps microseconds. */
    private static String shortTime(String timestamp) {
        return timestamp == null || timestamp.length() < 19 ? nz(timestamp)
                : timestamp.substring(0, 10) + " " + timestamp.substring(11, 19) + "Z";
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    private static void pageNumbers(Layout l) throws IOException {
        int total = l.pdf.getNumberOfPages();
        for (int i = 0; i < total; i++) {
            PDPage page = l.pdf.getPage(i);
            try (PDPageContentStream c = new PDPageContentStream(l.pdf, page, PDPageContentStream.AppendMode.APPEND,
                    true, true)) {
                ReportText.Line label = l.text.fit("Page " + (i + 1) + " of " + total, ReportFonts.Style.REGULAR, 8,
                        200);
                l.draw(c, PAGE.getWidth() - MARGIN - label.width() / 1000 * 8, 24, label, 8);
            }
        }
    }

    /** A cursor over pages: text flows down and onto new pages. */
    private static final class Layout {
        final PDDocument pdf;
        final ReportText text;
        private final Map<ReportFonts.Face, PDType0Font> loaded = new HashMap<>();
        PDPageContentStream content;
        float y;

        Layout(PDDocument pdf, ReportText text) throws IOException {
            this.pdf = pdf;
            this.text = text;
            newPage();
        }

        void newPage() throws IOException {
            if (content != null) {
                content.close();
            }
            PDPage page = new PDPage(PAGE);
            pdf.addPage(page);
            content = new PDPageContentStream(pdf, page);
            y = PAGE.getHeight() - MARGIN;
        }

        void finish() throws IOException {
            content.close();
        }

        void ensure(float space) throws IOException {
            if (y - space < MARGIN + 20) {
                newPage();
            }
        }

        void gap(float space) {
            y -= space;
        }

        void heading(String title) throws IOException {
            ensure(60);
            gap(8);
            line(title, ReportFonts.Style.BOLD, 14);
            gap(4);
        }

        /** One line, cut to the text width if longer. */
        void line(String value, ReportFonts.Style style, float size) throws IOException {
            ensure(size + 4);
            y -= size + 3;
            draw(MARGIN, y, text.fit(value, style, size, PAGE.getWidth() - 2 * MARGIN), size);
        }

        /** Wrapped over at most {@value #MAX_WRAPPED_LINES} lines, the last cut if it must be. */
        void wrapped(String value, ReportFonts.Style style, float size) throws IOException {
            for (ReportText.Line line : text.wrap(value, style, size, PAGE.getWidth() - 2 * MARGIN,
                    MAX_WRAPPED_LINES)) {
                ensure(size + 4);
                y -= size + 3;
                draw(MARGIN, y, line, size);
            }
        }

        /** One line in the ID font: the renderer's {@code own} part unescaped, then the event's {@code data}. */
        void idLine(String own, String data, float size) throws IOException {
            ensure(size + 4);
            y -= size + 3;
            float width = PAGE.getWidth() - 2 * MARGIN;
            ReportText.Line first = text.fitOwn(own, ReportFonts.Style.MONO, size, width);
            draw(MARGIN, y, first, size);
            float used = first.width() / 1000 * size;
            if (!data.isEmpty() && width - used > 4 * size) {
                draw(MARGIN + used, y, text.fit(data, ReportFonts.Style.MONO, size, width - used), size);
            }
        }

        /** The renderer's own text, whose escape brackets are meant. */
        void legend(String value, float size) throws IOException {
            for (ReportText.Line line : text.wrapOwn(value, ReportFonts.Style.REGULAR, size,
                    PAGE.getWidth() - 2 * MARGIN)) {
                ensure(size + 4);
                y -= size + 3;
                draw(MARGIN, y, line, size);
            }
        }

        void row(List<String> cells, float[] widths, ReportFonts.Style style, float size) throws IOException {
            ensure(size + 4);
            y -= size + 3;
            float x = MARGIN;
            for (int i = 0; i < cells.size(); i++) {
                draw(x, y, text.fit(cells.get(i), style, size, widths[i] - 3), size);
                x += widths[i];
            }
        }

        void draw(float x, float atY, ReportText.Line line, float size) throws IOException {
            draw(content, x, atY, line, size);
        }

        void draw(PDPageContentStream stream, float x, float atY, ReportText.Line line, float size)
                throws IOException {
            if (line.runs().isEmpty()) {
                return;
            }
            stream.beginText();
            stream.newLineAtOffset(x, atY);
            for (ReportText.Run run : line.runs()) {
                stream.setFont(font(run.face()), size);
                stream.showText(run.text());
            }
            stream.endText();
        }

        private PDType0Font font(ReportFonts.Face face) throws IOException {
            PDType0Font font = loaded.get(face);
            if (font == null) {
                TrueTypeFont file = new TTFParser().parse(new RandomAccessReadBufferedFile(face.file.toFile()));
                // Glyph substitution off: PDFBox applies it per shown string with freshly compiled patterns (minutes
                // for a large table), and ReportText already did the shaping these scripts need.
                file.setEnableGsub(false);
                pdf.registerTrueTypeFontForClosing(file);
                font = PDType0Font.load(pdf, file, true);
                loaded.put(face, font);
            }
            return font;
        }
    }
}
