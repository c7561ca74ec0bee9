package io.stenographer.bench.streams;

import java.util.Arrays;

/** A growable array of longs indexed from 0, 0 meaning "not set". Not thread-safe: its owner synchronizes. */
final class LongSeries {

    private long[] values = new long[1 << 16];

    long get(long index) {
        return index < values.length ? values[checked(index)] : 0;
    }

    /** Sets the value unless one is there already; true if it was set. */
    boolean setIfAbsent(long index, long value) {
        int i = checked(index);
        if (i >= values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, i + 1));
        }
        if (values[i] != 0) {
            return false;
        }
        values[i] = value;
        return true;
    }

    private static int checked(long index) {
        if (index < 0 || index >= Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("index out of range: " + index);
        }
        return (int) index;
    }
}
