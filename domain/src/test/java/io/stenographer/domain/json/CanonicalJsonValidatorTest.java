package io.stenographer.domain.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

public class CanonicalJsonValidatorTest {

    /** The definition the validator must agree with: parses, and canonicalises back to the very same bytes. */
    private static boolean canonicalByParsing(byte[] bytes, int maxDepth) {
        try {
            return Arrays.equals(CanonicalJson.canonicalBytes(JsonParser.parse(bytes, maxDepth)), bytes);
        } catch (JsonSyntaxException e) {
            return false;
        }
    }

    private static boolean valid(String text) {
        return CanonicalJsonValidator.isCanonical(text.getBytes(StandardCharsets.UTF_8), 64);
    }

    @Test
    void acceptsWhatCanonicalJsonWrites() {
        assertThat(valid("{\"a\":[1,-2,0.5,1e+21,true,false,null,\"\\u001f\\b\\\"\\\\ Zoë €\"],\"b\":{}}")).isTrue();
        assertThat(valid("[]")).isTrue();
        assertThat(valid("\"\u007f\uFEFF\"")).isTrue();
        assertThat(valid("{\"\\\"\":1,\"a\":2}")).isTrue(); // '"' sorts before 'a' once unescaped
        // UTF-16 order, not code point order: U+1F600 is a surrogate pair, which sorts before U+FB01.
        assertThat(valid("{\"\uD83D\uDE00\":2,\"\uFB01\":1}")).isTrue();
    }

    @Test
    void rejectsEquivalentButNonCanonicalSpellings() {
        assertThat(valid("\"\\u0041\"")).isFalse();
        assertThat(valid("\"\\/\"")).isFalse();
        assertThat(valid("\"\\u001F\"")).isFalse();
        assertThat(valid("\"\\u0008\"")).isFalse();
        assertThat(valid("\"\\u00e9\"")).isFalse();
        assertThat(valid("1.0")).isFalse();
        assertThat(valid("1e0")).isFalse();
        assertThat(valid("-0")).isFalse();
        assertThat(valid("01")).isFalse();
        assertThat(valid("1E+21")).isFalse();
        assertThat(valid("{\"b\":1,\"a\":2}")).isFalse();
        assertThat(valid("{\"a\":1,\"a\":1}")).isFalse();
        assertThat(valid("{\"a\": 1}")).isFalse();
        assertThat(valid("{\"\uFB01\":1,\"\uD83D\uDE00\":2}")).isFalse();
        assertThat(valid("9007199254740993")).isFalse();
        assertThat(valid("1e400")).isFalse();
    }

