package io.stenographer.domain.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decides, in one pass over UTF-8 bytes and without building a tree, whether they are exactly what
 * {@link CanonicalJson} writes for the value {@link JsonParser} reads from them: sorted unique member names, no
 * whitespace, CanonicalJson's string escaping (only {@code \"}, {@code \\}, {@code \b \t \n \f \r} and
 * backslash-u00xx in lowercase hex for other control characters; everything else raw, as valid UTF-8) and its
 * number form ({@link CanonicalJson#formatNumber}).
 *
 * <p>So that a fast path can trust it: whenever it says yes, {@code JsonParser.parse(bytes, maxDepth)} succeeds and
 * {@code CanonicalJson.canonicalBytes} of the result gives the same bytes back. It says yes for every such text.
 */
public final class CanonicalJsonValidator {

    /** Told of each member of the outermost object, once that member's value has been validated. */
    @FunctionalInterface
    public interface TopLevelMembers {
        /** Name bounds exclude the quotes; value bounds are the value's own bytes. */
        void member(byte[] bytes, int nameStart, int nameEnd, int valueStart, int valueEnd);
    }

    /** Thrown internally on the first byte that is not canonical; never escapes this class. */
    private static final class NotCanonical extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final NotCanonical INSTANCE = new NotCanonical();

        private NotCanonical() {
            super(null, null, false, false);
        }
    }

    /** Printable ASCII other than the quote and the backslash: written raw, needing no further look. */
    private static final boolean[] PLAIN_STRING_BYTE = new boolean[256];

    static {
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN_STRING_BYTE[c] = c != '"' && c != '\\';
        }
    }

    private final byte[] bytes;
    private final int end;
    private final int maxDepth;
    private final TopLevelMembers topLevelMembers;
    private int pos;

    private CanonicalJsonValidator(byte[] bytes, int start, int end, int maxDepth, TopLevelMembers topLevelMembers) {
        this.bytes = bytes;
        this.pos = start;
        this.end = end;
        this.maxDepth = maxDepth;
        this.topLevelMembers = topLevelMembers;
    }

    /** Whether all of {@code utf8} is one canonical JSON text nesting at most {@code maxDepth} deep. */
    public static boolean isCanonical(byte[] utf8, int maxDepth) {
        return canonicalValueEnd(utf8, 0, utf8.length, maxDepth, null) == utf8.length;
    }

    /**
     * Where the canonical JSON value starting at {@code start} ends (exclusive), or -1 when the bytes from
     * {@code start} do not begin with one. Bytes after the value are not looked at.
     *
     * @param maxDepth        deepest nesting allowed, counted as {@link JsonParser} counts it
     * @param topLevelMembers told of the members of the value when it is an object; may be null
     */
    public static int canonicalValueEnd(byte[] bytes, int start, int end, int maxDepth,
                                        TopLevelMembers topLevelMembers) {
        if (start < 0 || end > bytes.length || start > end) {
            throw new IndexOutOfBoundsException("range [" + start + ", " + end + ") of " + bytes.length + " bytes");
        }
        CanonicalJsonValidator validator = new CanonicalJsonValidator(bytes, start, end, maxDepth, topLevelMembers);
        try {
            validator.value(0);
            return validator.pos;
        } catch (NotCanonical e) {
            return -1;
        }
    }

    /**
     * The string a canonical JSON string's contents (between the quotes, already validated) stand for.
     */
    public static String decodeCanonicalString(byte[] bytes, int start, int end) {
        byte[] unescaped = null;
        int length = 0;
        for (int i = start; i < end; i++) {
            if (bytes[i] == '\\') {
                unescaped = new byte[end - start];
                break;
            }
        }
        if (unescaped == null) {
            return new String(bytes, start, end - start, StandardCharsets.UTF_8);
        }
        for (int i = start; i < end; i++) {
            byte b = bytes[i];
            if (b != '\\') {
                unescaped[length++] = b;
                continue;
            }
            byte e = bytes[++i];
            switch (e) {
                case 'b' -> unescaped[length++] = '\b';
                case 't' -> unescaped[length++] = '\t';
                case 'n' -> unescaped[length++] = '\n';
                case 'f' -> unescaped[length++] = '\f';
                case 'r' -> unescaped[length++] = '\r';
                case 'u' -> {
                    unescaped[length++] = (byte) (hexValue(bytes[i + 3]) * 16 + hexValue(bytes[i + 4]));
                    i += 4;
                }
                default -> unescaped[length++] = e; // \" and \\
            }
        }
        // Escapes stand for ASCII, so the unescaped bytes are still valid UTF-8.
        return new String(unescaped, 0, length, StandardCharsets.UTF_8);
    }

    // ---- values ------------------------------------------------------------------------------

    /** @param open how many containers enclose this value */
    private void value(int open) {
        byte c = peek();
        switch (c) {
            case '{' -> object(open);
            case '[' -> array(open);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw NotCanonical.INSTANCE;
                }
            }
        }
    }

    private void object(int open) {
        if (open + 1 > maxDepth) {
            throw NotCanonical.INSTANCE;
        }
        pos++;
        if (peek() == '}') {
            pos++;
            return;
        }
        int previousStart = -1;
        int previousEnd = -1;
        boolean previousPlain = true;
        while (true) {
            if (peek() != '"') {
                throw NotCanonical.INSTANCE;
            }
            int nameStart = pos + 1;
            boolean plain = string();
            int nameEnd = pos - 1;
            if (previousStart >= 0
                    && !ascending(previousStart, previousEnd, previousPlain, nameStart, nameEnd, plain)) {
                throw NotCanonical.INSTANCE;
            }
            previousStart = nameStart;
            previousEnd = nameEnd;
            previousPlain = plain;
            expect(':');
            int valueStart = pos;
            value(open + 1);
            if (open == 0 && topLevelMembers != null) {
                topLevelMembers.member(bytes, nameStart, nameEnd, valueStart, pos);
            }
            byte next = peek();
            pos++;
            if (next == '}') {
                return;
            }
            if (next != ',') {
                throw NotCanonical.INSTANCE;
            }
        }
    }

    /** Names strictly ascending in UTF-16 code units (RFC 8785 3.2.3), which also rules out duplicates. */
    private boolean ascending(int aStart, int aEnd, boolean aPlain, int bStart, int bEnd, boolean bPlain) {
        if (aPlain && bPlain) {
            // Unescaped ASCII: byte order is code unit order.
            return Arrays.compare(bytes, aStart, aEnd, bytes, bStart, bEnd) < 0;
        }
        return decodeCanonicalString(bytes, aStart, aEnd).compareTo(decodeCanonicalString(bytes, bStart, bEnd)) < 0;
    }

    private void array(int open) {
        if (open + 1 > maxDepth) {
            throw NotCanonical.INSTANCE;
        }
        pos++;
        if (peek() == ']') {
            pos++;
            return;
        }
        while (true) {
            value(open + 1);
            byte next = peek();
            pos++;
            if (next == ']') {
                return;
            }
            if (next != ',') {
                throw NotCanonical.INSTANCE;
            }
        }
    }

    private void literal(String word) {
        int length = word.length();
        if (pos + length > end) {
            throw NotCanonical.INSTANCE;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[pos + i] != word.charAt(i)) {
                throw NotCanonical.INSTANCE;
            }
        }
        pos += length;
    }

    // ---- strings -----------------------------------------------------------------------------

    /** Validates a string from its opening quote; true when it is plain ASCII without escapes. */
    private boolean string() {
        pos++; // opening quote
        boolean plain = true;
        while (true) {
            // Most bytes are printable ASCII that stands for itself: skip them in a tight loop.
            while (pos < end && PLAIN_STRING_BYTE[bytes[pos] & 0xff]) {
                pos++;
            }
            int c = peek() & 0xff;
            if (c == '"') {
                pos++;
                return plain;
            }
            if (c < 0x20) {
                throw NotCanonical.INSTANCE; // CanonicalJson escapes every control character
            }
            if (c == '\\') {
                plain = false;
                escape();
            } else if (c < 0x80) {
                pos++;
            } else {
                plain = false;
                utf8Sequence(c);
            }
        }
    }

    /** Only the escapes CanonicalJson writes: never {@code \/}, never backslash-u for what it writes raw. */
    private void escape() {
        if (pos + 1 >= end) {
            throw NotCanonical.INSTANCE;
        }
        switch (bytes[pos + 1]) {
            case '"', '\\', 'b', 't', 'n', 'f', 'r' -> pos += 2;
            case 'u' -> {
                if (pos + 6 > end || bytes[pos + 2] != '0' || bytes[pos + 3] != '0') {
                    throw NotCanonical.INSTANCE;
                }
                byte high = bytes[pos + 4];
                byte low = bytes[pos + 5];
                if ((high != '0' && high != '1') || !isLowerHexDigit(low)) {
                    throw NotCanonical.INSTANCE;
                }
                int unit = (high - '0') * 16 + hexValue(low);
                if (unit == '\b' || unit == '\t' || unit == '\n' || unit == '\f' || unit == '\r') {
                    throw NotCanonical.INSTANCE; // these have short escapes
                }
                pos += 6;
            }
            default -> throw NotCanonical.INSTANCE;
        }
    }

    /** A well-formed UTF-8 sequence (no overlong forms, no surrogates, at most U+10FFFF), as the parser's decoder. */
    private void utf8Sequence(int first) {
        int continuations;
        int secondMin = 0x80;
        int secondMax = 0xbf;
        if (first >= 0xc2 && first <= 0xdf) {
            continuations = 1;
        } else if (first >= 0xe0 && first <= 0xef) {
            continuations = 2;
            if (first == 0xe0) {
                secondMin = 0xa0;
            } else if (first == 0xed) {
                secondMax = 0x9f;
            }
        } else if (first >= 0xf0 && first <= 0xf4) {
            continuations = 3;
            if (first == 0xf0) {
                secondMin = 0x90;
            } else if (first == 0xf4) {
                secondMax = 0x8f;
            }
        } else {
            throw NotCanonical.INSTANCE;
        }
        if (pos + continuations >= end) {
            throw NotCanonical.INSTANCE;
        }
        int second = bytes[pos + 1] & 0xff;
        if (second < secondMin || second > secondMax) {
            throw NotCanonical.INSTANCE;
        }
        for (int i = 2; i <= continuations; i++) {
            int next = bytes[pos + i] & 0xff;
            if (next < 0x80 || next > 0xbf) {
                throw NotCanonical.INSTANCE;
            }
        }
        pos += 1 + continuations;
    }

    // ---- numbers -----------------------------------------------------------------------------

    private void number() {
        int start = pos;
        while (pos < end && isNumberByte(bytes[pos])) {
            pos++;
        }
        if (!isCanonicalNumber(start, pos)) {
            throw NotCanonical.INSTANCE;
        }
    }

    private boolean isCanonicalNumber(int start, int stop) {
        int digitsStart = bytes[start] == '-' ? start + 1 : start;
        int digits = stop - digitsStart;
        // The common case: a small integer, which CanonicalJson writes as Long.toString does.
        if (digits > 0 && digits <= 15 && allDigits(digitsStart, stop)
                && (bytes[digitsStart] != '0' || (digits == 1 && digitsStart == start))) {
            return true;
        }
        String written = new String(bytes, start, stop - start, StandardCharsets.US_ASCII);
        double value;
        try {
            value = Double.parseDouble(written);
        } catch (NumberFormatException e) {
            return false;
        }
        // formatNumber's output reads back as the same double, and the parser accepts it (integers past 2^53
        // included), so equality is exactly "canonical".
        return !Double.isInfinite(value) && !Double.isNaN(value) && CanonicalJson.formatNumber(value).equals(written);
    }

    private boolean allDigits(int start, int stop) {
        for (int i = start; i < stop; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumberByte(byte b) {
        return (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
    }

    // ---- helpers -----------------------------------------------------------------------------

    private byte peek() {
        if (pos >= end) {
            throw NotCanonical.INSTANCE;
        }
        return bytes[pos];
    }

    private void expect(char c) {
        if (peek() != c) {
            throw NotCanonical.INSTANCE;
        }
        pos++;
    }

    private static boolean isLowerHexDigit(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f');
    }

    private static int hexValue(byte b) {
        return b <= '9' ? b - '0' : b - 'a' + 10;
    }
}
