package io.stenographer.domain.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {

    private static double bits(String hex) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    }

    /** RFC 8785 Appendix B: every row of the number serialization sample table. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2",
    })
    void formatsTheRfc8785AppendixBSamples(String hex, String expected) {
        assertThat(CanonicalJson.formatNumber(bits(hex))).isEqualTo(expected);
    }

    /** Appendix B also lists bit patterns that must be rejected: NaN and the infinities. */
    @ParameterizedTest
    @CsvSource({"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"})
    void rejectsNanAndInfinity(String hex) {
        assertThatThrownBy(() -> CanonicalJson.formatNumber(bits(hex))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "1, 1", "-1, -1", "0.1, 0.1", "100, 100", "1e20, 100000000000000000000", "1e21, 1e+21", "1e-6, 0.000001",
        "1e-7, 1e-7", "1.5e-7, 1.5e-7", "123e-20, 1.23e-18", "4.5, 4.5", "0.002, 0.002", "1e30, 1e+30",
        "2e-3, 0.002", "0.000001234, 0.000001234", "123456789.125, 123456789.125",
    })
    void formatsCommonNumbers(double value, String expected) {
        assertThat(CanonicalJson.formatNumber(value)).isEqualTo(expected);
    }

    /**
     * 4000 doubles (random bit patterns, moderate exponents, and decimals with three fraction
     * digits) with the string ECMAScript's own String(x) gives for them, produced once with Node.js.
     */
    @Test
    void agreesWithEcmaScriptOnFourThousandSamples() throws IOException {
        int checked = 0;
        try (var in = getClass().getResourceAsStream("es-number-samples.txt");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] parts = line.split(" ");
                assertThat(CanonicalJson.formatNumber(bits(parts[0]))).as(parts[0]).isEqualTo(parts[1]);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(4000);
    }

    /** RFC 8785 sections 3.2.2 to 3.2.4: the worked example, input text to canonical UTF-8. */
    @Test
    void canonicalizesTheRfc8785Example() {
        String input = "{\n"
                + "  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
                + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n"
                + "}";
        JsonValue value = JsonParser.parse(input, 8);
        String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        assertThat(CanonicalJson.canonicalize(value)).isEqualTo(expected);
        // Section 3.2.4 gives the result as UTF-8 bytes.
        String rfcHex = String.join("",
                "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72",
                "75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a",
                "5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31",
                "65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37",
                "5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30",
                "30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d").replace(" ", "");
        assertThat(HexFormat.of().formatHex(CanonicalJson.canonicalBytes(value))).isEqualTo(rfcHex);
    }

    /** RFC 8785 section 3.2.3: members sorted by UTF-16 code units, not code points. */
    @Test
    void sortsMembersByUtf16CodeUnits() {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("\u20ac", new JsonString("Euro Sign"));
        members.put("\r", new JsonString("Carriage Return"));
        members.put("\ufb33", new JsonString("Hebrew Letter Dalet With Dagesh"));
        members.put("1", new JsonString("One"));
        members.put("\ud83d\ude00", new JsonString("Emoji: Grinning Face"));
        members.put("\u0080", new JsonString("Control"));
        members.put("\u00f6", new JsonString("Latin Small Letter O With Diaeresis"));
        assertThat(CanonicalJson.canonicalize(new JsonObject(members))).isEqualTo("{"
                + "\"\\r\":\"Carriage Return\","
                + "\"1\":\"One\","
                + "\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                + "\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\","
                + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void sortsNestedObjectsAndKeepsArrayOrder() {
        JsonValue value = JsonParser.parse("{\"b\":[3,1,{\"y\":1,\"x\":2}],\"a\":{\"d\":[],\"c\":{}}}", 8);
        assertThat(CanonicalJson.canonicalize(value)).isEqualTo("{\"a\":{\"c\":{},\"d\":[]},\"b\":[3,1,{\"x\":2,\"y\":1}]}");
    }

    @Test
    void escapesOnlyWhatJcsEscapes() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        String canonical = CanonicalJson.canonicalize(new JsonString(controls + "\"\\/\u007f\u2028é\ud83d\ude00"));
        assertThat(canonical).isEqualTo("\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
                + "\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
                + "\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\\"\\\\/\u007f\u2028é\ud83d\ude00\"");
    }

    @Test
    void rejectsLoneSurrogatesInMemberNames() {
        JsonObject object = new JsonObject(Map.of("a\ud800", JsonNull.INSTANCE));
        assertThatThrownBy(() -> CanonicalJson.canonicalize(object))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
    }

    @Test
    void writesScalarsAndEmptyContainers() {
        assertThat(CanonicalJson.canonicalize(JsonNull.INSTANCE)).isEqualTo("null");
        assertThat(CanonicalJson.canonicalize(JsonBoolean.TRUE)).isEqualTo("true");
        assertThat(CanonicalJson.canonicalize(new JsonNumber(-0.0))).isEqualTo("0");
        assertThat(CanonicalJson.canonicalize(new JsonArray(List.of()))).isEqualTo("[]");
        assertThat(CanonicalJson.canonicalize(JsonObject.EMPTY)).isEqualTo("{}");
        assertThat(CanonicalJson.canonicalBytes(new JsonString("é"))).containsExactly('"', 0xC3, 0xA9, '"');
    }
}
