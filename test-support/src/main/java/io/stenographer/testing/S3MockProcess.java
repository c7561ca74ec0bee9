package io.stenographer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3Mock ({@code com.adobe.testing:s3mock:<version>:jar:exec}) in its own process, for tests that
 * need an S3 endpoint and for fault tests that need it to go away: {@link #kill()} ends the process
 * abruptly (SIGKILL), {@link #restart()} brings it back on the same port with the same data,
 * {@link #pause()} / {@link #resume()} freeze it (SIGSTOP / SIGCONT) so that calls hang instead of
 * being refused.
 *
 * <p>S3Mock stores object-lock retention and legal holds set with PutObjectRetention and
 * PutObjectLegalHold and reports them back, but it does <em>not</em> enforce them (locked objects can be
 * deleted) and it ignores the lock headers on PutObject. Never take an S3Mock test as proof that a lock
 * is enforced; AWS S3 enforces it.
 *
 * <p>The jar: system property {@value #JAR_PROPERTY} (the surefire configuration of adapters-archive and
 * bootstrap sets it to {@code target/s3mock/s3mock-exec.jar}, which the {@code fetch-s3mock} execution of
 * maven-dependency-plugin copies there), or else the local Maven repository ({@code maven.repo.local}
 * or {@code ~/.m2/repository}).
 *
 * <pre>{@code
 * try (S3MockProcess s3 = S3MockProcess.start()) {
 *     s3.createBucket("archive", true);          // with Object Lock
 *     URI endpoint = s3.endpoint();              // http://127.0.0.1:<port>, path-style, region us-east-1
 *     ...
 *     s3.kill();                                 // S3 goes away mid-run
 *     ...
 *     s3.restart();                              // and comes back, same port, same buckets and objects
 * }
 * }</pre>
 *
 * Any access key and secret are accepted; {@link #ACCESS_KEY_ID} / {@link #SECRET_ACCESS_KEY} are provided
 * for convenience. The process output goes to {@link #logFile()}, and the process is killed when the
 * JVM exits in case a test forgets to close it.
 */
public final class S3MockProcess implements AutoCloseable {

    public static final String JAR_PROPERTY = "stenographer.s3mock.jar";
    public static final String VERSION = "4.11.0";
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY_ID = "s3mock-access-key";
    public static final String SECRET_ACCESS_KEY = "s3mock-secret-key";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final Path jar;
    private final Path workDir;
    private final Path dataDir;
    private final Path logFile;
    private final int httpPort;
    private final int httpsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook = new Thread(this::destroyQuietly, "s3mock-shutdown");
    private Process process;
    private boolean paused;

    private S3MockProcess(Path jar, Path workDir, int httpPort, int httpsPort) {
        this.jar = jar;
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.logFile = workDir.resolve("s3mock.log");
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    /** Starts S3Mock on free ports with its data and log under {@code target/s3mock-runs/}; waits until it answers. */
    public static S3MockProcess start() {
        return start(Path.of("target", "s3mock-runs"));
    }

    /** Starts S3Mock with its data directory and log in a new directory under {@code parent}. */
    public static S3MockProcess start(Path parent) {
        try {
            Files.createDirectories(parent);
            int[] ports = freePorts(2);
            Path workDir = Files.createTempDirectory(parent.toAbsolutePath(), "s3mock-" + ports[0] + "-");
            S3MockProcess s3 = new S3MockProcess(jar(), workDir, ports[0], ports[1]);
            Runtime.getRuntime().addShutdownHook(s3.shutdownHook);
            s3.launch();
            return s3;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The S3Mock exec jar, from {@value #JAR_PROPERTY} or the local Maven repository. */
    public static Path jar() {
        String configured = System.getProperty(JAR_PROPERTY);
        List<Path> tried = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(p);
        }
        String repo = System.getProperty("maven.repo.local");
        Path repository = repo != null && !repo.isBlank() ? Path.of(repo)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path inRepo = repository.resolve(Path.of("com", "adobe", "testing", "s3mock", VERSION,
                "s3mock-" + VERSION + "-exec.jar"));
        if (Files.isRegularFile(inRepo)) {
            return inRepo;
        }
        tried.add(inRepo);
        throw new IllegalStateException("S3Mock exec jar not found (tried " + tried + "). Run the tests through Maven"
                + " (the fetch-s3mock execution of maven-dependency-plugin downloads it), or set -D" + JAR_PROPERTY);
    }

    /** {@code http://127.0.0.1:<port>}; use path-style access and region {@value #REGION}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    public Path logFile() {
        return logFile;
    }

    /** S3Mock's store root (buckets, objects and their metadata as files), kept across {@link #restart()}. */
    public Path dataDirectory() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Ends the process at once (SIGKILL), as a crash or a network cut would; waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        resumeIfPaused();
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("S3Mock process " + process.pid() + " did not end after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing S3Mock", e);
        }
        process = null;
    }

    /** Kills the process if it runs, then starts it again on the same port and data directory. */
    public synchronized void restart() {
        kill();
        launch();
    }

    /**
     * Freezes the process (SIGSTOP): connections are still accepted by the kernel, but nothing answers,
     * so clients see their read timeouts rather than a refused connection.
     */
    public synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** Undoes {@link #pause()} (SIGCONT). */
    public synchronized void resume() {
        signal("CONT");
        paused = false;
    }

    private void resumeIfPaused() {
        if (paused) {
            resume();
        }
    }

    /**
     * Creates a bucket through S3Mock's HTTP API (no AWS SDK needed): with {@code objectLock} the request
     * carries {@code x-amz-bucket-object-lock-enabled: true}, as {@code --object-lock-enabled-for-bucket} does.
     */
    public void createBucket(String name, boolean objectLock) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint().resolve("/" + name))
                .timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.noBody());
        if (objectLock) {
            request.header("x-amz-bucket-object-lock-enabled", "true");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("S3Mock refused to create bucket " + name + ": HTTP "
                        + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create bucket " + name + " on S3Mock at " + endpoint(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Kills the process and deletes its data directory (the log file stays for inspection). */
    @Override
    public synchronized void close() {
        kill();
        ChildProcesses.removeShutdownHook(shutdownHook);
        deleteRecursively(dataDir);
    }

    @Override
    public String toString() {
        return "S3MockProcess[" + endpoint() + (isRunning() ? ", running" : ", stopped") + ", log " + logFile + "]";
    }

    private synchronized void launch() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", jar.toString(),
                "--com.adobe.testing.s3mock.httpPort=" + httpPort,
                "--server.port=" + httpsPort,
                "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.store.root=" + dataDir,
                "--com.adobe.testing.s3mock.store.retainFilesOnExit=true");
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start S3Mock: " + command, e);
        }
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(endpoint().resolve("/")).timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited with code " + process.exitValue() + " while starting; "
                        + "last lines of " + logFile + ":\n" + tail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for S3Mock", e);
            }
            ChildProcesses.sleep(Duration.ofMillis(100));
        }
        destroyQuietly();
        throw new IllegalStateException("S3Mock did not answer on " + endpoint() + " within " + STARTUP_TIMEOUT
                + "; last lines of " + logFile + ":\n" + tail());
    }

    private void signal(String signal) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("S3Mock is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not send SIG" + signal + " to S3Mock", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void destroyQuietly() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private String tail() {
        return ChildProcesses.tail(logFile, 30);
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: target/ is cleaned by the build anyway
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
