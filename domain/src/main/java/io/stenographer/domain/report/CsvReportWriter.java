package io.stenographer.domain.report;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonValue;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The event table as RFC 4180 CSV (UTF-8, CRLF, one header row), every cell escaped by {@link CsvCells}.
 * Header, summary and findings are in the JSON, PDF and bundle formats and in the report's status.
 */
public final class CsvReportWriter {

    public static final List<String> COLUMNS = List.of("index", "leafHash", "eventId", "occurredAt", "receivedAt",
            "actorId", "actorType", "actorDisplayName", "action", "resourceType", "resourceId", "outcome", "reason",
            "sourceApplication", "sourceIp", "sourceUserAgent", "correlationId", "submittedBy", "metadata",
            "redactions");

    private CsvReportWriter() {
    }

    public static void write(ReportEvents events, OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        writer.write(CsvCells.row(COLUMNS));
        events.forEach(entry -> writer.write(CsvCells.row(cells(entry))));
        writer.flush();
    }

    static List<String> cells(ReportEntry entry) {
        JsonObject e = entry.event();
        JsonValue metadata = e.get("metadata");
        List<String> cells = new ArrayList<>(COLUMNS.size());
        cells.add(Long.toString(entry.index()));
        cells.add(entry.leafHash() == null ? "" : entry.leafHash().hex());
        cells.add(ReportJson.string(e, "id"));
        cells.add(ReportJson.string(e, "occurredAt"));
        cells.add(ReportJson.string(e, "receivedAt"));
        cells.add(ReportJson.string(e, "actor.id"));
        cells.add(ReportJson.string(e, "actor.type"));
        cells.add(ReportJson.string(e, "actor.displayName"));
        cells.add(ReportJson.string(e, "action"));
        cells.add(ReportJson.string(e, "resource.type"));
        cells.add(ReportJson.string(e, "resource.id"));
        cells.add(ReportJson.string(e, "outcome"));
        cells.add(ReportJson.string(e, "reason"));
        cells.add(ReportJson.string(e, "source.application"));
        cells.add(ReportJson.string(e, "source.ip"));
        cells.add(ReportJson.string(e, "source.userAgent"));
        cells.add(ReportJson.string(e, "correlationId"));
        cells.add(ReportJson.string(e, "submittedBy"));
        cells.add(metadata == null ? null : CanonicalJson.canonicalize(metadata));
        cells.add(String.join(" ", entry.redactions()));
        return cells;
    }
}
