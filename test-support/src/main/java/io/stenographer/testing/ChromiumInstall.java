package io.stenographer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium and its driver for the console's browser tests, installed by the project itself when the machine
 * lacks them, so that those tests never skip for want of a browser:
 *
 * <pre>{@code
 * ChromiumInstall.Browser browser = ChromiumInstall.ensure();   // /usr/bin/chromium, /usr/bin/chromedriver
 * }</pre>
 *
 * When {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is missing and this JVM runs as root (uid 0), it
 * runs {@value #UPDATE} and then {@value #INSTALL} (with {@code DEBIAN_FRONTEND=noninteractive}), their output going
 * to {@link #logFile()}; otherwise it fails with the exact command to run. Nothing is fetched from anywhere but the
 * machine's own package sources.
 */
public final class ChromiumInstall {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** What is run first, as root. */
    public static final String UPDATE = "apt-get update";
    /** What is run then, as root, with DEBIAN_FRONTEND=noninteractive. */
    public static final String INSTALL = "apt-get install -y --no-install-recommends chromium chromium-driver";
    /** What a user who is not root is told to run. */
    public static final String MANUAL_COMMAND = "sudo sh -c '" + UPDATE + " && DEBIAN_FRONTEND=noninteractive "
            + INSTALL + "'";

    private static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);

    /** The installed browser and its driver, with their versions as they report them. */
    public record Browser(Path chromium, Path chromedriver, String chromiumVersion, String chromedriverVersion) {
    }

    private ChromiumInstall() {
    }

    /** Where apt's output goes: {@code target/chromium-install.log} of the working directory. */
    public static Path logFile() {
        return Path.of("target", "chromium-install.log").toAbsolutePath();
    }

    /** Installs what is missing (as root) and answers the browser; fails with the command to run otherwise. */
    public static synchronized Browser ensure() {
        if (!installed()) {
            if (!isRoot()) {
                throw new IllegalStateException("The console's browser tests need Debian's Chromium and its driver ("
                        + CHROMIUM + ", " + CHROMEDRIVER + "), which are missing, and only root can install them. "
                        + "Run:\n  " + MANUAL_COMMAND);
            }
            install();
            if (!installed()) {
                throw new IllegalStateException("apt-get installed chromium and chromium-driver but " + CHROMIUM
                        + " or " + CHROMEDRIVER + " is still missing; see " + logFile());
            }
        }
        return new Browser(CHROMIUM, CHROMEDRIVER, version(CHROMIUM), version(CHROMEDRIVER));
    }

    /** Both executables are there. */
    public static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer value && value == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void install() {
        Path log = logFile();
        long started = System.nanoTime();
        run(List.of(UPDATE.split(" ")), UPDATE_TIMEOUT, log);
        run(List.of(INSTALL.split(" ")), INSTALL_TIMEOUT, log);
        appendLog(log, "=== ChromiumInstall: installed in " + Duration.ofNanos(System.nanoTime() - started).toSeconds()
                + " s");
    }

    private static void run(List<String> command, Duration timeout, Path log) {
        String shown = String.join(" ", command);
        appendLog(log, "=== " + Instant.now() + " ChromiumInstall: " + shown);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(shown + " did not finish within " + timeout + "; last lines of " + log
                        + ":\n" + ChildProcesses.tail(log, 40));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(shown + " failed with exit code " + process.exitValue()
                        + "; last lines of " + log + ":\n" + ChildProcesses.tail(log, 40)
                        + "\nTo install the browser by hand, run:\n  " + MANUAL_COMMAND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + shown, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + shown, e);
        }
    }

    /** The last line {@code <executable> --version} prints, e.g. "Chromium 156.0.8078.129 built on Debian ...". */
    private static String version(Path executable) {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--version"));
        try {
            Path out = Files.createTempFile("chromium-version-", ".txt");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not answer within 60 s");
                }
                // The last line: Debian's launcher script may print its own shell warnings first.
                List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.isBlank()).toList();
                return lines.isEmpty() ? "(no version printed)" : lines.get(lines.size() - 1).trim();
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void appendLog(Path log, String line) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
