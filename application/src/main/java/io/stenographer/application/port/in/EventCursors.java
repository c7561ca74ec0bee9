package io.stenographer.application.port.in;

import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.query.EventCursor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Opaque keyset cursors, the same for the API and the console: base64url of "v1:epochMicros:uuid". */
public final class EventCursors {

    private EventCursors() {
    }

    public static String encode(EventCursor cursor) {
        Instant t = cursor.occurredAt();
        long micros = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
        String raw = "v1:" + micros + ":" + cursor.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor, or {@link InvalidCursor} for anything this server did not issue. */
    public static EventCursor decode(String text) {
        try {
            if (text.length() > 200) {
                throw new IllegalArgumentException("too long");
            }
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            String[] parts = raw.split(":", -1);
            if (parts.length != 3 || !"v1".equals(parts[0])) {
                throw new IllegalArgumentException("unknown cursor version");
            }
            long micros = Long.parseLong(parts[1]);
            Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
            // A forged cursor must not carry an instant the store cannot represent (that would be a 500).
            Timestamps.check("cursor", at);
            return new EventCursor(at, new EventId(UUID.fromString(parts[2])));
        } catch (IllegalArgumentException e) {
            throw new InvalidCursor();
        }
    }
}
