package io.stenographer.domain.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonParserTest {

    private static JsonValue parse(String text) {
        return JsonParser.parse(text, 64);
    }

    private static JsonSyntaxException rejected(String text) {
        try {
            parse(text);
        } catch (JsonSyntaxException e) {
            return e;
        }
        throw new AssertionError("accepted invalid JSON: " + text);
    }

    @Test
    void parsesEveryKindOfValue() {
        JsonValue value = parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\"], \"b\": {}, \"c\": []}\n");
        assertThat(value).isEqualTo(new JsonObject(Map.of(
                "a", new JsonArray(List.of(new JsonNumber(1), new JsonNumber(-2500), JsonBoolean.TRUE,
                        JsonBoolean.FALSE, JsonNull.INSTANCE, new JsonString("x"))),
                "b", JsonObject.EMPTY,
                "c", new JsonArray(List.of()))));
    }

    @Test
    void keepsMemberOrderAsWritten() {
        JsonObject object = (JsonObject) parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(object.members().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void parsesScalarsAtTopLevel() {
        assertThat(parse("\"text\"")).isEqualTo(new JsonString("text"));
        assertThat(parse("0")).isEqualTo(new JsonNumber(0));
        assertThat(parse("-0")).isEqualTo(new JsonNumber(-0.0));
        assertThat(parse("null")).isSameAs(JsonNull.INSTANCE);
    }

    @Test
    void decodesAllEscapes() {
        assertThat(parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20AC \\ud83d\\ude00\""))
                .isEqualTo(new JsonString("\" \\ / \b \f \n \r \t é € \uD83D\uDE00"));
    }

    @Test
    void acceptsRawNonAsciiAndSurrogatePairs() {
        assertThat(parse("\"é€\uD83D\uDE00\u007f\"")).isEqualTo(new JsonString("é€\uD83D\uDE00\u007f"));
    }

    @Test
    void acceptsIntegersUpToTwoToThe53() {
        assertThat(parse("9007199254740992")).isEqualTo(new JsonNumber(9007199254740992.0));
        assertThat(parse("-9007199254740992")).isEqualTo(new JsonNumber(-9007199254740992.0));
        // Non-integer notation is a double by intent, even if large.
        assertThat(parse("1E30")).isEqualTo(new JsonNumber(1e30));
        assertThat(parse("12345678901234567890.5")).isEqualTo(new JsonNumber(12345678901234567890.5));
    }

    /**
     * RFC 8785 writes whole-number doubles below 1e21 as plain integers (their shortest digits
     * padded with zeros), so canonical text carries integers beyond 2^53. Those and the exact
     * values of doubles must read back; 2^68 has both spellings (RFC 8785 Appendix B).
     */
    @ParameterizedTest
    @CsvSource({
        "100000000000000000000, 1e20",
        "-100000000000000000000, -1e20",
        "100000000000000000, 1e17",
        "9007199254740994, 9007199254740994",
        "18014398509481984, 18014398509481984",
        "295147905179352830000, 295147905179352825856",
        "295147905179352825856, 295147905179352825856",
        "999999999999999900000, 999999999999999900000",
        "1000000000000000000000, 1e21",
        "9223372036854775808, 9223372036854775808",
    })
    void acceptsIntegersBeyondTwoToThe53ThatADoubleHoldsExactly(String literal, double expected) {
        assertThat(parse(literal)).isEqualTo(new JsonNumber(expected));
        assertThat(parse("{\"n\": " + literal + "}")).isEqualTo(new JsonObject(Map.of("n", new JsonNumber(expected))));
    }

    @Test
    void readsBackTheCanonicalFormOfLargeWholeNumbers() {
        for (double value : new double[] {1e20, 1e17 + 8, 4.5e18, 0x1p60, 0x1.fffffffffffffp68, 999999999999999900000.0,
            1.6578909811924582E20}) {
            String canonical = CanonicalJson.formatNumber(value);
            assertThat(canonical).doesNotContain("e").doesNotContain(".");
            assertThat(parse("-" + canonical)).isEqualTo(new JsonNumber(-value));
            assertThat(parse(canonical)).isEqualTo(new JsonNumber(value));
        }
    }

    @Test
    void acceptsAnExactIntegerAsLargeAsTheLargestDouble() {
        String largest = new BigDecimal(Double.MAX_VALUE).toBigInteger().toString();
        assertThat(largest).hasSize(309);
        assertThat(parse(largest)).isEqualTo(new JsonNumber(Double.MAX_VALUE));
        assertThat(rejected(largest + "0").getMessage()).contains("too large");
        assertThat(rejected("1" + "0".repeat(100_000)).getMessage()).contains("too large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9007199254740993", "-9007199254740993", "12345678901234567890", "100000000000000001",
        "9223372036854775807", "100000000000000000001", "295147905179352830001", "295147905179352830100",
        "295147905179352826000"})
    void rejectsIntegersBeyondTwoToThe53AndSaysToSendStrings(String number) {
        assertThat(rejected(number).getMessage()).contains("2^53").contains("as strings").contains("RFC 7493");
        assertThat(rejected("{\"id\": " + number + "}").offset()).isEqualTo(7);
    }

    @Test
    void rejectsDuplicateMemberNamesEvenWhenSpelledDifferently() {
        JsonSyntaxException e = rejected("{\"a\":1,\"a\":2}");
        assertThat(e.getMessage()).contains("duplicate member name \"a\"");
        assertThat(e.offset()).isEqualTo(7);
        assertThat(rejected("{\"a\":1,\"\\u0061\":2}").getMessage()).contains("duplicate");
        // Nested objects have their own names.
        assertThat(parse("{\"a\":{\"a\":1}}")).isInstanceOf(JsonObject.class);
    }

    @Test
    void rejectsTrailingGarbage() {
        JsonSyntaxException e = rejected("{} x");
        assertThat(e.getMessage()).contains("after the JSON value");
        assertThat(e.offset()).isEqualTo(3);
        assertThat(rejected("1 2").offset()).isEqualTo(2);
        assertThat(rejected("[1]]").offset()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"\\ud800\"|1",
        "\"\\udc00\"|1",
        "\"\\ud800\\u0041\"|1",
        "\"\\ud800x\"|1",
    })
    void rejectsEscapedLoneSurrogates(String text, int offset) {
        JsonSyntaxException e = rejected(text);
        assertThat(e.getMessage()).contains("lone surrogate");
        assertThat(e.offset()).isEqualTo(offset);
    }

    @Test
    void rejectsRawLoneSurrogates() {
        assertThat(rejected("\"a\uD800\"").getMessage()).contains("lone surrogate");
        assertThat(rejected("\"a\uD800\"").offset()).isEqualTo(2);
        assertThat(rejected("\"\uDC00\"").getMessage()).contains("lone surrogate");
    }

    @Test
    void rejectsUnescapedControlCharacters() {
        JsonSyntaxException e = rejected("\"a\nb\"");
        assertThat(e.getMessage()).contains("U+000A").contains("escaped");
        assertThat(e.offset()).isEqualTo(2);
        assertThat(rejected("\"\u0000\"").getMessage()).contains("U+0000");
        assertThat(rejected("\"\u001f\"").getMessage()).contains("U+001F");
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-01", "00", "[007]"})
    void rejectsLeadingZeros(String text) {
        assertThat(rejected(text).getMessage()).contains("leading zeros");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "[NaN]"})
    void rejectsNanAndInfinity(String text) {
        assertThat(rejected(text).getMessage()).contains("NaN and Infinity");
    }

    @Test
    void rejectsNumbersThatOverflowADouble() {
        assertThat(rejected("1e400").getMessage()).contains("too large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "+1", ".5", "1.", "1e", "1e+", "-", "--1", "0x10", "1.e5", "[1,]", "{\"a\":1,}",
        "[,1]", "{,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "'a'", "tru", "nul", "True", "[", "{", "\"abc", "\"\\x\"",
        "\"\\u12\"", "\"\\u12G4\"", "[1 2]", "{\"a\":1 \"b\":2}", "\u00a0 1", "\uFEFF{}", "[\"\\u\u0661\u0662\u0663\u0664\"]"})
    void rejectsMalformedInput(String text) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(JsonSyntaxException.class)
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportsTheOffsetOfAnUnexpectedCharacter() {
        JsonSyntaxException e = rejected("[1, 2, x]");
        assertThat(e.offset()).isEqualTo(7);
        assertThat(e.getMessage()).contains("'x'").endsWith("(at offset 7)");
    }

    @Test
    void enforcesTheMaximumDepth() {
        assertThat(JsonParser.parse("[[[]]]", 3).depth()).isEqualTo(3);
        JsonSyntaxException e = assertThrowsSyntax(() -> JsonParser.parse("[[[[]]]]", 3));
        assertThat(e.getMessage()).contains("maximum of 3");
        assertThat(e.offset()).isEqualTo(3);
        assertThat(JsonParser.parse("1", 0)).isEqualTo(new JsonNumber(1));
        assertThatThrownBy(() -> JsonParser.parse("{}", 0)).isInstanceOf(JsonSyntaxException.class);
        assertThatThrownBy(() -> JsonParser.parse("{}", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void survivesVeryDeepInputWithoutStackOverflow() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        assertThat(JsonParser.parse(deep, 200_000)).isInstanceOf(JsonArray.class);
        assertThatThrownBy(() -> JsonParser.parse(deep, 1000)).isInstanceOf(JsonSyntaxException.class);
    }

    @Test
    void parsesUtf8Bytes() {
        byte[] utf8 = "{\"name\":\"Zoë €\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonParser.parse(utf8, 8)).isEqualTo(new JsonObject(Map.of("name", new JsonString("Zoë €"))));
    }

    @Test
    void rejectsInvalidUtf8WithItsByteOffset() {
        byte[] truncated = {'"', 'a', (byte) 0xC3, '"'};
        JsonSyntaxException e = assertThrowsSyntax(() -> JsonParser.parse(truncated, 8));
        assertThat(e.getMessage()).contains("invalid UTF-8");
        assertThat(e.offset()).isEqualTo(2);
        // Overlong encoding of '/', a CESU-8 surrogate, and a stray continuation byte.
        assertThatThrownBy(() -> JsonParser.parse(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}, 8))
                .hasMessageContaining("invalid UTF-8");
        assertThatThrownBy(() -> JsonParser.parse(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, 8))
                .hasMessageContaining("invalid UTF-8");
        assertThatThrownBy(() -> JsonParser.parse(new byte[] {'1', (byte) 0x80}, 8))
                .hasMessageContaining("invalid UTF-8");
    }

    private static JsonSyntaxException assertThrowsSyntax(Runnable action) {
        try {
            action.run();
        } catch (JsonSyntaxException e) {
            return e;
        }
        throw new AssertionError("expected a JsonSyntaxException");
    }
}
