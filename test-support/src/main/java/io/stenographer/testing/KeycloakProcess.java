package io.stenographer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real Keycloak server in its own process, without Docker: the {@code keycloak-quarkus-dist} distribution that
 * the bootstrap module's build unpacks (system property {@value #HOME_PROPERTY}), started as
 * {@code bin/kc.sh start-dev --http-port=<free port> --db=dev-mem --import-realm} with the given realm files copied
 * to {@code <home>/data/import}. Its state lives in memory, so every start begins from the realm files.
 *
 * <pre>{@code
 * try (KeycloakProcess keycloak = KeycloakProcess.builder()
 *         .realm(Path.of("../deploy/keycloak/stenographer-realm.json"))
 *         .start()) {                                   // returns once every realm's discovery answers 200
 *     String issuer = keycloak.realmUrl("stenographer");
 *     String token = keycloak.passwordGrant("stenographer", "stenographer-cli", "writer", "demo-only-writer");
 * }
 * }</pre>
 *
 * The master realm's admin user gets a random password per process ({@link #adminToken()} uses it), so nothing
 * secret is written anywhere. Output goes to {@link #logFile()}. Only one Keycloak may run from one home
 * directory at a time (they share {@code data/import}). A JVM shutdown hook kills a still running server.
 */
public final class KeycloakProcess implements AutoCloseable {

    /** System property naming the unpacked distribution ({@code .../keycloak-<version>}). */
    public static final String HOME_PROPERTY = "stenographer.keycloak.home";
    /** The first start augments the distribution (about 15 s more); 240 s is generous for a loaded 2-core CI box. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(240);
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration POLL = Duration.ofMillis(250);

    private final Path home;
    private final List<Path> realmFiles;
    private final List<String> realmNames;
    private final int httpPort;
    private final Path logFile;
    private final Duration readyTimeout;
    private final String adminPassword = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread shutdownHook = new Thread(this::killQuietly, "keycloak-process-shutdown");
    private Process process;
    private Duration lastStartTime;

    private KeycloakProcess(Builder builder, Path home, int httpPort) {
        this.home = home;
        this.realmFiles = List.copyOf(builder.realmFiles);
        this.realmNames = realmFiles.stream().map(KeycloakProcess::realmName).collect(Collectors.toUnmodifiableList());
        this.httpPort = httpPort;
        this.logFile = (builder.logFile != null ? builder.logFile
                : Path.of("target", "keycloak-runs", "keycloak-" + httpPort + ".log")).toAbsolutePath();
        this.readyTimeout = builder.readyTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The distribution directory: {@value #HOME_PROPERTY}, else {@code target/keycloak/keycloak-*}. */
    public static Path defaultHome() {
        String configured = System.getProperty(HOME_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath();
            if (Files.isExecutable(p.resolve("bin/kc.sh"))) {
                return p;
            }
            throw new IllegalStateException("-D" + HOME_PROPERTY + "=" + p + " holds no bin/kc.sh; the bootstrap "
                    + "build unpacks Keycloak there in pre-integration-test (./mvnw verify -pl bootstrap -am)");
        }
        for (Path parent : List.of(Path.of("target", "keycloak"), Path.of("bootstrap", "target", "keycloak"))) {
            if (Files.isDirectory(parent)) {
                try (DirectoryStream<Path> homes = Files.newDirectoryStream(parent, "keycloak-*")) {
                    for (Path p : homes) {
                        if (Files.isExecutable(p.resolve("bin/kc.sh"))) {
                            return p.toAbsolutePath();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("Keycloak distribution not found: set -D" + HOME_PROPERTY
                + " or run ./mvnw verify -pl bootstrap -am, which unpacks it into bootstrap/target/keycloak");
    }

    /** Settings for a {@link KeycloakProcess}. */
    public static final class Builder {

        private Path home;
        private final List<Path> realmFiles = new ArrayList<>();
        private int httpPort;
        private Path logFile;
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;

        private Builder() {
        }

        /** The unpacked distribution; default {@link KeycloakProcess#defaultHome()}. */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        /** A realm export ({@code "realm": "<name>"} at its top) imported at start; at least one is required. */
        public Builder realm(Path realmFile) {
            if (!Files.isRegularFile(realmFile)) {
                throw new IllegalArgumentException("no realm file " + realmFile.toAbsolutePath());
            }
            realmFiles.add(realmFile.toAbsolutePath());
            return this;
        }

        public Builder httpPort(int port) {
            this.httpPort = ChildProcesses.requirePort(port);
            return this;
        }

        public Builder logFile(Path file) {
            this.logFile = Objects.requireNonNull(file, "file");
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = ChildProcesses.requirePositive(timeout);
            return this;
        }

        /** Launches Keycloak and waits until every imported realm's discovery document answers 200. */
        public KeycloakProcess start() {
            if (realmFiles.isEmpty()) {
                throw new IllegalStateException("give at least one realm file");
            }
            KeycloakProcess keycloak = new KeycloakProcess(this, home != null ? home : defaultHome(),
                    httpPort > 0 ? httpPort : FreePorts.freePort());
            keycloak.start();
            return keycloak;
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    /** The realm's URL, which is also its issuer ({@code iss}) when tokens are requested at {@link #baseUri()}. */
    public String realmUrl(String realm) {
        return baseUri() + "/realms/" + realm;
    }

    public Path logFile() {
        return logFile;
    }

    /** How long the last start took, from launch to every realm being served. */
    public synchronized Duration lastStartTime() {
        return lastStartTime;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the server (again, after {@link #stop()}, from the realm files) and waits until it serves them. */
    public synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException("Keycloak on port " + httpPort + " is already running");
        }
        long started = System.nanoTime();
        launch();
        awaitReady();
        lastStartTime = Duration.ofNanos(System.nanoTime() - started);
        appendLog("=== KeycloakProcess ready after " + lastStartTime.toMillis() + " ms");
    }

    /** SIGTERM to the server (kc.sh forwards it), SIGKILL after {@link #STOP_TIMEOUT}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (ProcessHandle h : tree) {
            awaitGone(h, deadline);
        }
        try {
            if (!process.waitFor(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                    TimeUnit.MILLISECONDS)) {
                killQuietly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Keycloak", e);
        }
        process = null;
    }

    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            ChildProcesses.removeShutdownHook(shutdownHook);
        }
    }

    /** An access token by the resource-owner password grant (a public client with direct access grants). */
    public String passwordGrant(String realm, String clientId, String username, String password) {
        return token(realm, Map.of("grant_type", "password", "client_id", clientId,
                "username", username, "password", password));
    }

    /** An access token by the client-credentials grant (a confidential client with a service account). */
    public String clientCredentials(String realm, String clientId, String secret) {
        return token(realm, Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret));
    }

    /** Sends a form to the realm's token endpoint; fails unless it answers 200 with an access token. */
    public String token(String realm, Map<String, String> form) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                        URI.create(realmUrl(realm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form))));
        Matcher m = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("token request to realm " + realm + " (grant "
                    + form.get("grant_type") + ", client " + form.get("client_id") + ") answered "
                    + response.statusCode() + ": " + response.body());
        }
        return m.group(1);
    }

    /** A master-realm admin token, for {@link #admin}. */
    public String adminToken() {
        return passwordGrant("master", "admin-cli", "admin", adminPassword);
    }

    /**
     * A call to the admin REST API ({@code path} below {@code /admin/realms/}, e.g. {@code stenographer/clients}),
     * with a JSON body or none; fails unless it answers 2xx. Returns the response (for Location or a JSON body).
     */
    public HttpResponse<String> admin(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri().resolve("/admin/realms/" + path))
                .header("Authorization", "Bearer " + adminToken())
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = send(request);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("admin " + method + " " + path + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return response;
    }

    /** The last {@code lines} lines of the log file. */
    public String tail(int lines) {
        return ChildProcesses.tail(logFile, lines);
    }

    @Override
    public String toString() {
        return "KeycloakProcess[" + baseUri() + ", realms " + realmNames + ", home " + home + ", log " + logFile + "]";
    }

    private void launch() {
        Path importDir = home.resolve("data").resolve("import");
        List<String> command = List.of(home.resolve("bin").resolve("kc.sh").toString(), "start-dev",
                "--http-port=" + httpPort, "--http-host=127.0.0.1", "--db=dev-mem", "--import-realm",
                "--http-management-port=" + FreePorts.freePort());
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("KEYCLOAK_")
                || k.startsWith("QUARKUS_"));
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Files.createDirectories(importDir);
            // Only this process' realms are imported: clear what an earlier run left behind.
            try (DirectoryStream<Path> old = Files.newDirectoryStream(importDir, "*.json")) {
                for (Path p : old) {
                    Files.delete(p);
                }
            }
            for (Path realm : realmFiles) {
                Files.copy(realm, importDir.resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.createDirectories(logFile.getParent());
            appendLog("=== " + Instant.now() + " KeycloakProcess start on port " + httpPort + ", realms " + realmNames);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Keycloak: " + command, e);
        }
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalArgumentException alreadyAdded) {
            // restarted: the hook from the first start still covers this process
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        String last = "no answer";
        for (String realm : realmNames) {
            HttpRequest probe = HttpRequest.newBuilder(URI.create(realmUrl(realm)
                    + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5)).GET().build();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with code " + process.exitValue()
                            + " before it was ready; last lines of " + logFile + ":\n" + tail(60));
                }
                try {
                    HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        break;
                    }
                    last = realm + ": HTTP " + response.statusCode();
                } catch (IOException e) {
                    last = realm + ": " + e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Keycloak", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Keycloak was not ready within " + readyTimeout + " (last probe: "
                            + last + "); last lines of " + logFile + ":\n" + tail(60));
                }
                ChildProcesses.sleep(POLL);
            }
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak on port " + httpPort + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void appendLog(String line) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void killQuietly() {
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static void awaitGone(ProcessHandle handle, long deadline) {
        while (handle.isAlive() && System.nanoTime() < deadline) {
            ChildProcesses.sleep(Duration.ofMillis(50));
        }
        if (handle.isAlive()) {
            handle.destroyForcibly();
        }
    }

    private static String formEncode(Map<String, String> form) {
        return new LinkedHashMap<>(form).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The {@code "realm"} name at the top of a realm export. */
    private static String realmName(Path realmFile) {
        try {
            Matcher m = Pattern.compile("\"realm\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(realmFile));
            if (!m.find()) {
                throw new IllegalArgumentException(realmFile + " names no realm");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
