package io.stenographer.domain.event;

import java.time.Instant;
import java.util.UUID;
import java.util.random.RandomGenerator;

/** Server-assigned event id: a UUID version 7, so ids sort by the time they were received. */
public record EventId(UUID value) {

    public EventId {
        if (value == null) {
            throw new FieldViolation("id", "is required");
        }
    }

    /** RFC 9562 UUIDv7: 48-bit Unix milliseconds, version, 74 random bits. */
    public static EventId newTimeOrdered(Instant now, RandomGenerator random) {
        long millis = now.toEpochMilli();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new EventId(new UUID(high, low));
    }

    public static EventId parse(String text) {
        try {
            return new EventId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new FieldViolation("id", "must be a UUID");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
