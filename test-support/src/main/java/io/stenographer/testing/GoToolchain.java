package io.stenographer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Go and Go's tlog package from Debian's packages (golang-go, golang-golang-x-mod-dev), installed by the project
 * when the machine lacks them, like the browser for the console tests: they are the one standard tlog-tiles client
 * that runs here. Programs are built in GOPATH mode against the packaged sources, with no network.
 */
public final class GoToolchain {

    private static final Path GO = Path.of("/usr/bin/go");
    private static final Path GOPATH = Path.of("/usr/share/gocode");
    private static final Path TLOG = GOPATH.resolve("src/golang.org/x/mod/sumdb/tlog/tlog.go");
    private static final String[] PACKAGES = {"golang-go", "golang-golang-x-mod-dev"};

    private GoToolchain() {
    }

    /** Installs what is missing; fails with apt's own words when it cannot. */
    public static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(GO) && Files.isRegularFile(TLOG)) {
            return;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("Go's tlog client is missing and only root can install it: apt-get install "
                    + String.join(" ", PACKAGES));
        }
        run(List.of("apt-get", "update", "-qq"), 300);
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
        install.addAll(List.of(PACKAGES));
        run(install, 600);
        if (!Files.isExecutable(GO) || !Files.isRegularFile(TLOG)) {
            throw new IllegalStateException("apt-get installed " + String.join(" ", PACKAGES) + " but " + GO + " or "
                    + TLOG + " is still missing");
        }
    }

    /** Builds and runs one Go source file; returns its exit code and what it printed. */
    public static Result run(Path source, Path workDir, List<String> arguments, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path binary = workDir.resolve("go-program");
        Result build = go(workDir, List.of(GO.toString(), "build", "-o", binary.toString(), source.toString()), 300);
        if (build.exitCode() != 0) {
            throw new IllegalStateException("go build failed:\n" + build.output());
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(arguments);
        return go(workDir, command, timeoutSeconds);
    }

    public record Result(int exitCode, String output) {
    }

    private static Result go(Path workDir, List<String> command, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().put("GO111MODULE", "off");
        builder.environment().put("GOPATH", GOPATH.toString());
        builder.environment().put("GOCACHE", workDir.resolve("go-cache").toString());
        builder.environment().put("GOFLAGS", "");
        builder.environment().put("CGO_ENABLED", "0");
        Path output = workDir.resolve("go-output.txt");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds
                    + " s:\n" + ChildProcesses.tail(output, 40));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static void run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("apt-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds
                    + " s:\n" + ChildProcesses.tail(log, 40));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n"
                    + ChildProcesses.tail(log, 40));
        }
    }
}
