package io.stenographer.domain.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * <p>The canonical bytes are what get hashed into the Merkle tree, so this must agree byte for byte
 * with every other JCS implementation; anyone holding an exported event must be able to recompute
 * its leaf hash in any language.
 */
public final class CanonicalJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final double TWO_POW_53 = 9007199254740992.0;

    private CanonicalJson() {
    }

    /** The canonical JSON text of a value. */
    public static String canonicalize(JsonValue value) {
        Objects.requireNonNull(value, "value");
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** The canonical JSON text of a value, as UTF-8 (the form that is hashed). */
    public static byte[] canonicalBytes(JsonValue value) {
        return canonicalize(value).getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonValue value, StringBuilder out) {
        if (value instanceof JsonObject) {
            writeObject((JsonObject) value, out);
        } else if (value instanceof JsonArray) {
            out.append('[');
            boolean first = true;
            for (JsonValue element : ((JsonArray) value).elements()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(element, out);
            }
            out.append(']');
        } else if (value instanceof JsonString) {
            writeString(((JsonString) value).value(), out);
        } else if (value instanceof JsonNumber) {
            out.append(formatNumber(((JsonNumber) value).value()));
        } else if (value instanceof JsonBoolean) {
            out.append(((JsonBoolean) value).value() ? "true" : "false");
        } else if (value instanceof JsonNull) {
            out.append("null");
        } else {
            throw new IllegalArgumentException("unknown JSON value type " + value.getClass().getName());
        }
    }

    private static void writeObject(JsonObject object, StringBuilder out) {
        // String.compareTo compares UTF-16 code units, exactly the order RFC 8785 section 3.2.3 asks for.
        List<Map.Entry<String, JsonValue>> members = new ArrayList<>(object.members().entrySet());
        members.sort(Map.Entry.comparingByKey());
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonValue> member : members) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(member.getKey(), out);
            out.append(':');
            write(member.getValue(), out);
        }
        out.append('}');
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\b': out.append("\\b"); break;
                case '\t': out.append("\\t"); break;
                case '\n': out.append("\\n"); break;
                case '\f': out.append("\\f"); break;
                case '\r': out.append("\\r"); break;
                default:
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        // Member names are plain Strings, so this is the only place a lone one is caught.
                        throw new IllegalArgumentException("string contains a lone surrogate at position " + i
                                + "; it has no UTF-8 encoding");
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    /**
     * Formats a double exactly as ECMAScript's Number.prototype.toString does (ECMA-262
     * Number::toString, required by RFC 8785 section 3.2.2.3): the shortest digit string that reads
     * back as the same double, the closest such string when several exist, the even one on a tie.
     * {@code -0} is written as {@code 0}.
     *
     * @throws IllegalArgumentException for NaN and infinities, which JSON cannot express
     */
    public static String formatNumber(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("NaN and infinities have no JSON representation: " + value);
        }
        if (value == 0) {
            return "0";
        }
        if (value < 0) {
            return "-" + formatNumber(-value);
        }
        if (value < TWO_POW_53 && value == Math.rint(value)) {
            // Every integer below 2^53 is exact and no shorter decimal reads back as it.
            return Long.toString((long) value);
        }
        BigDecimal digits = shortestDigits(value);
        String s = digits.unscaledValue().toString();
        int k = s.length();
        int n = k - digits.scale(); // value = 0.s × 10^n
        return layout(s, k, n);
    }

    /**
     * The shortest decimal that rounds back to {@code value}, found by trying each precision in
     * turn. At each precision only the two neighbours of the exact binary value can qualify; when
     * both do, the nearer wins and a tie goes to the even digit string.
     */
    private static BigDecimal shortestDigits(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
            boolean downOk = readsBackAs(down, value);
            boolean upOk = readsBackAs(up, value);
            if (downOk && upOk && down.compareTo(up) != 0) {
                int cmp = exact.subtract(down).compareTo(up.subtract(exact));
                if (cmp < 0) {
                    return down.stripTrailingZeros();
                }
                if (cmp > 0) {
                    return up.stripTrailingZeros();
                }
                return (isEvenAt(down, precision) ? down : up).stripTrailingZeros();
            }
            if (downOk) {
                return down.stripTrailingZeros();
            }
            if (upOk) {
                return up.stripTrailingZeros();
            }
        }
        throw new IllegalStateException("no round-tripping decimal found for " + value);
    }

    private static boolean readsBackAs(BigDecimal candidate, double value) {
        return Double.parseDouble(candidate.toString()) == value;
    }

    /** Whether the last of {@code precision} significant digits is even. */
    private static boolean isEvenAt(BigDecimal candidate, int precision) {
        if (candidate.precision() < precision) {
            return true; // shorter means the trailing digits are zeros
        }
        return !candidate.unscaledValue().testBit(0);
    }

    /** ECMA-262 Number::toString steps 6-10, given digits s (k of them) and exponent n. */
    private static String layout(String s, int k, int n) {
        StringBuilder out = new StringBuilder(k + 8);
        if (k <= n && n <= 21) {
            out.append(s);
            out.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(s);
        } else {
            int exponent = n - 1;
            out.append(s.charAt(0));
            if (k > 1) {
                out.append('.').append(s, 1, k);
            }
            out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return out.toString();
    }
}
