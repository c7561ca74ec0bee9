package io.stenographer.domain.event;

import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

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
 */
public final class SealedEventBytes {

    private static final byte[] HEX = ascii("0123456789abcdef");
    /** Verification hashes millions of events: each thread writes into one buffer, hashed in place. */
    private static final ThreadLocal<SealedEventBytes> WRITERS = ThreadLocal.withInitial(SealedEventBytes::new);
    /** 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range {@link Timestamps} accepts. */
    private static final long EARLIEST_SECOND = 0;
    private static final long LATEST_SECOND = 253_402_300_799L;

    private static final byte[] ACTION = ascii("{\"action\":");
    private static final byte[] ACTOR_DISPLAY_NAME = ascii(",\"actor\":{\"displayName\":");
    private static final byte[] ACTOR_ID_AFTER_NAME = ascii(",\"id\":");
    private static final byte[] ACTOR_ID = ascii(",\"actor\":{\"id\":");
    private static final byte[] ACTOR_TYPE = ascii(",\"type\":");
    private static final byte[] CLIENT_EVENT_ID = ascii(",\"clientEventId\":");
    private static final byte[] CORRELATION_ID = ascii(",\"correlationId\":");
    private static final byte[] FORMAT_ID = ascii(",\"format\":\"" + SealedEventFormat.FORMAT + "\",\"id\":\"");
    private static final byte[] FORMAT_V2_ID = ascii(",\"format\":\"" + SealedEventFormat.FORMAT_V2 + "\",\"id\":\"");
    private static final byte[] PERSONAL = ascii(",\"personal\":");
    private static final byte[] METADATA = ascii("\",\"metadata\":");
    private static final byte[] OCCURRED_AT = ascii(",\"occurredAt\":");
    private static final byte[] OUTCOME = ascii(",\"outcome\":");
    private static final byte[] REASON = ascii(",\"reason\":");
    private static final byte[] RECEIVED_AT = ascii(",\"receivedAt\":");
    private static final byte[] RESOURCE_ID = ascii(",\"resource\":{\"id\":");
    private static final byte[] RESOURCE_TYPE = ascii(",\"type\":");
    private static final byte[] SOURCE_APPLICATION = ascii("},\"source\":{\"application\":");
    private static final byte[] SOURCE_APPLICATION_NO_RESOURCE = ascii(",\"source\":{\"application\":");
    private static final byte[] SOURCE_IP = ascii(",\"ip\":");
    private static final byte[] SOURCE_USER_AGENT = ascii(",\"userAgent\":");
    private static final byte[] SUBMITTED_BY = ascii("},\"submittedBy\":");
    private static final byte[] TENANT = ascii(",\"tenant\":");

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
        SealedEventBytes writer = WRITERS.get();
        writer.write(fields);
        return Arrays.copyOf(writer.out, writer.length);
    }

    /** SHA-256(0x00 || {@link #leafInput}), hashed where it was written; the same exceptions. */
    public static Hash leafHash(StoredEventFields fields) {
        SealedEventBytes writer = WRITERS.get();
        writer.write(fields);
        return MerkleHashes.leafHash(writer.out, 0, writer.length);
    }

    private void write(StoredEventFields f) {
        length = 0;
        // Keys in UTF-16 code unit order, the order RFC 8785 section 3.2.3 asks for.
        raw(ACTION);
        string(required("action", f.action()));
        if (f.actorDisplayName() != null) {
            raw(ACTOR_DISPLAY_NAME);
            string(f.actorDisplayName());
            raw(ACTOR_ID_AFTER_NAME);
        } else {
            raw(ACTOR_ID);
        }
        string(required("actor.id", f.actorId()));
        raw(ACTOR_TYPE);
        string(required("actor.type", f.actorType()));
        ensure(1);
        out[length++] = '}';
        if (f.clientEventId() != null) {
            raw(CLIENT_EVENT_ID);
            string(f.clientEventId());
        }
        if (f.correlationId() != null) {
            raw(CORRELATION_ID);
            string(f.correlationId());
        }
        raw(f.personal() == null ? FORMAT_ID : FORMAT_V2_ID);
        uuid(required("id", f.id()));
        raw(METADATA);
        utf8(required("metadata", f.metadata()));
        raw(OCCURRED_AT);
        timestamp(required("occurredAt", f.occurredAt()));
        raw(OUTCOME);
        string(required("outcome", f.outcome()));
        if (f.personal() != null) {
            raw(PERSONAL);
            commitments(f.personal());
        }
        if (f.reason() != null) {
            raw(REASON);
            string(f.reason());
        }
        raw(RECEIVED_AT);
        timestamp(required("receivedAt", f.receivedAt()));
        if (f.resourceType() != null) {
            // As when the event is rebuilt: without a type there is no resource, whatever the id column holds.
            raw(RESOURCE_ID);
            string(required("resource.id", f.resourceId()));
            raw(RESOURCE_TYPE);
            string(f.resourceType());
            raw(SOURCE_APPLICATION);
        } else {
            raw(SOURCE_APPLICATION_NO_RESOURCE);
        }
        string(required("source.application", f.sourceApplication()));
        if (f.sourceIp() != null) {
            raw(SOURCE_IP);
            string(f.sourceIp());
        }
        if (f.sourceUserAgent() != null) {
            raw(SOURCE_USER_AGENT);
            string(f.sourceUserAgent());
        }
        raw(SUBMITTED_BY);
        string(required("submittedBy", f.submittedBy()));
        raw(TENANT);
        string(required("tenant", f.tenant()));
        ensure(1);
        out[length++] = '}';
    }

    /**
     * The stored commitments, copied only when they are exactly canonical: {@code {"path":"64 lower hex",...}} with
     * paths of {@code [A-Za-z0-9._-]} in ascending order. Anything else, such as a text that tries to carry a
     * neighbouring member, is refused here rather than hashed.
     */
    private void commitments(String text) {
        int i = 0;
        int n = text.length();
        String previousPath = null;
        if (n < 2 || text.charAt(i++) != '{') {
            throw new IllegalArgumentException("personal is not a canonical commitments object");
        }
        while (true) {
            if (i >= n || text.charAt(i++) != '"') {
                throw new IllegalArgumentException("personal is not a canonical commitments object");
            }
            int pathStart = i;
            while (i < n && isPathChar(text.charAt(i))) {
                i++;
            }
            String path = text.substring(pathStart, i);
            if (path.isEmpty() || previousPath != null && previousPath.compareTo(path) >= 0
                    || !text.startsWith("\":\"", i)) {
                throw new IllegalArgumentException("personal is not a canonical commitments object");
            }
            i += 3;
            for (int end = i + 64; i < end; i++) {
                char c = i < n ? text.charAt(i) : 0;
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                    throw new IllegalArgumentException("personal holds a commitment that is not 64 lower-case hex");
                }
            }
            if (i >= n || text.charAt(i++) != '"' || i >= n) {
                throw new IllegalArgumentException("personal is not a canonical commitments object");
            }
            previousPath = path;
            char next = text.charAt(i++);
            if (next == '}' && i == n) {
                break;
            }
            if (next != ',') {
                throw new IllegalArgumentException("personal is not a canonical commitments object");
            }
        }
        raw(ascii(text));
    }

    private static boolean isPathChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                || c == '-';
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value;
    }

    /** As {@code UUID.toString()}: lower-case hex in 8-4-4-4-12 groups. */
    private void uuid(UUID id) {
        ensure(36);
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        hex(high >>> 32, 8);
        out[length++] = '-';
        hex(high >>> 16, 4);
        out[length++] = '-';
        hex(high, 4);
        out[length++] = '-';
        hex(low >>> 48, 4);
        out[length++] = '-';
        hex(low, 12);
    }

    private void hex(long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[length + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        length += digits;
    }

    /**
     * The one sealed form of an instant: UTC, {@code uuuu-MM-ddTHH:mm:ss.SSSSSSZ}, as {@link Timestamps}. The date
     * comes from the day number by H. Hinnant's civil-from-days algorithm, with no date objects per field.
     */
    private void timestamp(Instant instant) {
        if (instant.getNano() % 1_000 != 0) {
            throw new IllegalArgumentException("timestamp " + instant + " is finer than microseconds");
        }
        long seconds = instant.getEpochSecond();
        if (seconds < EARLIEST_SECOND || seconds > LATEST_SECOND) {
            throw new IllegalArgumentException("timestamp " + instant + " is outside 1970-9999");
        }
        long days = seconds / 86_400;
        int secondOfDay = (int) (seconds % 86_400);
        long z = days + 719_468; // days since 0000-03-01
        long era = z / 146_097;
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        ensure(29);
        out[length++] = '"';
        digits(year, 4);
        out[length++] = '-';
        digits(month, 2);
        out[length++] = '-';
        digits(day, 2);
        out[length++] = 'T';
        digits(secondOfDay / 3_600, 2);
        out[length++] = ':';
        digits(secondOfDay / 60 % 60, 2);
        out[length++] = ':';
        digits(secondOfDay % 60, 2);
        out[length++] = '.';
        digits(instant.getNano() / 1_000, 6);
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

    private void raw(byte[] ascii) {
        ensure(ascii.length);
        System.arraycopy(ascii, 0, out, length, ascii.length);
        length += ascii.length;
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

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
