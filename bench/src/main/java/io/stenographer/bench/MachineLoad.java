package io.stenographer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine was during a phase (all processes, from /proc/stat), and its load
 * average. On a shared 2-core machine, other work skews every figure; this makes it visible.
 */
public final class MachineLoad {

    private final long busy;
    private final long total;

    private MachineLoad(long busy, long total) {
        this.busy = busy;
        this.total = total;
    }

    public static MachineLoad now() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new MachineLoad(total - idle, total);
        } catch (IOException | RuntimeException e) {
            return new MachineLoad(-1, -1);
        }
    }

    /** Percentage of all CPUs busy between {@code earlier} and this snapshot, or NaN when unknown. */
    public double busyPercentSince(MachineLoad earlier) {
        if (total < 0 || earlier.total < 0 || total == earlier.total) {
            return Double.NaN;
        }
        return 100.0 * (busy - earlier.busy) / (total - earlier.total);
    }

    /** The CPU's model name from /proc/cpuinfo, for benchmark reports. */
    public static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
