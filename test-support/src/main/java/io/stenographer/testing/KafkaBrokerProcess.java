package io.stenographer.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker (KRaft mode: one node that is both broker and controller) in its own process, without
 * Docker: {@code java -cp <kafka-broker classpath> kafka.Kafka server.properties}, after formatting its storage with
 * {@code kafka.tools.StorageTool format} (a static quorum, {@code controller.quorum.voters=1@127.0.0.1:<port>}).
 *
 * <p>The classpath is the one the {@code kafka-broker} module's build writes: system property
 * {@value #CLASSPATH_PROPERTY} names the file (the surefire configuration of the modules that start Kafka sets it to
 * {@code ../kafka-broker/target/kafka-broker.classpath}), else {@code kafka-broker/target/kafka-broker.classpath}
 * is looked for from the working directory and its parent. This module stays JDK-only: no Kafka class is loaded here.
 *
 * <pre>{@code
 * try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start()) { // returns once the broker logged "started" and
 *     String bootstrap = kafka.bootstrapServers();              // 127.0.0.1:<port> accepts connections
 *     ...
 *     kafka.kill();                                             // SIGKILL: the broker crashes mid-stream
 *     kafka.restart();                                          // same ports, same data directory
 * }
 * }</pre>
 *
 * Settings: a PLAINTEXT listener on 127.0.0.1 only, replication factor 1 and min.insync.replicas 1 everywhere (one
 * node), automatic topic creation on, one partition per internal topic, small thread pools and a 384 MiB heap (the
 * machines have 2 cores). Extra broker properties may be given to {@link Builder#property}. The broker's log and
 * the output of the format step go to {@link #logFile()}; failures show its tail. A JVM shutdown hook kills a broker
 * still running when the test JVM exits; {@link #close()} kills it and deletes its data directory (the log stays).
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    /** System property naming the classpath file written by the kafka-broker module's build. */
    public static final String CLASSPATH_PROPERTY = "stenographer.kafka.classpath";
    /** Path of the classpath file inside the repository. */
    public static final String CLASSPATH_FILE = "kafka-broker/target/kafka-broker.classpath";
    /** A start takes about 3 s on an idle 2-core machine, a restart after a kill about 5 s; generous for CI. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** What {@code KafkaRaftServer} logs once the broker and the controller are up. */
    private static final String STARTED_LINE = "Kafka Server started";
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int NODE_ID = 1;

    private final String classpath;
    private final Path workDir;
    private final Path dataDir;
    private final Path logFile;
    private final Path serverProperties;
    private final Path log4jProperties;
    private final int port;
    private final int controllerPort;
    /** The TLS listener's port, or 0 when the broker has none. */
    private final int tlsPort;
    private final Duration readyTimeout;
    private final Thread shutdownHook = new Thread(this::killQuietly, "kafka-broker-shutdown");
    private Process process;
    private Duration lastStartTime;

    private KafkaBrokerProcess(Builder builder, String classpath, Path workDir, int port, int controllerPort,
            int tlsPort) {
        this.classpath = classpath;
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.logFile = workDir.resolve("kafka.log");
        this.serverProperties = workDir.resolve("server.properties");
        this.log4jProperties = workDir.resolve("log4j2.properties");
        this.port = port;
        this.controllerPort = controllerPort;
        this.tlsPort = tlsPort;
        this.readyTimeout = builder.readyTimeout;
        writeConfiguration(builder.properties, builder.tlsCertificate);
    }

    /** A broker on free ports with its data and log in a new directory under {@code target/kafka-runs/}. */
    public static KafkaBrokerProcess start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a {@link KafkaBrokerProcess}. */
    public static final class Builder {

        private Path parent = Path.of("target", "kafka-runs");
        private final Map<String, String> properties = new LinkedHashMap<>();
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private TestCertificates.Server tlsCertificate;

        private Builder() {
        }

        /**
         * A second listener, SSL, serving {@code certificate} (made for localhost, 127.0.0.1 and ::1) and advertised
         * as {@code localhost:<port>}: {@link #tlsBootstrapServers()}. Brokers still talk to each other in plaintext.
         */
        public Builder tls(TestCertificates.Server certificate) {
            this.tlsCertificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /** Where the broker's directory (data and log) is created; default {@code target/kafka-runs}. */
        public Builder parent(Path directory) {
            this.parent = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** A broker property added to, or replacing one of, the defaults (not the listeners or the quorum). */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = ChildProcesses.requirePositive(timeout);
            return this;
        }

        /** Formats the storage, launches the broker and waits until it serves. */
        public KafkaBrokerProcess start() {
            try {
                Files.createDirectories(parent);
                int[] ports = FreePorts.freePorts(3);
                Path workDir = Files.createTempDirectory(parent.toAbsolutePath(), "kafka-" + ports[0] + "-");
                KafkaBrokerProcess kafka = new KafkaBrokerProcess(this, readClasspath(), workDir, ports[0], ports[1],
                        tlsCertificate != null ? ports[2] : 0);
                Runtime.getRuntime().addShutdownHook(kafka.shutdownHook);
                try {
                    kafka.format();
                    kafka.launch();
                } catch (RuntimeException e) {
                    kafka.killQuietly();
                    ChildProcesses.removeShutdownHook(kafka.shutdownHook);
                    throw e;
                }
                return kafka;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The broker's classpath, read from the file {@value #CLASSPATH_PROPERTY} names or the repository's. */
    public static String readClasspath() {
        Path file = classpathFile();
        try {
            String classpath = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (classpath.isEmpty()) {
                throw new IllegalStateException(file + " is empty; rebuild the kafka-broker module");
            }
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the Kafka broker classpath " + file, e);
        }
    }

    /** The classpath file: {@value #CLASSPATH_PROPERTY}, else {@value #CLASSPATH_FILE} here or one level up. */
    public static Path classpathFile() {
        List<Path> tried = new ArrayList<>();
        String configured = System.getProperty(CLASSPATH_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath();
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(p);
        }
        for (Path p : List.of(Path.of(CLASSPATH_FILE), Path.of("..").resolve(CLASSPATH_FILE))) {
            Path absolute = p.toAbsolutePath().normalize();
            if (Files.isRegularFile(absolute)) {
                return absolute;
            }
            tried.add(absolute);
        }
        throw new IllegalStateException("Kafka broker classpath not found (tried " + tried + "). Build it with "
                + "./mvnw install -pl kafka-broker, or set -D" + CLASSPATH_PROPERTY);
    }

    /** {@code 127.0.0.1:<port>}, the PLAINTEXT listener (also the address the broker advertises). */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code localhost:<port>}, the SSL listener of a broker built with {@link Builder#tls}. */
    public String tlsBootstrapServers() {
        if (tlsPort == 0) {
            throw new IllegalStateException("this broker has no TLS listener: build it with tls(certificate)");
        }
        return "localhost:" + tlsPort;
    }

    /** The KRaft controller's listener (not for clients). */
    public int controllerPort() {
        return controllerPort;
    }

    public Path logFile() {
        return logFile;
    }

    /** The broker's {@code log.dirs}: topic data and the metadata log, kept across {@link #restart()}. */
    public Path dataDirectory() {
        return dataDir;
    }

    /** How long the last start took, from launch to serving (the format step excluded). */
    public synchronized Duration lastStartTime() {
        return lastStartTime;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Ends the broker at once (SIGKILL), as a crash would: no controlled shutdown. Waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(STOP_TIMEOUT, "SIGKILL");
        appendLog("=== " + Instant.now() + " KafkaBrokerProcess killed (SIGKILL)");
    }

    /** A controlled shutdown (SIGTERM), SIGKILL after {@link #STOP_TIMEOUT}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Kafka", e);
        }
        awaitExit(STOP_TIMEOUT, "SIGTERM");
        appendLog("=== " + Instant.now() + " KafkaBrokerProcess stopped");
    }

    /** Kills the broker if it runs, then starts it again on the same ports with the same data; waits until ready. */
    public synchronized void restart() {
        kill();
        launch();
    }

    /** Kills the broker and deletes its data directory (the log file stays for inspection). */
    @Override
    public synchronized void close() {
        try {
            kill();
        } finally {
            ChildProcesses.removeShutdownHook(shutdownHook);
            deleteRecursively(dataDir);
        }
    }

    /** The last {@code lines} lines of the log file. */
    public String tail(int lines) {
        return ChildProcesses.tail(logFile, lines);
    }

    @Override
    public String toString() {
        return "KafkaBrokerProcess[" + bootstrapServers() + (isRunning() ? ", running" : ", stopped") + ", log "
                + logFile + "]";
    }

    // ---- configuration and launch ---------------------------------------------------------------

    private void writeConfiguration(Map<String, String> overrides, TestCertificates.Server tls) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        if (tls == null) {
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + tlsPort
                    + ",CONTROLLER://127.0.0.1:" + controllerPort);
            // advertised by name: a client checks the certificate against the name it connects to
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SSL://localhost:" + tlsPort);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT");
            p.put("listener.name.ssl.ssl.keystore.type", "PKCS12");
            p.put("listener.name.ssl.ssl.keystore.location", tls.keyStore().toAbsolutePath().toString());
            p.put("listener.name.ssl.ssl.keystore.password", tls.password());
            p.put("listener.name.ssl.ssl.key.password", tls.password());
        }
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // After a SIGKILL the restarted broker cannot register until the controller expires the dead incarnation's
        // session (9 s by default): a shorter session makes restart() take about 5 s rather than 13.
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("broker.session.timeout.ms", "4000");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (e.getKey().startsWith("listener") || e.getKey().startsWith("controller.")
                    || e.getKey().equals("advertised.listeners") || e.getKey().equals("node.id")
                    || e.getKey().equals("process.roles") || e.getKey().equals("log.dirs")) {
                throw new IllegalArgumentException(e.getKey() + " is set by KafkaBrokerProcess");
            }
            p.put(e.getKey(), e.getValue());
        }
        String log4j = String.join("\n",
                "status = warn",
                "appender.console.type = Console",
                "appender.console.name = STDOUT",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.stdout.ref = STDOUT",
                "logger.statechange.name = state.change.logger",
                "logger.statechange.level = WARN",
                "logger.request.name = kafka.request.logger",
                "logger.request.level = WARN",
                "");
        try {
            Files.createDirectories(dataDir);
            Files.writeString(serverProperties, p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
            Files.writeString(log4jProperties, log4j, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4jProperties,
                "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** {@code StorageTool format}: writes meta.properties and the bootstrap metadata with a fresh cluster id. */
    private void format() {
        List<String> command = java("kafka.tools.StorageTool", "format", "--cluster-id", clusterId(),
                "--config", serverProperties.toString());
        appendLog("=== " + Instant.now() + " KafkaBrokerProcess format " + dataDir);
        try {
            Process format = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            if (!format.waitFor(readyTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting Kafka's storage took longer than " + readyTimeout
                        + "; last lines of " + logFile + ":\n" + tail(40));
            }
            if (format.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka's storage failed with exit code "
                        + format.exitValue() + "; last lines of " + logFile + ":\n" + tail(40));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka's storage", e);
        }
    }

    private synchronized void launch() {
        if (isRunning()) {
            throw new IllegalStateException("the Kafka broker on port " + port + " is already running");
        }
        long started = System.nanoTime();
        appendLog("=== " + Instant.now() + " KafkaBrokerProcess start on 127.0.0.1:" + port + " (controller "
                + controllerPort + ")");
        long logOffset = logSize();
        List<String> command = java("kafka.Kafka", serverProperties.toString());
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Kafka: " + command, e);
        }
        awaitReady(logOffset);
        lastStartTime = Duration.ofNanos(System.nanoTime() - started);
        appendLog("=== KafkaBrokerProcess ready after " + lastStartTime.toMillis() + " ms");
    }

    /** Polls until this launch's part of the log says the server started and the listener accepts connections. */
    private void awaitReady(long logOffset) {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        boolean logged = false;
        String last = "the broker has not logged \"" + STARTED_LINE + "\"";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with code " + process.exitValue()
                        + " before it was ready; last lines of " + logFile + ":\n" + tail(60));
            }
            if (!logged) {
                logged = logSince(logOffset).contains(STARTED_LINE);
            }
            if (logged) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                    return;
                } catch (IOException e) {
                    last = "127.0.0.1:" + port + " refused a connection: " + e.getMessage();
                }
            }
            if (System.nanoTime() > deadline) {
                killQuietly();
                throw new IllegalStateException("Kafka was not ready within " + readyTimeout + " (" + last
                        + "); last lines of " + logFile + ":\n" + tail(60));
            }
            ChildProcesses.sleep(POLL);
        }
    }

    private long logSize() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log written since {@code offset} (a few hundred kB at most while starting). */
    private String logSince(long offset) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            if (length <= offset) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 64L << 20)];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitExit(Duration timeout, String how) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Kafka process " + process.pid() + " did not end after " + how);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka to end", e);
        }
        process = null;
    }

    private void appendLog(String line) {
        try {
            Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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

    /**
     * A cluster id as {@code kafka-storage random-uuid} makes one: 16 random bytes in URL-safe base64 without padding,
     * never starting with '-' (a command line would take it for an option).
     */
    private static String clusterId() {
        SecureRandom random = new SecureRandom();
        while (true) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) {
                return id;
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
