package io.stenographer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The packaged Stenographer service ({@code bootstrap/target/quarkus-app/quarkus-run.jar}) in its own
 * process, started the way users run it: {@code java -jar quarkus-run.jar}, prod profile. For
 * end-to-end, crash and multi-process tests.
 *
 * <pre>{@code
 * Path data = Files.createTempDirectory(Path.of("target"), "svc-");
 * try (ServiceProcess service = ServiceProcess.builder(data)
 *         .env("STENOGRAPHER_OIDC_URL", oidcUrl)
 *         .property("quarkus.oidc.token.issuer", issuer)
 *         .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true")
 *         .start()) {                       // returns once /q/health/ready answers 200
 *     URI api = service.baseUri();          // https://127.0.0.1:<port>
 *     service.killPostgres9();              // SIGKILL the embedded PostgreSQL's postmaster
 *     service.kill9();                      // SIGKILL the service itself
 *     service.restart();                    // same port, data dir and settings; waits for readiness
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Jar:</b> {@link Builder#jar(Path)}, else system property {@value #JAR_PROPERTY} (the bootstrap
 *   module's failsafe configuration sets it), else {@code bootstrap/target/quarkus-app/quarkus-run.jar}
 *   relative to the working directory or its parent.</li>
 *   <li><b>Data dir:</b> passed as {@code STENOGRAPHER_DATA_DIR}; it is also the process' working
 *   directory (so no stray {@code .env} or {@code config/} of the caller's directory is read). The
 *   embedded PostgreSQL keeps its cluster in {@code <data dir>/pgdata}; {@link #postgresPid()} reads the
 *   postmaster's PID from the first line of {@code pgdata/postmaster.pid}.</li>
 *   <li><b>Settings:</b> {@link Builder#env} and {@link Builder#property} ({@code -Dkey=value}, which outrank
 *   environment variables in Quarkus). The child inherits this JVM's environment except variables starting
 *   with {@code STENOGRAPHER_} or {@code QUARKUS_}, so a developer's shell cannot change a test.</li>
 *   <li><b>Port:</b> {@link Builder#httpPort(int)} or a free one ({@link FreePorts}); kept across restarts.</li>
 *   <li><b>HTTPS:</b> the service serves HTTPS on that port with the JVM's {@link ServiceCertificate} (PEM files in
 *   the TLS registry), as the prod profile requires; its plain-HTTP listener stays off. This JVM's default
 *   SSLContext trusts the certificate. {@link Builder#withoutServerCertificate()} starts it with none, for the test
 *   that the service then refuses to start.</li>
 *   <li><b>Output:</b> stdout and stderr go to {@link #logFile()} (default
 *   {@code target/service-runs/<name>-<port>.log}), appended across restarts with a marker line per start;
 *   start failures include its last lines.</li>
 *   <li><b>Readiness:</b> {@link #awaitReady()} polls {@code /q/health/ready} until it answers 200, failing at
 *   the deadline ({@link Builder#readyTimeout(Duration)}, default 180 s) or as soon as the process exits.</li>
 * </ul>
 *
 * A JVM shutdown hook SIGKILLs a still running service, so an aborted test run leaves no process behind
 * (an embedded PostgreSQL it started is then orphaned, as after any {@link #kill9()}).
 */
public final class ServiceProcess implements AutoCloseable {

    /** System property naming the packaged jar. */
    public static final String JAR_PROPERTY = "stenographer.service.jar";
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(180);
    /** How long {@link #stop()} waits after SIGTERM before it falls back to SIGKILL. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** Subdirectory of the data dir holding the embedded PostgreSQL cluster. */
    public static final String PGDATA = "pgdata";

    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final Path jar;
    private final Path dataDir;
    private final int httpPort;
    private final Map<String, String> env;
    private final Map<String, String> properties;
    private final List<String> jvmOptions;
    private final Path logFile;
    private final Duration readyTimeout;
    private final ServiceCertificate certificate;
    private final HttpClient http;
    private final Thread shutdownHook;
    private Process process;
    private int starts;

    private ServiceProcess(Builder builder, Path jar, int httpPort) {
        this.name = builder.name;
        this.jar = jar;
        this.dataDir = builder.dataDir.toAbsolutePath();
        this.httpPort = httpPort;
        this.env = Map.copyOf(builder.env);
        this.properties = Map.copyOf(builder.properties);
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.certificate = builder.serverCertificate;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        this.http = (certificate != null ? client.sslContext(certificate.clientContext()) : client).build();
        this.logFile = (builder.logFile != null ? builder.logFile
                : Path.of("target", "service-runs", name + "-" + httpPort + ".log")).toAbsolutePath();
        this.readyTimeout = builder.readyTimeout;
        this.shutdownHook = new Thread(this::killQuietly, "service-process-shutdown-" + name);
    }

    /** A builder for a service keeping its state (database, signing key, archive) in {@code dataDir}. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** The packaged jar: {@value #JAR_PROPERTY}, else {@code bootstrap/target/quarkus-app/quarkus-run.jar}. */
    public static Path defaultJar() {
        List<Path> tried = new ArrayList<>();
        String configured = System.getProperty(JAR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath();
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(p);
        }
        for (Path p : List.of(Path.of("target", "quarkus-app", "quarkus-run.jar"),
                Path.of("bootstrap", "target", "quarkus-app", "quarkus-run.jar"),
                Path.of("..", "bootstrap", "target", "quarkus-app", "quarkus-run.jar"))) {
            Path absolute = p.toAbsolutePath().normalize();
            if (Files.isRegularFile(absolute)) {
                return absolute;
            }
            tried.add(absolute);
        }
        throw new IllegalStateException("packaged service not found (tried " + tried + "); build it with "
                + "./mvnw package -pl bootstrap -am -DskipTests, or set -D" + JAR_PROPERTY);
    }

    /** Settings for a {@link ServiceProcess}; {@link #start()} launches it and waits until it is ready. */
    public static final class Builder {

        private final Path dataDir;
        private Path jar;
        private int httpPort;
        private String name = "stenographer";
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private Path logFile;
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private ServiceCertificate serverCertificate = ServiceCertificate.shared();

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /** The packaged {@code quarkus-run.jar}; default {@link ServiceProcess#defaultJar()}. */
        public Builder jar(Path jar) {
            this.jar = Objects.requireNonNull(jar, "jar");
            return this;
        }

        /** The HTTP port; default: a free one, chosen at {@link #start()}. */
        public Builder httpPort(int port) {
            this.httpPort = ChildProcesses.requirePort(port);
            return this;
        }

        /** A short name for log file names, thread names and messages; default {@code stenographer}. */
        public Builder name(String name) {
            if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-', was " + name);
            }
            this.name = name;
            return this;
        }

        /** An environment variable of the service process. */
        public Builder env(String variable, String value) {
            env.put(Objects.requireNonNull(variable, "variable"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Environment variables of the service process. */
        public Builder env(Map<String, String> variables) {
            variables.forEach(this::env);
            return this;
        }

        /** A system property ({@code -Dkey=value}) of the service process: any Quarkus or Stenographer setting. */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** System properties of the service process. */
        public Builder properties(Map<String, String> values) {
            values.forEach(this::property);
            return this;
        }

        /** JVM options placed before {@code -jar}, e.g. {@code -Xmx512m}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /** Where stdout and stderr go; default {@code target/service-runs/<name>-<port>.log}. */
        public Builder logFile(Path file) {
            this.logFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** How long {@link ServiceProcess#awaitReady()} waits; default 180 s (generous for loaded CI machines). */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = ChildProcesses.requirePositive(timeout);
            return this;
        }

        /** No server certificate: the prod profile must then refuse to start (HTTPS is required). */
        public Builder withoutServerCertificate() {
            this.serverCertificate = null;
            return this;
        }

        /** Another certificate than the JVM's shared one (the caller's clients must trust it). */
        public Builder serverCertificate(ServiceCertificate certificate) {
            this.serverCertificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /** Launches the service and waits until its readiness check answers 200. */
        public ServiceProcess start() {
            ServiceProcess service = build();
            service.start();
            return service;
        }

        /** The service, not yet launched: call {@link ServiceProcess#start()}. */
        public ServiceProcess build() {
            return new ServiceProcess(this, jar != null ? jar : defaultJar(),
                    httpPort > 0 ? httpPort : FreePorts.freePort());
        }
    }

    public String name() {
        return name;
    }

    /** {@code https://127.0.0.1:<port>} ({@code http://} for a service started without a certificate). */
    public URI baseUri() {
        return URI.create((certificate != null ? "https" : "http") + "://127.0.0.1:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The embedded PostgreSQL cluster directory, {@code <data dir>/pgdata}. */
    public Path postgresDataDir() {
        return dataDir.resolve(PGDATA);
    }

    public Path logFile() {
        return logFile;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The service's PID; fails when it is not running. */
    public synchronized long pid() {
        if (!isRunning()) {
            throw new IllegalStateException(this + " is not running");
        }
        return process.pid();
    }

    /** The exit code of the last run, or empty while it runs or before the first start. */
    public synchronized Optional<Integer> exitCode() {
        return process == null || process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /**
     * The embedded PostgreSQL postmaster's PID: the first line of {@code pgdata/postmaster.pid}. PostgreSQL
     * leaves the file behind when it is killed, so the PID may be of a process that is gone; see
     * {@link #isPostgresRunning()}. Fails when there is no such file (never started, or cleanly stopped).
     */
    public long postgresPid() {
        return Long.parseLong(postmasterPidLine(0));
    }

    /** The embedded PostgreSQL's TCP port: the fourth line of {@code pgdata/postmaster.pid}. */
    public int postgresPort() {
        return Integer.parseInt(postmasterPidLine(3));
    }

    /** Whether the postmaster named in {@code pgdata/postmaster.pid} is alive. */
    public boolean isPostgresRunning() {
        try {
            return isAlive(postgresPid());
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Launches the service (with the same settings as before, if it ran) and waits until it is ready. */
    public synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException(this + " is already running");
        }
        launch();
        awaitReady();
    }

    /**
     * Launches the service without waiting for readiness: for tests of a service that must start while a
     * dependency is missing, and become ready later ({@link #awaitReady()}).
     */
    public synchronized void startWithoutAwaitingReadiness() {
        if (isRunning()) {
            throw new IllegalStateException(this + " is already running");
        }
        launch();
    }

    /** Stops the service gracefully if it still runs, then {@link #start()}s it again. */
    public synchronized void restart() {
        if (isRunning()) {
            stop();
        }
        start();
    }

    /**
     * Waits until {@code /q/health/ready} answers 200, within the configured deadline. Fails at once when the
     * process exits meanwhile, with the end of its log.
     */
    public void awaitReady() {
        awaitReady(readyTimeout);
    }

    /** As {@link #awaitReady()}, with its own deadline. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(baseUri().resolve("/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            Process p;
            synchronized (this) {
                p = process;
            }
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException(name + " exited" + (p == null ? "" : " with code " + p.exitValue())
                        + " before it was ready; last lines of " + logFile + ":\n" + tail(60));
            }
            try {
                HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            ChildProcesses.sleep(POLL);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + " (last probe: " + last
                + "); last lines of " + logFile + ":\n" + tail(60));
    }

    /** SIGKILL to the service process (not to its PostgreSQL, which is orphaned); waits until it is gone. */
    public synchronized void kill9() {
        if (!isRunning()) {
            throw new IllegalStateException(this + " is not running");
        }
        process.destroyForcibly();
        awaitExit(process, KILL_TIMEOUT);
    }

    /**
     * SIGKILL to the embedded PostgreSQL's postmaster (its backends are left to notice, as after a real crash of
     * the postmaster); waits until the postmaster is gone. Returns the PID it killed.
     */
    public long killPostgres9() {
        long pid = postgresPid();
        ProcessHandle postmaster = ProcessHandle.of(pid).filter(h -> isAlive(pid)).orElseThrow(
                () -> new IllegalStateException("PostgreSQL postmaster " + pid + " of " + name + " is not running"));
        postmaster.destroyForcibly();
        awaitGone(pid, KILL_TIMEOUT);
        return pid;
    }

    /**
     * SIGKILL to the service and to its embedded PostgreSQL's postmaster, back to back (both die within the
     * same instant, as on a crash of both), then waits until both are gone. Returns the postmaster's PID.
     */
    public synchronized long kill9WithPostgres() {
        long pgPid = postgresPid();
        if (!isRunning() || !isAlive(pgPid)) {
            throw new IllegalStateException(this + " or its PostgreSQL " + pgPid + " is not running");
        }
        ProcessHandle.of(pgPid).ifPresent(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(process, KILL_TIMEOUT);
        awaitGone(pgPid, KILL_TIMEOUT);
        return pgPid;
    }

    /**
     * Graceful stop (SIGTERM, as a supervisor would), waiting up to {@link #STOP_TIMEOUT}; a service that does
     * not end by then is killed and this method fails. Does nothing when the service is not running.
     */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        process.destroy();
        try {
            if (process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + name, e);
        }
        process.destroyForcibly();
        awaitExit(process, KILL_TIMEOUT);
        throw new IllegalStateException(name + " did not stop within " + STOP_TIMEOUT + " of SIGTERM and was killed;"
                + " last lines of " + logFile + ":\n" + tail(60));
    }

    /** {@link #stop()}; the data dir and the log file stay for inspection. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            ChildProcesses.removeShutdownHook(shutdownHook);
        }
    }

    /** The last {@code lines} lines of the log file. */
    public String tail(int lines) {
        return ChildProcesses.tail(logFile, lines);
    }

    @Override
    public String toString() {
        return "ServiceProcess[" + name + ", " + baseUri() + ", data " + dataDir + ", log " + logFile + "]";
    }

    private synchronized void launch() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        if (certificate != null) {
            certificate.serverProperties().forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-Dquarkus.http.ssl-port=" + httpPort);
        }
        // Without a certificate the plain listener is on this port (and the service should refuse to start).
        command.add("-Dquarkus.http.port=" + httpPort);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("STENOGRAPHER_") || k.startsWith("QUARKUS_"));
        builder.environment().putAll(env);
        builder.environment().put("STENOGRAPHER_DATA_DIR", dataDir.toString());
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.getParent());
            starts++;
            // Settings are logged by name only: values may hold credentials.
            Files.writeString(logFile, "=== " + Instant.now() + " ServiceProcess " + name + " start #" + starts
                    + " on port " + httpPort + ", env " + env.keySet() + ", properties " + properties.keySet()
                    + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
        if (starts == 1) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    private String postmasterPidLine(int line) {
        Path file = postgresDataDir().resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            if (lines.size() <= line || lines.get(line).isBlank()) {
                throw new IllegalStateException(file + " has no line " + (line + 1) + " (PostgreSQL still starting?)");
            }
            return lines.get(line).trim();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no " + file + ": the embedded PostgreSQL of " + name + " is not running");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void killQuietly() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private void awaitExit(Process p, Duration timeout) {
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + p.pid() + ") did not end within " + timeout
                        + " of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to end", e);
        }
    }

    private void awaitGone(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("process " + pid + " of " + name + " did not end within " + timeout
                        + " of SIGKILL");
            }
            ChildProcesses.sleep(Duration.ofMillis(10));
        }
    }

    /** Alive and not a zombie: a killed process nobody has reaped yet still has a PID, but it is gone. */
    private static boolean isAlive(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // "pid (comm) S ...": the state follows the last ')', as comm may itself hold parentheses.
            String afterComm = stat.substring(stat.lastIndexOf(')') + 1).trim();
            return !afterComm.startsWith("Z") && !afterComm.startsWith("X");
        } catch (IOException e) {
            return !Files.isDirectory(Path.of("/proc")) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }
}
