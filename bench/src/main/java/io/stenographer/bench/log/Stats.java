package io.stenographer.bench.log;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples in nanoseconds; percentiles by nearest rank. */
final class Stats {

    private final long[] sorted;

    Stats(long[] nanos, int count) {
        this.sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    double percentileMs(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    double maxMs() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }

    double meanMs() {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return sum / sorted.length / 1e6;
    }

    static String ms(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%.0f", value);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
