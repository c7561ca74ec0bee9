package io.stenographer.domain.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever RFC 8785 writes, the strict parser must read back as the same number. */
class JsonParserPropertiesTest {

    @Provide
    Arbitrary<Double> anyFiniteDouble() {
        // Raw bit patterns reach every exponent; the whole numbers between 2^53 and 1e21 are the
        // range JCS writes as plain integers, so they get their own generator.
        Arbitrary<Double> fromBits = Arbitraries.longs().map(Double::longBitsToDouble)
                .filter(d -> !Double.isNaN(d) && !Double.isInfinite(d));
        Arbitrary<Double> largeWholeNumbers = Arbitraries.doubles().between(0x1p53, 1e21)
                .map(Math::rint).flatMap(d -> Arbitraries.of(d, -d));
        return Arbitraries.oneOf(fromBits, largeWholeNumbers, Arbitraries.doubles(),
                Arbitraries.longs().map(l -> (double) l));
    }

    @Property(tries = 5000)
    void parsingTheCanonicalFormOfAnyFiniteDoubleGivesItBack(@ForAll("anyFiniteDouble") double value) {
        String canonical = CanonicalJson.canonicalize(new JsonNumber(value));
        JsonValue parsed = JsonParser.parse(canonical, 0);
        assertThat(parsed).isEqualTo(new JsonNumber(value == 0 ? 0.0 : value)); // -0 is written as 0
        assertThat(CanonicalJson.canonicalize(parsed)).isEqualTo(canonical);
    }

    @Property(tries = 2000)
    void anIntegerLiteralIsAcceptedExactlyWhenItNamesOneDoubleWithoutRounding(
            @ForAll("integerLiterals") BigInteger integer) {
        String literal = integer.toString();
        double nearest = integer.doubleValue();
        boolean exact = !Double.isInfinite(nearest) && new BigDecimal(nearest).toBigIntegerExact().equals(integer);
        boolean canonical = !Double.isInfinite(nearest) && CanonicalJson.formatNumber(nearest).equals(literal);
        if (exact || canonical) {
            assertThat(JsonParser.parse(literal, 0)).isEqualTo(new JsonNumber(nearest));
        } else {
            try {
                JsonParser.parse(literal, 0);
                throw new AssertionError("accepted " + literal + ", which a double would round");
            } catch (JsonSyntaxException expected) {
                assertThat(expected.offset()).isZero();
            }
        }
    }

    @Provide
    Arbitrary<BigInteger> integerLiterals() {
        // Exact doubles, their JCS spellings, and both nudged a little: the neighbours are the ones
        // a lenient parser would silently round.
        Arbitrary<BigInteger> exactDoubles = Arbitraries.doubles().between(-1e25, 1e25).map(Math::rint)
                .map(d -> new BigDecimal(d).toBigIntegerExact());
        Arbitrary<BigInteger> canonicalSpellings = Arbitraries.doubles().between(0x1p53, 1e21).map(Math::rint)
                .filter(d -> d < 1e21) // from 1e21 on, JCS uses exponent notation
                .map(d -> new BigInteger(CanonicalJson.formatNumber(d)));
        Arbitrary<BigInteger> nudged = Arbitraries.oneOf(exactDoubles, canonicalSpellings)
                .flatMap(b -> Arbitraries.integers().between(-3, 3).map(delta -> b.add(BigInteger.valueOf(delta))));
        Arbitrary<BigInteger> any64 = Arbitraries.longs().map(BigInteger::valueOf);
        return Arbitraries.oneOf(exactDoubles, nudged, canonicalSpellings, any64);
    }
}