    @Test
    void rejectsMalformedUtf8AndRawControlCharacters() {
        assertThat(CanonicalJsonValidator.isCanonical(new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'}, 8)).isFalse();
        assertThat(CanonicalJsonValidator.isCanonical(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, 8))
                .isFalse();
        assertThat(CanonicalJsonValidator.isCanonical(new byte[] {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80,
                (byte) 0x80, '"'}, 8)).isFalse();
        assertThat(CanonicalJsonValidator.isCanonical(new byte[] {'"', 0x1f, '"'}, 8)).isFalse();
    }

    @Test
    void nestingIsCountedAsTheParserCountsIt() {
        byte[] twoDeep = "[{}]".getBytes(StandardCharsets.UTF_8);
        assertThat(CanonicalJsonValidator.isCanonical(twoDeep, 2)).isTrue();
        assertThat(CanonicalJsonValidator.isCanonical(twoDeep, 1)).isFalse();
    }

    @Test
    void findsTheEndOfAValueInsideLargerBytesAndReportsTopLevelMembers() {
        byte[] line = "{\"event\":{\"id\":\"x\\n\",\"n\":[1]},\"rest\":0}".getBytes(StandardCharsets.UTF_8);
        StringBuilder seen = new StringBuilder();
        int end = CanonicalJsonValidator.canonicalValueEnd(line, 9, line.length, 8,
                (bytes, nameStart, nameEnd, valueStart, valueEnd) -> seen.append(
                        new String(bytes, nameStart, nameEnd - nameStart, StandardCharsets.UTF_8)).append('=')
                        .append(new String(bytes, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8))
                        .append(';'));
        assertThat(new String(line, 9, end - 9, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"x\\n\",\"n\":[1]}");
        assertThat(seen).hasToString("id=\"x\\n\";n=[1];");
        assertThat(CanonicalJsonValidator.decodeCanonicalString(line, 16, 19)).isEqualTo("x\n");
    }

    // ---- properties --------------------------------------------------------------------------

    private final CanonicalJsonPropertiesTest values = new CanonicalJsonPropertiesTest();

    @Provide
    Arbitrary<JsonValue> jsonValues() {
        return values.jsonValues();
    }

    @Property(tries = 1000)
    void acceptsTheCanonicalBytesOfEveryValue(@ForAll("jsonValues") JsonValue value) {
        byte[] canonical = CanonicalJson.canonicalBytes(value);
        assertThat(CanonicalJsonValidator.isCanonical(canonical, 64)).isTrue();
        if (value instanceof JsonString string) {
            assertThat(CanonicalJsonValidator.decodeCanonicalString(canonical, 1, canonical.length - 1))
                    .isEqualTo(string.value());
        }
    }

    @Property(tries = 3000)
    void agreesWithParsingAndCanonicalisingOnDamagedBytes(@ForAll("jsonValues") JsonValue value,
                                                          @ForAll long seed,
                                                          @ForAll @IntRange(min = 1, max = 3) int damages,
                                                          @ForAll @IntRange(min = 1, max = 6) int maxDepth) {
        Random random = new Random(seed);
        byte[] bytes = CanonicalJson.canonicalBytes(value);
        for (int i = 0; i < damages; i++) {
            bytes = damage(bytes, random);
        }
        assertThat(CanonicalJsonValidator.isCanonical(bytes, maxDepth))
                .as("%s", new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo(canonicalByParsing(bytes, maxDepth));
    }

    private static final String[] NON_CANONICAL_EQUIVALENTS = {".0", "e0", "E0", "0", "-", " ", "\\/", "\\u0041",
            "\\u00e9", "\\u001F", "\\u001f", "\\b", "\\u0008", "\\", "\"", ",", ":", "{}", "[]"};

    /** One random change: often one that keeps the meaning but not the canonical spelling. */
    public static byte[] damage(byte[] bytes, Random random) {
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(7)) {
            case 0 -> { // flip a bit
                if (bytes.length == 0) {
                    return bytes;
                }
                byte[] flipped = bytes.clone();
                int i = random.nextInt(bytes.length);
                flipped[i] ^= (byte) (1 << random.nextInt(8));
                return flipped;
            }
            case 1 -> { // insert a fragment that is canonical elsewhere or an equivalent spelling
                String fragment = NON_CANONICAL_EQUIVALENTS[random.nextInt(NON_CANONICAL_EQUIVALENTS.length)];
                out.write(bytes, 0, at);
                out.writeBytes(fragment.getBytes(StandardCharsets.UTF_8));
                out.write(bytes, at, bytes.length - at);
            }
            case 2 -> { // an ASCII letter or digit as a \\u escape, in either case
                for (int tries = 0; tries < 8 && bytes.length > 0; tries++) {
                    int i = random.nextInt(bytes.length);
                    if (Character.isLetterOrDigit(bytes[i])) {
                        String hex = String.format(random.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) bytes[i]);
                        out.write(bytes, 0, i);
                        out.writeBytes(hex.getBytes(StandardCharsets.US_ASCII));
                        out.write(bytes, i + 1, bytes.length - i - 1);
                        return out.toByteArray();
                    }
                }
                return bytes;
            }
            case 3 -> { // delete a byte
                if (bytes.length == 0) {
                    return bytes;
                }
                int i = random.nextInt(bytes.length);
                out.write(bytes, 0, i);
                out.write(bytes, i + 1, bytes.length - i - 1);
            }
            case 4 -> { // truncate
                return Arrays.copyOf(bytes, at);
            }
            case 5 -> { // insert a raw byte, ASCII or not (control, UTF-8 lead or continuation)
                int[] candidates = {0x00, 0x1f, 0x7f, 0x80, 0xbf, 0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0xff};
                out.write(bytes, 0, at);
                out.write(candidates[random.nextInt(candidates.length)]);
                out.write(bytes, at, bytes.length - at);
            }
            default -> { // duplicate a slice (duplicate members, repeated elements)
                if (bytes.length == 0) {
                    return bytes;
                }
                int from = random.nextInt(bytes.length);
                int to = from + random.nextInt(bytes.length - from) + 1;
                out.write(bytes, 0, to);
                out.write(bytes, from, bytes.length - from);
            }
        }
        return out.toByteArray();
    }
}
