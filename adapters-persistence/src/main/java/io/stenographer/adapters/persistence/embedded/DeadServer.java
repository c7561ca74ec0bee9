package io.stenographer.adapters.persistence.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** What a killed PostgreSQL leaves behind, read from {@code /proc} (Linux, where the embedded binaries run). */
final class DeadServer {

    private static final Path PROC = Path.of("/proc");

    private DeadServer() {
    }

    /**
     * Processes, zombies excepted, whose working directory is {@code dataDirectory}: a postmaster and its
     * backends all work there.
     */
    static int liveProcessesIn(Path dataDirectory) throws IOException {
        if (!Files.isDirectory(PROC)) {
            return 0;
        }
        int live = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, entry -> isPid(entry))) {
            for (Path process : processes) {
                try {
                    if (Files.readSymbolicLink(process.resolve("cwd")).equals(dataDirectory)
                            && !isZombie(Long.parseLong(process.getFileName().toString()))) {
                        live++;
                    }
                } catch (IOException | SecurityException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        }
        return live;
    }

    /** The postmaster PID named on the first line of {@code postmaster.pid}, if the file is there. */
    static OptionalLong lockFilePid(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return OptionalLong.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        try {
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A process that has exited but not been reaped: it still has a PID, and PostgreSQL takes it for alive. */
    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII);
            // "pid (comm) S ...": the state follows the last ')', as comm may itself hold parentheses.
            String state = stat.substring(stat.lastIndexOf(')') + 1).trim();
            return state.startsWith("Z") || state.startsWith("X");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isPid(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
