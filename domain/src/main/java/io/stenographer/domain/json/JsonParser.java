package io.stenographer.domain.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A strict RFC 8259 parser that also enforces the I-JSON (RFC 7493) rules RFC 8785 relies on.
 *
 * <p>Leniency here would be a tamper vector: two parsers that read the same bytes differently
 * (duplicate names, lone surrogates, integers a double would round) can make one canonical form stand for two
 * meanings. So anything ambiguous is rejected rather than repaired.
 *
 * <p>The parser is iterative, so {@code maxDepth} bounds memory, not the Java stack.
 */
public final class JsonParser {

    /** Largest integer magnitude a double holds exactly (I-JSON, RFC 7493 section 2.2). */
    private static final long MAX_EXACT_INTEGER = 1L << 53;

    /** Digits of the largest finite double (about 1.8e308) written as an integer. */
    private static final int MAX_DOUBLE_INTEGER_DIGITS = 309;

    private final String text;
    private final int maxDepth;
    private int pos;

    private JsonParser(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    /**
     * Parses one JSON text.
     *
     * @param maxDepth deepest nesting allowed, counted as {@link JsonValue#depth()} does
     *                 (a scalar is 0, {@code []} is 1, {@code [[]]} is 2)
     * @throws JsonSyntaxException if the text is not strict JSON or nests deeper than maxDepth
     */
    public static JsonValue parse(String text, int maxDepth) {
        Objects.requireNonNull(text, "text");
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be >= 0, was " + maxDepth);
        }
        return new JsonParser(text, maxDepth).document();
    }

    /**
     * Parses one JSON text given as UTF-8 bytes. Invalid UTF-8 is rejected (never replaced with
     * U+FFFD), and the exception offset is then a byte offset.
     */
    public static JsonValue parse(byte[] utf8, int maxDepth) {
        Objects.requireNonNull(utf8, "utf8");
        return parse(decodeUtf8(utf8), maxDepth);
    }

