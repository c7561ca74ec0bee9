package io.stenographer.domain.sink;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.stream.CefFormat;
import io.stenographer.domain.stream.OcsfFormat;
import io.stenographer.domain.stream.OcsfMapping;
import io.stenographer.domain.stream.StreamLine;
import io.stenographer.domain.stream.StreamRecord;
import io.stenographer.domain.stream.StreamRecordFormat;

/**
 * The text of each stream line in a sink's format: event records as native JSON, OCSF JSON or CEF; checkpoint
 * records always as native JSON (what a receiver verifies against). Transports frame these, never reformat them.
 */
public final class SinkMessages {

    private final SinkFormat format;
    private final OcsfMapping mapping;

    public SinkMessages(SinkFormat format, OcsfMapping mapping) {
        this.format = format;
        this.mapping = mapping;
    }

    public static SinkMessages of(Sink sink) {
        return new SinkMessages(sink.format(), sink.settings().ocsfMapping());
    }

    /** One line, without a line feed. */
    public String render(StreamLine line) {
        if (line instanceof StreamRecord record) {
            return switch (format) {
                case NATIVE -> StreamRecordFormat.write(record);
                case OCSF -> CanonicalJson.canonicalize(OcsfFormat.toOcsf(record, mapping));
                case CEF -> CefFormat.toCef(record);
            };
        }
        return StreamRecordFormat.write(line);
    }

    /** Whether a line is JSON (native or OCSF) rather than a CEF line. */
    public boolean isJson(StreamLine line) {
        return !(line instanceof StreamRecord) || format != SinkFormat.CEF;
    }
}
