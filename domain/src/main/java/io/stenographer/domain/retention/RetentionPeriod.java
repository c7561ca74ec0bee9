package io.stenographer.domain.retention;

import io.stenographer.domain.event.FieldViolation;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A retention length in ISO 8601 duration form: a calendar part ({@code P7Y}, {@code P1Y6M},
 * {@code P90D}, {@code P2W}) and/or a clock part ({@code PT10M}, {@code P1DT12H}). Only whole, non-negative
 * numbers; the clock part has whole seconds at most. Months are folded into years ({@code P18M} is
 * {@code P1Y6M}, which adds exactly the same); weeks are folded into days. Zero ({@code P0D}) is a valid
 * period, for "archive immediately"; a period is at most {@link #MAX_YEARS} years long.
 *
 * <p>Periods are added with UTC calendar arithmetic ({@link #addTo}): {@code P1M} from 31 January is the
 * last day of February, {@code P1Y} from 29 February 2028 is 28 February 2029. A calendar period therefore
 * has no single length in seconds. {@link #compareTo} compares by length <em>as seen from
 * {@link #REFERENCE}</em> (2000-01-01T00:00:00Z, the start of a leap year): {@code P1Y} equals
 * {@code P366D} there and is longer than {@code P365D}; {@code P1M} equals {@code P31D}. The ordering is
 * therefore not consistent with {@code equals} ({@code P1M} and {@code P31D} compare as equal but are
 * different periods).
 */
public record RetentionPeriod(Period date, Duration time) implements Comparable<RetentionPeriod> {

    /** The instant periods are measured from when compared; see the class comment. */
    public static final Instant REFERENCE = Instant.parse("2000-01-01T00:00:00Z");
    public static final int MAX_YEARS = 1000;

    private static final int MAX_TEXT_LENGTH = 64;
    private static final Pattern ISO = Pattern.compile(
            "P(?:(\\d{1,9})Y)?(?:(\\d{1,9})M)?(?:(\\d{1,9})W)?(?:(\\d{1,9})D)?"
                    + "(?:T(?:(\\d{1,9})H)?(?:(\\d{1,9})M)?(?:(\\d{1,9})S)?)?");
    private static final Instant LONGEST = REFERENCE.atOffset(ZoneOffset.UTC).plusYears(MAX_YEARS).toInstant();
    /** Zero: "at once", allowed for {@code archiveAfter}. (Declared after the constants its constructor uses.) */
    public static final RetentionPeriod ZERO = new RetentionPeriod(Period.ZERO, Duration.ZERO);

    public RetentionPeriod {
        if (date == null || time == null) {
            throw new IllegalArgumentException("a retention period needs a date and a time part (may be zero)");
        }
        if (date.isNegative() || time.isNegative()) {
            throw new IllegalArgumentException("a retention period must not be negative");
        }
        if (time.getNano() != 0) {
            throw new IllegalArgumentException("a retention period counts whole seconds at most");
        }
        date = date.normalized();
        if (date.getYears() > MAX_YEARS || time.toDays() > 366L * MAX_YEARS
                || REFERENCE.atOffset(ZoneOffset.UTC).plus(date).plus(time).toInstant().isAfter(LONGEST)) {
            throw new IllegalArgumentException("a retention period must be at most " + MAX_YEARS + " years");
        }
    }

    /**
     * Parses an ISO 8601 duration such as {@code P7Y}, {@code P1Y6M}, {@code P90D}, {@code PT10M} or
     * {@code P1DT12H}; a violation names the field {@code period} (use {@link #parse(String, String)} to
     * name another).
     */
    public static RetentionPeriod parse(String text) {
        return parse("period", text);
    }

    /** As {@link #parse(String)}, naming {@code field} in a violation. */
    public static RetentionPeriod parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new FieldViolation(field, "is required");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new FieldViolation(field, "must be at most " + MAX_TEXT_LENGTH + " characters");
        }
        if (text.indexOf('-') >= 0) {
            throw new FieldViolation(field, "must not be negative");
        }
        Matcher m = ISO.matcher(text);
        if (!m.matches() || text.equals("P") || text.endsWith("T")) {
            throw new FieldViolation(field,
                    "must be an ISO 8601 duration of whole numbers such as P7Y, P1Y6M, P90D, PT10M or P1DT12H");
        }
        try {
            Period date = Period.of(0, 0, 0)
                    .plusYears(number(m, 1)).plusMonths(number(m, 2)).plusDays(Math.addExact(
                            Math.multiplyExact(number(m, 3), 7), number(m, 4)));
            Duration time = Duration.ofHours(number(m, 5)).plusMinutes(number(m, 6)).plusSeconds(number(m, 7));
            return new RetentionPeriod(date, time);
        } catch (ArithmeticException | IllegalArgumentException | DateTimeException e) {
            throw new FieldViolation(field, "must be at most " + MAX_YEARS + " years");
        }
    }

    private static int number(Matcher m, int group) {
        String digits = m.group(group);
        return digits == null ? 0 : Integer.parseInt(digits);
    }

    /** The canonical ISO 8601 text: {@code P1Y6M}, {@code P1DT12H}, {@code PT10M}, {@code P0D} for zero. */
    public String iso() {
        if (isZero()) {
            return "P0D";
        }
        StringBuilder text = new StringBuilder("P");
        append(text, date.getYears(), 'Y');
        append(text, date.getMonths(), 'M');
        append(text, date.getDays(), 'D');
        if (!time.isZero()) {
            text.append('T');
            append(text, time.toHours(), 'H');
            append(text, time.toMinutesPart(), 'M');
            append(text, time.toSecondsPart(), 'S');
        }
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, char unit) {
        if (amount != 0) {
            text.append(amount).append(unit);
        }
    }

    public boolean isZero() {
        return date.isZero() && time.isZero();
    }

    /** {@code instant} plus this period, in UTC calendar arithmetic: first the date part, then the time part. */
    public Instant addTo(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).plus(date).plus(time).toInstant();
    }

    /** By length as seen from {@link #REFERENCE}; not consistent with {@code equals} (see the class comment). */
    @Override
    public int compareTo(RetentionPeriod other) {
        return addTo(REFERENCE).compareTo(other.addTo(REFERENCE));
    }

    public boolean isLongerThan(RetentionPeriod other) {
        return compareTo(other) > 0;
    }

    public boolean isShorterThan(RetentionPeriod other) {
        return compareTo(other) < 0;
    }

    /** Days in a four-year cycle: every length of month, leap February included, as a start. */
    static final int CYCLE_DAYS = 4 * 365 + 1;

    /**
     * Whether this period, added to some day, ends before {@code other} added to the same day: whether replacing
     * {@code other} by this keeps some record for less time. {@code P1M} is shorter than {@code P31D} from 1 February
     * though they compare as equal, and {@code P1Y} shorter than {@code P366D} from any day outside a leap year.
     * Judged from every day of a four-year cycle from {@link #REFERENCE}, in UTC (the rule of the database's
     * {@code stenographer_retention_shortens}, V28).
     */
    public boolean isShorterOnSomeDayThan(RetentionPeriod other) {
        for (int day = 0; day < CYCLE_DAYS; day++) {
            Instant start = REFERENCE.plus(Duration.ofDays(day));
            if (addTo(start).isBefore(other.addTo(start))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return iso();
    }
}
