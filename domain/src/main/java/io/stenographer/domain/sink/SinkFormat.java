package io.stenographer.domain.sink;

import io.stenographer.domain.event.FieldViolation;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a sink's event records look like (docs/STREAMING.md §6-8). Checkpoint records are always native: they are
 * what a receiver verifies against, and no SIEM schema has a place for them.
 */
public enum SinkFormat {
    /** {@code stenographer.stream/v1}: the sealed event with its index, leaf hash and tenant. */
    NATIVE,
    /** OCSF 1.3.0, with the integrity fields under {@code unmapped.stenographer}. */
    OCSF,
    /** CEF:0 lines; syslog only. Readable, not verifiable: CEF cannot carry the full sealed event. */
    CEF;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SinkFormat parse(String text) {
        for (SinkFormat format : values()) {
            if (format.wireName().equals(text)) {
                return format;
            }
        }
        throw new FieldViolation("format", "must be one of " + Arrays.stream(values())
                .map(SinkFormat::wireName).collect(Collectors.joining(", ")));
    }
}