    private static String decodeUtf8(byte[] utf8) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new JsonSyntaxException("invalid UTF-8: malformed byte sequence of length "
                    + result.length(), in.position());
        }
        if (!result.isUnderflow()) {
            // Cannot happen: UTF-8 never yields more chars than bytes.
            throw new IllegalStateException("UTF-8 decoder overflow");
        }
        out.flip();
        return out.toString();
    }

    // ---- structure ---------------------------------------------------------------------------

    /** An open array or object whose members are still being read. */
    private static final class Frame {
        final boolean object;
        final List<JsonValue> elements;
        final Map<String, JsonValue> members;
        String pendingName;

        Frame(boolean object) {
            this.object = object;
            this.elements = object ? null : new ArrayList<>();
            this.members = object ? new LinkedHashMap<>() : null;
        }

        void add(JsonValue value) {
            if (object) {
                members.put(pendingName, value);
                pendingName = null;
            } else {
                elements.add(value);
            }
        }

        JsonValue build() {
            return object ? new JsonObject(members) : new JsonArray(elements);
        }

        char closer() {
            return object ? '}' : ']';
        }
    }

    private JsonValue document() {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw error("byte order mark is not allowed", 0);
        }
        skipWhitespace();
        JsonValue value = value();
        skipWhitespace();
        if (pos < text.length()) {
            throw error("unexpected content after the JSON value", pos);
        }
        return value;
    }

    private JsonValue value() {
        Deque<Frame> open = new ArrayDeque<>();
        while (true) {
            // Expecting the start of a value.
            skipWhitespace();
            JsonValue completed;
            char c = peek("a value");
            if (c == '{' || c == '[') {
                if (open.size() + 1 > maxDepth) {
                    throw error("nesting is deeper than the allowed maximum of " + maxDepth, pos);
                }
                pos++;
                Frame frame = new Frame(c == '{');
                skipWhitespace();
                if (peek(frame.object ? "a member name or '}'" : "a value or ']'") == frame.closer()) {
                    pos++;
                    completed = frame.build();
                } else {
                    open.push(frame);
                    if (frame.object) {
                        memberName(frame);
                    }
                    continue;
                }
            } else {
                completed = scalar(c);
            }
            // Attach the completed value to its parents, closing every container that ends here.
            while (true) {
                Frame top = open.peek();
                if (top == null) {
                    return completed;
                }
                top.add(completed);
                skipWhitespace();
                char next = peek("',' or '" + top.closer() + "'");
                pos++;
                if (next == ',') {
                    if (top.object) {
                        skipWhitespace();
                        memberName(top);
                    }
                    break;
                }
                if (next != top.closer()) {
                    throw error("expected ',' or '" + top.closer() + "' but found " + describe(next), pos - 1);
                }
                open.pop();
                completed = top.build();
            }
        }
    }

    private void memberName(Frame frame) {
        int start = pos;
        if (peek("a member name") != '"') {
            throw error("expected a member name in double quotes but found " + describe(text.charAt(pos)), pos);
        }
        String name = string();
        if (frame.members.containsKey(name)) {
            throw error("duplicate member name \"" + name + "\"", start);
        }
        skipWhitespace();
        if (peek("':'") != ':') {
            throw error("expected ':' after member name but found " + describe(text.charAt(pos)), pos);
        }
        pos++;
        frame.pendingName = name;
    }

    private JsonValue scalar(char c) {
        switch (c) {
            case '"':
                return new JsonString(string());
            case 't':
                literal("true");
                return JsonBoolean.TRUE;
            case 'f':
                literal("false");
                return JsonBoolean.FALSE;
            case 'n':
                literal("null");
                return JsonNull.INSTANCE;
            case 'N':
            case 'I':
                throw error("NaN and Infinity are not valid JSON numbers", pos);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("expected a value but found " + describe(c), pos);
        }
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("invalid literal, expected '" + word + "'", pos);
        }
        pos += word.length();
    }

    // ---- numbers -----------------------------------------------------------------------------

    private JsonValue number() {
        int start = pos;
        if (text.charAt(pos) == '-') {
            pos++;
            if (pos < text.length() && text.charAt(pos) == 'I') {
                throw error("NaN and Infinity are not valid JSON numbers", start);
            }
        }
        int intStart = pos;
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
            throw error("expected a digit", pos);
        }
        if (text.charAt(pos) == '0' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
            throw error("leading zeros are not allowed in numbers", pos);
        }
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        int intEnd = pos;
        boolean integer = true;
        if (pos < text.length() && text.charAt(pos) == '.') {
            integer = false;
            pos++;
            requireDigits("a digit after the decimal point");
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            integer = false;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            requireDigits("a digit in the exponent");
        }
        if (integer) {
            checkExactInteger(intStart, intEnd, start);
        }
        double value = Double.parseDouble(text.substring(start, pos));
        if (Double.isInfinite(value)) {
            throw error("number is too large for an IEEE 754 double", start);
        }
        return new JsonNumber(value);
    }

    /**
     * An integer literal must not be silently rounded (I-JSON, RFC 7493 section 2.2): two parsers
     * could then disagree about which number the text means. Up to 2^53 every integer is exact.
     * Beyond that two spellings are accepted, both naming one double without doubt:
     * <ul>
     *   <li>the exact value of a double ({@code 295147905179352825856} is 2^68), and</li>
     *   <li>the RFC 8785 spelling of a double. JCS writes every whole-number double below 1e21 as
     *       its shortest round-trip digits padded with zeros ({@code 1e20} becomes
     *       {@code 100000000000000000000}, 2^68 becomes {@code 295147905179352830000}), and
     *       canonical text we stored must read back.</li>
     * </ul>
     * Anything else ({@code 9007199254740993}, most 64-bit ids) would be rounded and is rejected.
     */
    private void checkExactInteger(int digitsStart, int digitsEnd, int numberStart) {
        int length = digitsEnd - digitsStart;
        if (length < 16 || (length == 16 && Long.parseLong(text, digitsStart, digitsEnd, 10) <= MAX_EXACT_INTEGER)) {
            return;
        }
        if (length > MAX_DOUBLE_INTEGER_DIGITS) {
            // Larger than any finite double; bounding the length also bounds the BigInteger work.
            throw error("number is too large for an IEEE 754 double", numberStart);
        }
        String digits = text.substring(digitsStart, digitsEnd);
        BigInteger exact = new BigInteger(digits);
        double nearest = exact.doubleValue();
        if (Double.isInfinite(nearest)) {
            throw error("number is too large for an IEEE 754 double", numberStart);
        }
        boolean exactlyRepresentable = new BigDecimal(nearest).toBigIntegerExact().equals(exact);
        if (!exactlyRepresentable && !CanonicalJson.formatNumber(nearest).equals(digits)) {
            throw error("integer magnitude exceeds 2^53 and a double would round it: it is neither the exact "
                    + "value nor the RFC 8785 form of a double (I-JSON, RFC 7493); send large integers such as "
                    + "ids as strings", numberStart);
        }
    }

    private void requireDigits(String what) {
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
            throw error("expected " + what, pos);
        }
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ---- strings -----------------------------------------------------------------------------

    private String string() {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string", pos);
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return out.toString();
            }
            if (c < 0x20) {
                throw error(String.format("control character U+%04X must be escaped in strings", (int) c), pos);
            }
            if (c == '\\') {
                escape(out);
            } else if (Character.isHighSurrogate(c)) {
                if (pos + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(pos + 1))) {
                    throw error("lone surrogate in string", pos);
                }
                out.append(c).append(text.charAt(pos + 1));
                pos += 2;
            } else if (Character.isLowSurrogate(c)) {
                throw error("lone surrogate in string", pos);
            } else {
                out.append(c);
                pos++;
            }
        }
    }

    private void escape(StringBuilder out) {
        int start = pos;
        pos++; // backslash
        if (pos >= text.length()) {
            throw error("unterminated escape sequence", start);
        }
        char c = text.charAt(pos++);
        switch (c) {
            case '"': out.append('"'); return;
            case '\\': out.append('\\'); return;
            case '/': out.append('/'); return;
            case 'b': out.append('\b'); return;
            case 'f': out.append('\f'); return;
            case 'n': out.append('\n'); return;
            case 'r': out.append('\r'); return;
            case 't': out.append('\t'); return;
            case 'u': break;
            default: throw error("invalid escape sequence \\" + c, start);
        }
        char unit = hex4(start);
        if (Character.isLowSurrogate(unit)) {
            throw error("lone surrogate escape \\u" + hexOf(unit), start);
        }
        if (Character.isHighSurrogate(unit)) {
            // The pair must be written as two escapes; anything else leaves half a character.
            int second = pos;
            if (!text.startsWith("\\u", pos)) {
                throw error("lone surrogate escape \\u" + hexOf(unit) + " (not followed by a low surrogate escape)", start);
            }
            pos += 2;
            char low = hex4(second);
            if (!Character.isLowSurrogate(low)) {
                throw error("lone surrogate escape \\u" + hexOf(unit) + " (not followed by a low surrogate escape)", start);
            }
            out.append(unit).append(low);
            return;
        }
        out.append(unit);
    }

    private char hex4(int escapeStart) {
        if (pos + 4 > text.length()) {
            throw error("\\u escape needs four hex digits", escapeStart);
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            // Character.digit also accepts non-ASCII digits; JSON only allows ASCII hex.
            if (digit < 0 || text.charAt(pos + i) > 'f') {
                throw error("\\u escape needs four hex digits", escapeStart);
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private static String hexOf(char c) {
        return String.format("%04X", (int) c);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private char peek(String expected) {
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected " + expected, pos);
        }
        return text.charAt(pos);
    }

    private static String describe(char c) {
        if (c < 0x20 || c > 0x7e) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private static JsonSyntaxException error(String message, int offset) {
        return new JsonSyntaxException(message, offset);
    }
}
