package io.stenographer.domain.report;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A report as one JSON document ({@value ReportHeader#FORMAT}): format, header, summary, rules (tables,
 * findings, notes) and the event table under {@code events}. Written in a stream: every member is RFC
 * 8785 canonical JSON, the events are written one by one, so memory does not grow with the report.
 */
public final class JsonReportWriter {

    private JsonReportWriter() {
    }

    public static void write(ReportDocument document, ReportEvents events, OutputStream target) throws IOException {
        OutputStream out = new BufferedOutputStream(target, 1 << 16);
        String prefix = CanonicalJson.canonicalize(document.toJson());
        // The canonical object ends with '}': reopen it to append the streamed events member last.
        out.write(prefix.substring(0, prefix.length() - 1).getBytes(StandardCharsets.UTF_8));
        out.write(",\"events\":[".getBytes(StandardCharsets.US_ASCII));
        boolean[] first = {true};
        events.forEach(entry -> {
            if (!first[0]) {
                out.write(',');
            }
            first[0] = false;
            out.write(CanonicalJson.canonicalBytes(entry.toJson()));
            out.write('\n');
        });
        out.write("]}\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The report without events, as in a bundle's report.json. */
    public static byte[] withoutEvents(ReportDocument document, String eventsFile) {
        JsonObject json = document.toJsonBuilder().put("eventsFile", eventsFile).build();
        return (CanonicalJson.canonicalize(json) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
