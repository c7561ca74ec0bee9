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
import java.util.Map;
import java.util.TreeMap;
import io.stenographer.domain.json.JsonString;

/**
 * The event table as RFC 4180 CSV (UTF-8, CRLF, one header row), every cell escaped by {@link CsvCells}.
 * Header, summary and findings are in the JSON, PDF and bundle formats and in the report's status.
 *
 * <p>In a report with personal data, a v2 event's revealed values fill the cells of their fields (metadata values
 * merged into the metadata object), and the last column says each committed field's status
 * ({@code actor.displayName=revealed source.ip=erased}), so an empty cell is never mistaken for an empty value.
 */
public final class CsvReportWriter {

    public static final List<String> COLUMNS = List.of("index", "leafHash", "eventId", "occurredAt", "receivedAt",
            "actorId", "actorType", "actorDisplayName", "action", "resourceType", "resourceId", "outcome", "reason",
            "sourceApplication", "sourceIp", "sourceUserAgent", "correlationId", "submittedBy", "metadata",
            "redactions", "personalData");

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
        JsonValue metadata = withRevealedMetadata(entry, e.get("metadata"));
        List<String> cells = new ArrayList<>(COLUMNS.size());
        cells.add(Long.toString(entry.index()));
        cells.add(entry.leafHash() == null ? "" : entry.leafHash().hex());
        cells.add(ReportJson.string(e, "id"));
        cells.add(ReportJson.string(e, "occurredAt"));
        cells.add(ReportJson.string(e, "receivedAt"));
        cells.add(entry.text("actor.id"));
        cells.add(ReportJson.string(e, "actor.type"));
        cells.add(entry.text("actor.displayName"));
        cells.add(ReportJson.string(e, "action"));
        cells.add(ReportJson.string(e, "resource.type"));
        cells.add(entry.text("resource.id"));
        cells.add(ReportJson.string(e, "outcome"));
        cells.add(entry.text("reason"));
        cells.add(ReportJson.string(e, "source.application"));
        cells.add(entry.text("source.ip"));
        cells.add(entry.text("source.userAgent"));
        cells.add(ReportJson.string(e, "correlationId"));
        cells.add(ReportJson.string(e, "submittedBy"));
        cells.add(metadata == null ? null : CanonicalJson.canonicalize(metadata));
        cells.add(entry.redactionsText());
        cells.add(personalStatus(entry));
        return cells;
    }

    private static JsonValue withRevealedMetadata(ReportEntry entry, JsonValue metadata) {
        if (entry.personalData() == null) {
            return metadata;
        }
        Map<String, JsonValue> merged = new TreeMap<>(metadata instanceof JsonObject object ? object.members() : Map.of());
        entry.personalData().members().keySet().stream().filter(path -> path.startsWith("metadata.")).forEach(path -> {
            JsonValue value = entry.personalValue(path);
            if (value != null) {
                merged.put(path.substring("metadata.".length()), value);
            }
        });
        return merged.isEmpty() ? metadata : new JsonObject(merged);
    }

    private static String personalStatus(ReportEntry entry) {
        if (entry.personalData() == null) {
            return "";
        }
        List<String> statuses = new ArrayList<>();
        entry.personalData().members().forEach((path, field) -> statuses.add(path + "="
                + (field instanceof JsonObject object && object.get("status") instanceof JsonString status
                        ? status.value() : "?")));
        return String.join(" ", statuses);
    }
}
