package io.stenographer.domain.event;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The one textual form of instants in sealed events: UTC, exactly six fraction digits. A fixed width
 * keeps the canonical bytes reproducible in any language, and PostgreSQL stores microseconds.
 */
public final class Timestamps {

    private static final DateTimeFormatter SEALED =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return SEALED.format(instant);
    }

    public static Instant parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new FieldViolation(field, "is required");
        }
        Instant parsed;
        try {
            parsed = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
        } catch (DateTimeParseException e) {
            throw new FieldViolation(field, "must be an RFC 3339 date-time with offset, e.g. 2026-01-31T12:00:00Z");
        }
        return check(field, parsed);
    }

    /** Rejects what could not be stored without loss: sub-microsecond digits, years outside 1970-9999. */
    public static Instant check(String field, Instant instant) {
        if (instant == null) {
            throw new FieldViolation(field, "is required");
        }
        if (instant.getNano() % 1_000 != 0) {
            throw new FieldViolation(field, "must have at most microsecond precision");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new FieldViolation(field, "must be between 1970-01-01 and 9999-12-31");
        }
        return instant;
    }

    /** Server clocks may carry nanoseconds; sealed times never do. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
