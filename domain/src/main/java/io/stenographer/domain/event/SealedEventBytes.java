package io.stenographer.domain.event;

import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * The leaf input of a stored event written straight from its stored fields: the bytes {@link AuditEvent#leafInput()}
 * gives for the same event, without building the event or a JSON tree. Members are written in their canonical
 * (RFC 8785) order, which is fixed because the keys are; strings are escaped as {@code CanonicalJson} does.
 *
 * <p>The stored metadata is copied as it is: storage keeps it as canonical JSON text, so for an unaltered row the
 * bytes are the canonical ones. Because every string is escaped and the members next to {@code metadata} are
 * required, no altered metadata text can absorb a neighbouring member: when these bytes hash to a leaf, every field
 * holds what was sealed into it. A text altered into something no valid event holds gives other bytes, so a caller
 * that finds a mismatch rebuilds the event ({@link StoredEventFields#restore()}) to say what is wrong.
 *
 * <p>Instances are not thread-safe; {@link #leafInput} and {@link #leafHash} need none.
 */
public final class SealedEventBytes {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int EARLIEST_YEAR = 1970;
    private static final int LATEST_YEAR = 9999;

    private byte[] out = new byte[1024];
    private int length;

    private SealedEventBytes() {
    }

    /**
     * The canonical leaf input of the stored event.
     *
     * @throws IllegalArgumentException when a field cannot be written as a valid event would be: a required field
     *                                  is missing, a timestamp is out of range or finer than microseconds, a text
     *                                  holds a lone surrogate
     */
    public static byte[] leafInput(StoredEventFields fields) {
        SealedEventBytes writer = new SealedEventBytes();
        writer.write(fields);
        return Arrays.copyOf(writer.out, writer.length);
    }

    /** SHA-256(0x00 || {@link #leafInput}); the same exceptions. */
    public static Hash leafHash(StoredEventFields fields) {
        return MerkleHashes.leafHash(leafInput(fields));
    }

    private void write(StoredEventFields f) {
        // Keys in UTF-16 code unit order, the order RFC 8785 section 3.2.3 asks for.
        raw("{\"action\":");
        string(required("action", f.action()));
        raw(",\"actor\":{");
        if (f.actorDisplayName() != null) {
            raw("\"displayName\":");
            string(f.actorDisplayName());
            raw(",");
        }
        raw("\"id\":");
        string(required("actor.id", f.actorId()));
        raw(",\"type\":");
        string(required("actor.type", f.actorType()));
        raw("}");
        optional("clientEventId", f.clientEventId());
        optional("correlationId", f.correlationId());
        raw(",\"format\":\"" + SealedEventFormat.FORMAT + "\",\"id\":\"");
        raw(required("id", f.id()).toString());
        raw("\",\"metadata\":");
        utf8(required("metadata", f.metadata()));
        raw(",\"occurredAt\":");
        timestamp(required("occurredAt", f.occurredAt()));
        raw(",\"outcome\":");
        string(required("outcome", f.outcome()));
        optional("reason", f.reason());
        raw(",\"receivedAt\":");
        timestamp(required("receivedAt", f.receivedAt()));
        if (f.resourceType() != null) {
            // As when the event is rebuilt: without a type there is no resource, whatever the id column holds.
            raw(",\"resource\":{\"id\":");
            string(required("resource.id", f.resourceId()));
            raw(",\"type\":");
            string(f.resourceType());
            raw("}");
        }
        raw(",\"source\":{\"application\":");
        string(required("source.application", f.sourceApplication()));
        if (f.sourceIp() != null) {
            raw(",\"ip\":");
            string(f.sourceIp());
        }
        if (f.sourceUserAgent() != null) {
            raw(",\"userAgent\":");
            string(f.sourceUserAgent());
        }
        raw("},\"submittedBy\":");
        string(required("submittedBy", f.submittedBy()));
        raw(",\"tenant\":");
        string(required("tenant", f.tenant()));
        raw("}");
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value;
    }

    private void optional(String name, String value) {
        if (value != null) {
            raw(",\"" + name + "\":");
            string(value);
        }
    }

    /** The one sealed form of an instant: UTC, {@code uuuu-MM-ddTHH:mm:ss.SSSSSSZ}, as {@link Timestamps}. */
    private void timestamp(Instant instant) {
        if (instant.getNano() % 1_000 != 0) {
            throw new IllegalArgumentException("timestamp " + instant + " is finer than microseconds");
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < EARLIEST_YEAR || t.getYear() > LATEST_YEAR) {
            throw new IllegalArgumentException("timestamp " + instant + " is outside 1970-9999");
        }
        ensure(30);
        out[length++] = '"';
        digits(t.getYear(), 4);
        out[length++] = '-';
        digits(t.getMonthValue(), 2);
        out[length++] = '-';
        digits(t.getDayOfMonth(), 2);
        out[length++] = 'T';
        digits(t.getHour(), 2);
        out[length++] = ':';
        digits(t.getMinute(), 2);
        out[length++] = ':';
        digits(t.getSecond(), 2);
        out[length++] = '.';
        digits(t.getNano() / 1_000, 6);
        out[length++] = 'Z';
        out[length++] = '"';
    }

    private void digits(int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            out[length + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
    }

    /** ASCII text that needs no escaping: keys and punctuation. */
    private void raw(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            out[length++] = (byte) ascii.charAt(i);
        }
    }

    /** A JSON string, escaped exactly as {@code CanonicalJson} escapes it, in UTF-8. */
    private void string(String s) {
        ensure(s.length() * 6 + 2); // the longest form of a char is a six-byte \\u00XX escape
        out[length++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                out[length++] = (byte) c;
                continue;
            }
            switch (c) {
                case '"' -> escape('"');
                case '\\' -> escape('\\');
                case '\b' -> escape('b');
                case '\t' -> escape('t');
                case '\n' -> escape('n');
                case '\f' -> escape('f');
                case '\r' -> escape('r');
                default -> {
                    if (c < 0x20) {
                        out[length++] = '\\';
                        out[length++] = 'u';
                        out[length++] = '0';
                        out[length++] = '0';
                        out[length++] = HEX[c >> 4];
                        out[length++] = HEX[c & 0xF];
                    } else {
                        i = encode(s, i);
                    }
                }
            }
        }
        out[length++] = '"';
    }

    private void escape(char c) {
        out[length++] = '\\';
        out[length++] = (byte) c;
    }

    /** Text copied as it is, in UTF-8: the stored metadata. */
    private void utf8(String s) {
        ensure(s.length() * 3);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[length++] = (byte) c;
            } else {
                i = encode(s, i);
            }
        }
    }

    /**
     * Writes the non-ASCII character at {@code i} in UTF-8 and returns the index of its last char. A lone surrogate
     * has no UTF-8 form; {@code String.getBytes} would write '?' for it, which could pass for a stored '?'.
     */
    private int encode(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x800) {
            out[length++] = (byte) (0xC0 | c >> 6);
            out[length++] = (byte) (0x80 | c & 0x3F);
            return i;
        }
        if (!Character.isSurrogate(c)) {
            out[length++] = (byte) (0xE0 | c >> 12);
            out[length++] = (byte) (0x80 | c >> 6 & 0x3F);
            out[length++] = (byte) (0x80 | c & 0x3F);
            return i;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            out[length++] = (byte) (0xF0 | cp >> 18);
            out[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
            out[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[length++] = (byte) (0x80 | cp & 0x3F);
            return i + 1;
        }
        throw new IllegalArgumentException("text holds a lone surrogate at position " + i);
    }

    private void ensure(int more) {
        if (length + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
        }
    }
}
