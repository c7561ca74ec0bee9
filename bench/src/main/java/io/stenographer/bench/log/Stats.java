package io.stenographer.bench.log;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples in nanoseconds; percentiles by nearest rank. */
public final class Stats {

    private final long[] sorted;

    public Stats(long[] nanos, int count) {
        this.sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    public double percentileMs(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    public double maxMs() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }

    public double meanMs() {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return sum / sorted.length / 1e6;
    }

    public static String ms(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%.0f", value);
    }

    public static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
