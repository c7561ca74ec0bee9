package io.stenographer.domain.sink;

import io.stenographer.domain.event.FieldViolation;
import java.time.Instant;
import java.util.UUID;
import java.util.random.RandomGenerator;

/** Server-assigned id of a stream sink: a UUID version 7, so ids sort by creation time. */
public record SinkId(UUID value) {

    public SinkId {
        if (value == null) {
            throw new FieldViolation("id", "is required");
        }
    }

    /** RFC 9562 UUIDv7: 48-bit Unix milliseconds, version, 74 random bits. */
    public static SinkId newTimeOrdered(Instant now, RandomGenerator random) {
        long high = (now.toEpochMilli() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new SinkId(new UUID(high, low));
    }

    public static SinkId parse(String text) {
        try {
            return new SinkId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new FieldViolation("id", "must be a UUID");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
