package io.stenographer.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used by the service JVM, by the PostgreSQL server (postmaster, its live backends, and the
 * backends it already reaped) and by this load generator, from /proc (Linux, 100 ticks a second).
 * CPU time per event is far less sensitive to other load on a shared machine than events per second.
 */
public final class ProcessCpu {

    private static final double TICKS_PER_SECOND = 100.0;

    private final long servicePid;
    private final long postgresPid;

    public ProcessCpu(long servicePid, long postgresPid) {
        this.servicePid = servicePid;
        this.postgresPid = postgresPid;
    }

    public boolean enabled() {
        return servicePid > 0 || postgresPid > 0;
    }

    /** CPU seconds so far; NaN where unknown. */
    public record Sample(double service, double postgres, double bench) {
        public Sample minus(Sample earlier) {
            return new Sample(service - earlier.service, postgres - earlier.postgres, bench - earlier.bench);
        }
    }

    public Sample now() {
        double service = servicePid > 0 ? seconds(ticks(servicePid, false)) : Double.NaN;
        double postgres = Double.NaN;
        if (postgresPid > 0) {
            long total = ticks(postgresPid, true);
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path proc : procs) {
                    long[] stat = stat(proc.resolve("stat"));
                    if (stat != null && stat[0] == postgresPid) {
                        total += stat[1] + stat[2];
                    }
                }
            } catch (IOException e) {
                total = -1;
            }
            postgres = seconds(total);
        }
        double bench = seconds(ticks(ProcessHandle.current().pid(), false));
        return new Sample(service, postgres, bench);
    }

    private static double seconds(long ticks) {
        return ticks < 0 ? Double.NaN : ticks / TICKS_PER_SECOND;
    }

    /** utime + stime of one process, plus cutime + cstime (reaped children) when asked; -1 if unknown. */
    private static long ticks(long pid, boolean withReapedChildren) {
        long[] stat = stat(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat == null) {
            return -1;
        }
        return stat[1] + stat[2] + (withReapedChildren ? stat[3] + stat[4] : 0);
    }

    /** {ppid, utime, stime, cutime, cstime} from /proc/PID/stat, or null. */
    private static long[] stat(Path file) {
        try {
            String text = Files.readString(file);
            // The command name may hold spaces and parentheses; the fields start after the last ')'.
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            // f[0] = state (field 3), f[1] = ppid (4), f[11..14] = utime, stime, cutime, cstime (14..17)
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
