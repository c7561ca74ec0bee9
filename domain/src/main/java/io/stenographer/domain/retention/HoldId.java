package io.stenographer.domain.retention;

import io.stenographer.domain.event.FieldViolation;
import java.time.Instant;
import java.util.UUID;
import java.util.random.RandomGenerator;

/** Server-assigned id of a legal hold: a UUID version 7, so ids sort by the time holds were placed. */
public record HoldId(UUID value) {

    public HoldId {
        if (value == null) {
            throw new FieldViolation("id", "is required");
        }
    }

    /** RFC 9562 UUIDv7: 48-bit Unix milliseconds, version, 74 random bits. */
    public static HoldId newTimeOrdered(Instant now, RandomGenerator random) {
        long millis = now.toEpochMilli();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new HoldId(new UUID(high, low));
    }

    public static HoldId parse(String text) {
        try {
            return new HoldId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new FieldViolation("id", "must be a UUID");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
