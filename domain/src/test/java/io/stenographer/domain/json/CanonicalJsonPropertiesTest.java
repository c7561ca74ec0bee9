package io.stenographer.domain.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CanonicalJsonPropertiesTest {

    @Provide
    Arbitrary<Double> anyFiniteDouble() {
        // Raw bit patterns reach subnormals and extreme exponents that doubles() rarely produces.
        Arbitrary<Double> fromBits = Arbitraries.longs().map(Double::longBitsToDouble)
                .filter(d -> !Double.isNaN(d) && !Double.isInfinite(d));
        return Arbitraries.oneOf(fromBits, Arbitraries.doubles(), Arbitraries.integers().map(i -> i / 1000.0));
    }

    @Property(tries = 3000)
    void formattedNumbersReadBackAsTheSameDouble(@ForAll("anyFiniteDouble") double value) {
        double back = Double.parseDouble(CanonicalJson.formatNumber(value));
        assertThat(back).isEqualTo(value == 0 ? 0.0 : value); // -0 is written as 0
    }

    @Property(tries = 1000)
    void formattedNumbersAreShortest(@ForAll("anyFiniteDouble") double value) {
        if (value == 0) {
            return;
        }
        String formatted = CanonicalJson.formatNumber(Math.abs(value));
        String mantissa = formatted.split("e")[0].replace(".", "").replaceFirst("^0+", "").replaceFirst("0+$", "");
        int digits = mantissa.length();
        if (digits <= 1) {
            return;
        }
        BigDecimal exact = new BigDecimal(Math.abs(value));
        for (RoundingMode mode : List.of(RoundingMode.FLOOR, RoundingMode.CEILING)) {
            BigDecimal shorter = exact.round(new MathContext(digits - 1, mode));
            assertThat(Double.parseDouble(shorter.toString())).as("%s reads back from %s", value, shorter)
                    .isNotEqualTo(Math.abs(value));
        }
    }

    @Provide
    Arbitrary<JsonValue> jsonValues() {
        Arbitrary<JsonValue> scalars = Arbitraries.oneOf(
                Arbitraries.just(JsonNull.INSTANCE),
                Arbitraries.of(JsonBoolean.TRUE, JsonBoolean.FALSE),
                anyFiniteDouble().filter(d -> d != 0 || 1 / d > 0) // -0 canonicalises to 0
                        // JCS writes integral values below 1e21 as plain integers, which the
                        // parser refuses above 2^53 (I-JSON), so those cannot round-trip.
                        .filter(d -> d != Math.rint(d) || Math.abs(d) <= 9007199254740992.0 || Math.abs(d) >= 1e21)
                        .map(JsonNumber::new),
                strings().map(JsonString::new));
        return Arbitraries.recursive(
                () -> scalars,
                inner -> Arbitraries.oneOf(
                        inner.list().ofMaxSize(4).map(JsonArray::new),
                        Arbitraries.maps(strings(), inner).ofMaxSize(4).map(JsonObject::new)),
                0, 4);
    }

    private Arbitrary<String> strings() {
        // Any code point except lone surrogates, which JSON text cannot carry through UTF-8.
        return Arbitraries.strings().all().ofMaxLength(8)
                .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF));
    }

    @Property(tries = 1000)
    void parsingTheCanonicalFormGivesBackTheSameValue(@ForAll("jsonValues") JsonValue value) {
        String canonical = CanonicalJson.canonicalize(value);
        JsonValue parsed = JsonParser.parse(canonical, 64);
        assertThat(parsed).isEqualTo(value);
        assertThat(CanonicalJson.canonicalize(parsed)).isEqualTo(canonical);
    }
}
