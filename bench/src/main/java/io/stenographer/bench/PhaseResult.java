package io.stenographer.bench;

import java.util.Arrays;

/**
 * Outcome of one timed phase: events stored, wall time, per-request latencies, and how busy the
 * machine as a whole was meanwhile (CPU % of all cores, 1-minute load average at the end), and the CPU seconds that
 * the service, PostgreSQL and the load generator used during the phase (null when not measured).
 */
record PhaseResult(String name, long events, long requests, long nanos, long[] latencyNanos, long failures,
        double machineBusyPercent, double loadAverage, ProcessCpu.Sample cpu) {

    PhaseResult(String name, long events, long requests, long nanos, long[] latencyNanos, long failures) {
        this(name, events, requests, nanos, latencyNanos, failures, Double.NaN, Double.NaN, null);
    }

    PhaseResult withMachine(double busyPercent, double load, ProcessCpu.Sample cpuUsed) {
        return new PhaseResult(name, events, requests, nanos, latencyNanos, failures, busyPercent, load, cpuUsed);
    }

    double eventsPerSecond() {
        return events / (nanos / 1e9);
    }

    double seconds() {
        return nanos / 1e9;
    }

    /** Nearest-rank percentile of the request latencies, in milliseconds. */
    double percentileMillis(double p) {
        if (latencyNanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }
}
