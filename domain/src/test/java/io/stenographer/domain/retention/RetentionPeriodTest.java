package io.stenographer.domain.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.FieldViolation;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionPeriodTest {

    @ParameterizedTest
    @CsvSource({
            "P7Y, P7Y",
            "P1Y6M, P1Y6M",
            "P18M, P1Y6M",
            "P90D, P90D",
            "P2W, P14D",
            "PT10M, PT10M",
            "PT90M, PT1H30M",
            "P1DT12H, P1DT12H",
            "P0D, P0D",
            "PT0S, P0D",
            "P1Y2M3DT4H5M6S, P1Y2M3DT4H5M6S"})
    void parsesIsoDurationsAndPrintsTheCanonicalForm(String text, String iso) {
        RetentionPeriod period = RetentionPeriod.parse(text);
        assertThat(period.iso()).isEqualTo(iso);
        assertThat(RetentionPeriod.parse(period.iso())).isEqualTo(period);
    }

    @Test
    void keepsTheDateAndTimePartsApart() {
        RetentionPeriod period = RetentionPeriod.parse("P1DT12H");
        assertThat(period.date()).isEqualTo(Period.ofDays(1));
        assertThat(period.time()).isEqualTo(Duration.ofHours(12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-P1D", "P-1D", "PT-5M", "P1Y-2M"})
    void refusesNegativePeriods(String text) {
        assertThatThrownBy(() -> RetentionPeriod.parse("retainFor", text))
                .isInstanceOfSatisfying(FieldViolation.class, v -> {
                    assertThat(v.field()).isEqualTo("retainFor");
                    assertThat(v.detail()).contains("negative");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "P", "PT", "P1DT", "7Y", "p7y", "P1.5Y", "PT0.5S", "P1H", "P7Y ", "P1D2Y",
            "forever", "P1234567890D"})
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> RetentionPeriod.parse("archiveAfter", text))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("archiveAfter"));
    }

    @Test
    void refusesMoreThanAThousandYears() {
        assertThat(RetentionPeriod.parse("P1000Y").iso()).isEqualTo("P1000Y");
        assertThatThrownBy(() -> RetentionPeriod.parse("P1001Y")).isInstanceOf(FieldViolation.class)
                .hasMessageContaining("1000 years");
        assertThatThrownBy(() -> RetentionPeriod.parse("P999Y13M")).isInstanceOf(FieldViolation.class);
        assertThatThrownBy(() -> RetentionPeriod.parse("P400000D")).isInstanceOf(FieldViolation.class);
        assertThatThrownBy(() -> RetentionPeriod.parse("PT999999999H")).isInstanceOf(FieldViolation.class);
    }

    @Test
    void refusesNullAndNegativeAndFractionalPartsInTheConstructor() {
        assertThatThrownBy(() -> new RetentionPeriod(null, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionPeriod(Period.ofDays(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionPeriod(Period.ZERO, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionPeriod(Period.ZERO, Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addsInUtcCalendarArithmetic() {
        assertThat(RetentionPeriod.parse("P1M").addTo(Instant.parse("2026-01-31T08:00:00Z")))
                .isEqualTo(Instant.parse("2026-02-28T08:00:00Z"));
        assertThat(RetentionPeriod.parse("P1Y").addTo(Instant.parse("2028-02-29T00:00:00Z")))
                .isEqualTo(Instant.parse("2029-02-28T00:00:00Z"));
        assertThat(RetentionPeriod.parse("P7Y").addTo(Instant.parse("2026-03-29T01:30:00.123456Z")))
                .isEqualTo(Instant.parse("2033-03-29T01:30:00.123456Z"));
        assertThat(RetentionPeriod.parse("P1DT12H").addTo(Instant.parse("2026-03-28T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-03-30T00:00:00Z"));
        assertThat(RetentionPeriod.ZERO.addTo(Fixtures.T0)).isEqualTo(Fixtures.T0);
    }

    @Test
    void comparesByLengthFromTheReferenceInstant() {
        // 2000 is a leap year: from 2000-01-01 one year is 366 days and one month is 31 days.
        assertThat(RetentionPeriod.parse("P1Y")).isEqualByComparingTo(RetentionPeriod.parse("P366D"));
        assertThat(RetentionPeriod.parse("P1Y")).isGreaterThan(RetentionPeriod.parse("P365D"));
        assertThat(RetentionPeriod.parse("P1M")).isEqualByComparingTo(RetentionPeriod.parse("P31D"));
        assertThat(RetentionPeriod.parse("P1M")).isNotEqualTo(RetentionPeriod.parse("P31D"));
        assertThat(RetentionPeriod.parse("P1D")).isEqualByComparingTo(RetentionPeriod.parse("PT24H"));
        assertThat(RetentionPeriod.parse("PT10M")).isLessThan(RetentionPeriod.parse("PT1H"));
        assertThat(RetentionPeriod.parse("P7Y")).isGreaterThan(RetentionPeriod.parse("P6Y11M30D"));
        assertThat(RetentionPeriod.ZERO).isLessThan(RetentionPeriod.parse("PT1S"));
        assertThat(RetentionPeriod.parse("P90D").isLongerThan(RetentionPeriod.parse("P3M"))).isFalse();
        assertThat(RetentionPeriod.parse("P90D").isShorterThan(RetentionPeriod.parse("P3M"))).isTrue();
    }

    @Test
    void aPeriodIsShorterWhenItEndsEarlierFromAnyDayNotOnlyFromTheReference() {
        // Equal from 2000-01-01, yet from 1 February a month is 28 or 29 days, and most years have 365 days.
        assertThat(RetentionPeriod.parse("P1M").isShorterOnSomeDayThan(RetentionPeriod.parse("P31D"))).isTrue();
        assertThat(RetentionPeriod.parse("P1Y").isShorterOnSomeDayThan(RetentionPeriod.parse("P366D"))).isTrue();
        assertThat(RetentionPeriod.parse("P7Y").isShorterOnSomeDayThan(RetentionPeriod.parse("P2557D"))).isTrue();
        assertThat(RetentionPeriod.parse("P31D").isShorterOnSomeDayThan(RetentionPeriod.parse("P1M"))).isFalse();
        assertThat(RetentionPeriod.parse("P365D").isShorterOnSomeDayThan(RetentionPeriod.parse("P1Y"))).isTrue();
        assertThat(RetentionPeriod.parse("P1Y").isShorterOnSomeDayThan(RetentionPeriod.parse("P12M"))).isFalse();
        assertThat(RetentionPeriod.parse("P1D").isShorterOnSomeDayThan(RetentionPeriod.parse("PT24H"))).isFalse();
        assertThat(RetentionPeriod.parse("P90D").isShorterOnSomeDayThan(RetentionPeriod.parse("P3M"))).isTrue();
        assertThat(RetentionPeriod.parse("P92D").isShorterOnSomeDayThan(RetentionPeriod.parse("P3M"))).isFalse();
    }

    @Property
    void canonicalTextRoundTripsAndLongerNumbersAreNeverShorter(
            @ForAll @IntRange(min = 0, max = 500) int years, @ForAll @IntRange(min = 0, max = 40) int months,
            @ForAll @IntRange(min = 0, max = 4000) int days, @ForAll @IntRange(min = 0, max = 100) int hours,
            @ForAll @IntRange(min = 0, max = 3) int extraDays) {
        String text = "P" + years + "Y" + months + "M" + days + "DT" + hours + "H";
        RetentionPeriod period = RetentionPeriod.parse(text);
        assertThat(RetentionPeriod.parse(period.iso())).isEqualTo(period);
        assertThat(period.addTo(Fixtures.T0)).isAfterOrEqualTo(Fixtures.T0);
        RetentionPeriod longer = RetentionPeriod.parse("P" + years + "Y" + months + "M" + (days + extraDays)
                + "DT" + hours + "H");
        assertThat(longer).isGreaterThanOrEqualTo(period);
        assertThat(longer.addTo(Fixtures.T0)).isAfterOrEqualTo(period.addTo(Fixtures.T0));
    }
}
