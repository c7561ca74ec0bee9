package io.stenographer.bench.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Machine-wide CPU time from the first line of /proc/stat: what a measured step cost every process together (the
 * service, PostgreSQL and this client), so a figure per event can be projected to another core count. Zero when
 * /proc/stat is not there.
 */
record CpuBusy(long busyTicks, long totalTicks) {

    /** USER_HZ: /proc/stat counts in hundredths of a second on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    static CpuBusy now() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) { // user .. steal; guest time is inside user
                long ticks = Long.parseLong(fields[i]);
                total += ticks;
                if (i == 4 || i == 5) { // idle, iowait
                    idle += ticks;
                }
            }
            return new CpuBusy(total - idle, total);
        } catch (IOException | RuntimeException e) {
            return new CpuBusy(0, 0);
        }
    }

    /** Core-seconds spent busy since {@code earlier}. */
    double coreSecondsSince(CpuBusy earlier) {
        return (busyTicks - earlier.busyTicks) / TICKS_PER_SECOND;
    }
}
