package io.stenographer.bench.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/** One figure measured once per round: the median and the spread (min-max) across rounds. */
final class Rounds {

    private final List<Double> values = new ArrayList<>();

    void add(double value) {
        values.add(value);
    }

    int count() {
        return values.size();
    }

    double median() {
        double[] sorted = sorted();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    double min() {
        double[] sorted = sorted();
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    double max() {
        double[] sorted = sorted();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    /** "median [min-max]" in the given format, e.g. "12.3 [11.0-14.2]"; just the value for one round. */
    String format(DoubleFunction<String> format) {
        if (values.size() <= 1) {
            return format.apply(median());
        }
        return format.apply(median()) + " [" + format.apply(min()) + "-" + format.apply(max()) + "]";
    }

    String ms() {
        return format(Stats::ms);
    }

    String rate() {
        return format(Stats::rate);
    }

    String ratio() {
        return format(v -> String.format(Locale.ROOT, "%.2f", v));
    }

    private double[] sorted() {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }
}
