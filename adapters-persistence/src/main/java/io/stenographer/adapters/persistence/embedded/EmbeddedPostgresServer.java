package io.stenographer.adapters.persistence.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL 17 server run from Maven-provided binaries, for the embedded default run and the
 * tests. It creates the same two roles a production installation has: an owner that runs the
 * migrations, and the application role that may only read and append.
 *
 * <p>It always runs durably: the launcher's defaults (no fsync, asynchronous commit) are
 * overridden, because a receipt must mean the commit is on disk. A server left running by a killed
 * process on the same data directory is stopped cleanly before a new one starts, and
 * {@link #superviseWithRestarts} restarts a server that dies on the same port and data directory.
 *
 * <p>By default it serves plain connections on loopback only. {@link #start(Path, int, Tls)} turns TLS on
 * with a given certificate and key, so clients can connect with {@code sslmode=verify-full}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "stenographer";
    public static final String OWNER_ROLE = "stenographer_owner";
    public static final String APP_ROLE = "stenographer_app";
    public static final String SUPERUSER = "postgres";

    /** Settings that make a commit durable; later {@code -c} options override the launcher's {@code -F}. */
    public static final Map<String, String> DURABLE_SETTINGS = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on");

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(120);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);
    private static final Duration DEAD_SERVER_WAIT = Duration.ofSeconds(30);
    private static final String PID_FILE = "postmaster.pid";

    private final Path dataDirectory;
    private final int port;
    /** Extra {@code -c} settings (TLS), reapplied on every restart; empty for a plain server. */
    private final Map<String, String> tlsSettings;
    /** Private copies of the TLS certificate and key; null for a plain server. */
    private final Path tlsDirectory;
    private volatile EmbeddedPostgres postgres;
    private volatile boolean closed;
    private volatile Thread watcher;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, Map<String, String> tlsSettings,
            Path tlsDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.port = postgres.getPort();
        this.tlsSettings = tlsSettings;
        this.tlsDirectory = tlsDirectory;
    }

    /**
     * The server's TLS identity: its certificate (PEM, optionally followed by intermediates) and the matching
     * unencrypted private key (PEM). Both are copied when the server starts; the originals are not used again.
     */
    public record Tls(Path certificatePem, Path privateKeyPem) {
        public Tls {
            Objects.requireNonNull(certificatePem, "certificatePem");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        }
    }

    /**
     * Starts a server on {@code dataDirectory}, which keeps its data across restarts, or on a fresh
     * throw-away directory when {@code dataDirectory} is null. Port 0 picks a free port.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        return start(dataDirectory, port, Map.of(), null);
    }

    /**
     * As {@link #start(Path, int)}, serving TLS (1.2 or later) with {@code tls}. Plain connections are still
     * accepted, as on any server whose pg_hba.conf uses {@code host} lines: it is the client's
     * {@code sslmode} that insists on TLS, and the {@code require-tls} guard that checks it did.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, Tls tls) {
        Objects.requireNonNull(tls, "tls");
        Path tlsDirectory;
        try {
            tlsDirectory = privateCopies(tls);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the embedded PostgreSQL's TLS files", e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ssl", "on");
        settings.put("ssl_cert_file", tlsDirectory.resolve("server.crt").toString());
        settings.put("ssl_key_file", tlsDirectory.resolve("server.key").toString());
        // Already PostgreSQL's default since 13; said here so an older or reconfigured build cannot lower it.
        settings.put("ssl_min_protocol_version", "TLSv1.2");
        try {
            return start(dataDirectory, port, Map.copyOf(settings), tlsDirectory);
        } catch (RuntimeException e) {
            deleteQuietly(tlsDirectory);
            throw e;
        }
    }

    private static EmbeddedPostgresServer start(Path dataDirectory, int port, Map<String, String> tlsSettings,
            Path tlsDirectory) {
        try {
            if (dataDirectory != null) {
                stopOrphanedServer(dataDirectory);
                awaitDeadServerGone(dataDirectory);
            }
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(launch(dataDirectory, port, tlsSettings),
                    dataDirectory, tlsSettings, tlsDirectory);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
            server.createRolesAndDatabase();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare embedded PostgreSQL", e);
        }
    }

    /**
     * PostgreSQL refuses a key file that its group or others can read, and the data directory does not exist
     * yet when the launcher runs initdb (which wants it empty), so the files go to their own owner-only
     * directory instead. The launcher joins {@code -c} options with spaces, hence no whitespace in the path.
     */
    private static Path privateCopies(Tls tls) throws IOException {
        FileAttribute<Set<PosixFilePermission>> ownerOnly =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Path directory = Files.createTempDirectory("stenographer-pg-tls", ownerOnly).toRealPath();
        if (directory.toString().chars().anyMatch(Character::isWhitespace)) {
            deleteQuietly(directory);
            throw new IOException("the temporary directory " + directory + " contains whitespace, which the"
                    + " embedded launcher cannot pass to PostgreSQL; set java.io.tmpdir to a path without it");
        }
        Path certificate = directory.resolve("server.crt");
        Path key = directory.resolve("server.key");
        Files.copy(tls.certificatePem(), certificate, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(certificate, PosixFilePermissions.fromString("rw-------"));
        // Created owner-only before the key is written, so no moment exists where others could read it.
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(key, Files.readAllBytes(tls.privateKeyPem()));
        return directory;
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.debugf("could not delete %s: %s", directory, e.getMessage());
        }
    }

    /** Whether the server was started with TLS on. */
    public boolean tls() {
        return tlsDirectory != null;
    }

    private static EmbeddedPostgres launch(Path dataDirectory, int port, Map<String, String> tlsSettings)
            throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPGStartupWait(STARTUP_WAIT)
                // Our own hook stops the server; the launcher's would look like a crash to the supervisor.
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // The server's log is part of the service's output. An error's DETAIL quotes row values (a unique
                // violation names the key: an idempotency key, an actor id), which can be personal; terse leaves it
                // out, and the error itself is still logged.
                .setServerConfig("log_error_verbosity", "terse");
        DURABLE_SETTINGS.forEach(builder::setServerConfig);
        tlsSettings.forEach(builder::setServerConfig);
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    /**
     * A killed service leaves its PostgreSQL running (pg_ctl detaches it). Stop that server with a fast
     * shutdown, which rolls back open transactions and keeps every committed one, before starting anew.
     */
    static void stopOrphanedServer(Path dataDirectory) throws IOException {
        Optional<ProcessHandle> orphan = postmaster(dataDirectory);
        if (orphan.isEmpty()) {
            return;
        }
        long pid = orphan.get().pid();
        LOG.warnf("a PostgreSQL (pid %d) from an earlier run still serves %s; stopping it cleanly before"
                + " starting a new one", pid, dataDirectory);
        signal("INT", pid);
        try {
            orphan.get().onExit().get(ORPHAN_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the PostgreSQL left running on " + dataDirectory + " (pid " + pid
                    + ") did not stop within " + ORPHAN_STOP_WAIT + "; stop it by hand", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the orphaned PostgreSQL", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not wait for the orphaned PostgreSQL to stop", e);
        }
    }

    /**
     * After a SIGKILL, the dead postmaster can linger as a zombie until its new parent reaps it, and its
     * backends leave only once they notice it is gone. PostgreSQL refuses to start while either exists
     * ("lock file already exists", "shared memory block still in use"), so wait for them with a deadline.
     * A postmaster still a zombie at the deadline holds nothing; its lock file is then removed, exactly as
     * PostgreSQL itself removes one whose process is gone.
     */
    static void awaitDeadServerGone(Path dataDirectory) throws IOException {
        if (!Files.isDirectory(dataDirectory)) {
            return;
        }
        long deadline = System.nanoTime() + DEAD_SERVER_WAIT.toNanos();
        Path directory = dataDirectory.toRealPath();
        while (DeadServer.liveProcessesIn(directory) > 0 && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(50));
        }
        OptionalLong pid = DeadServer.lockFilePid(directory.resolve(PID_FILE));
        while (pid.isPresent() && DeadServer.isZombie(pid.getAsLong()) && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(50));
        }
        if (pid.isPresent() && DeadServer.isZombie(pid.getAsLong())) {
            LOG.warnf("the killed PostgreSQL (pid %d) was not reaped within %s; removing its stale %s",
                    pid.getAsLong(), DEAD_SERVER_WAIT, PID_FILE);
            Files.deleteIfExists(directory.resolve(PID_FILE));
        }
    }

    private static void pause(Duration duration) throws IOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a dead PostgreSQL to go", e);
        }
    }

    /** The live postmaster that owns {@code dataDirectory}, from the first line of its pid file. */
    public static Optional<ProcessHandle> postmaster(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // A stale pid file can name a recycled pid: only a live postgres process counts.
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }

    private static void signal(String signal, long pid) throws IOException {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling PostgreSQL", e);
        }
    }

    /**
     * Watches the server process; when it dies, starts it again on the same port and data directory
     * (PostgreSQL recovers every committed transaction from its WAL). Pooled connections fail meanwhile
     * and are replaced. After {@code maxAttempts} failed restarts in a row {@code onGiveUp} runs, so the
     * caller can exit and let its supervisor restart the whole service.
     */
    public void superviseWithRestarts(int maxAttempts, Duration retryDelay, Runnable onGiveUp) {
        if (dataDirectory == null) {
            throw new IllegalStateException("only a server with a persistent data directory can be restarted");
        }
        Thread thread = new Thread(() -> supervise(maxAttempts, retryDelay, onGiveUp), "embedded-postgres-watch");
        thread.setDaemon(true);
        watcher = thread;
        thread.start();
    }

    private void supervise(int maxAttempts, Duration retryDelay, Runnable onGiveUp) {
        while (!closed) {
            try {
                Optional<ProcessHandle> process = postmaster(dataDirectory);
                if (process.isPresent()) {
                    process.get().onExit().join();
                }
                if (closed) {
                    return;
                }
                LOG.errorf("embedded PostgreSQL on port %d died; restarting it on %s", port, dataDirectory);
                if (!restart(maxAttempts, retryDelay)) {
                    if (closed) {
                        return;
                    }
                    LOG.errorf("embedded PostgreSQL could not be restarted after %d attempts", maxAttempts);
                    onGiveUp.run();
                    return;
                }
                LOG.warnf("embedded PostgreSQL restarted on port %d", port);
            } catch (IOException | RuntimeException e) {
                LOG.error("embedded PostgreSQL supervision failed", e);
                onGiveUp.run();
                return;
            }
        }
    }

    private boolean restart(int maxAttempts, Duration retryDelay) {
        closeQuietly(postgres);
        for (int attempt = 1; attempt <= maxAttempts && !closed; attempt++) {
            try {
                // Backends of the dead postmaster leave once they notice; until then a start fails.
                awaitDeadServerGone(dataDirectory);
                EmbeddedPostgres launched = launch(dataDirectory, port, tlsSettings);
                synchronized (this) {
                    if (closed) {
                        // close() ran while this server was starting: it must not outlive its owner.
                        closeQuietly(launched);
                        return false;
                    }
                    postgres = launched;
                }
                return true;
            } catch (IOException | RuntimeException e) {
                LOG.warnf("restart attempt %d of embedded PostgreSQL failed: %s", attempt, e.getMessage());
                try {
                    Thread.sleep(retryDelay.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /**
     * The pool's URL: batched inserts are rewritten into multi-row INSERTs, which ingest is made of; a
     * server that is gone is reported within two seconds rather than after the driver's default ten.
     */
    public String applicationJdbcUrl() {
        return jdbcUrl() + "?reWriteBatchedInserts=true&connectTimeout=2";
    }

    /** Connection settings for Quarkus: the app role for the pool, the owner for Flyway. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.datasource.jdbc.url", applicationJdbcUrl(),
                "quarkus.datasource.username", APP_ROLE,
                "quarkus.datasource.password", APP_ROLE,
                // Migration errors without the rows' values, as the pool's (application.properties)
                "quarkus.flyway.jdbc-url", jdbcUrl() + "?logServerErrorDetail=false",
                "quarkus.flyway.username", OWNER_ROLE,
                "quarkus.flyway.password", OWNER_ROLE);
    }

    /** A connection as the superuser, for tests that must prove even it cannot rewrite history. */
    public Connection superuserConnection() throws SQLException {
        return postgres.getDatabase(SUPERUSER, DATABASE).getConnection();
    }

    public Connection connectionAs(String role) throws SQLException {
        return postgres.getDatabase(role, DATABASE).getConnection();
    }

    private void createRolesAndDatabase() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            // Embedded servers trust local connections; the passwords only matter once md5/scram is on.
            createRoleIfMissing(connection, statement, OWNER_ROLE);
            createRoleIfMissing(connection, statement, APP_ROLE);
            try (PreparedStatement exists = connection.prepareStatement(
                    "SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, DATABASE);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER_ROLE);
                    }
                }
            }
        }
    }

    private static void createRoleIfMissing(Connection connection, Statement statement, String role)
            throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            exists.setString(1, role);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + role + "'");
                }
            }
        }
    }

    private static void closeQuietly(EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            // The server is already gone; closing only releases the launcher's lock on the data directory.
            LOG.debugf("closing a dead embedded PostgreSQL: %s", e.getMessage());
        }
    }

    /** Stops the server; waits for a restart under way to finish, so no server outlives this call. */
    @Override
    public void close() {
        EmbeddedPostgres current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = postgres;
        }
        try {
            current.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Thread supervisor = watcher;
            if (supervisor != null && supervisor != Thread.currentThread()) {
                try {
                    supervisor.join(STARTUP_WAIT.plus(DEAD_SERVER_WAIT).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // After the supervisor: a restart under way still reads the key until it has finished.
            deleteQuietly(tlsDirectory);
        }
    }
}
