package io.stenographer.bootstrap.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.IngestLedger;
import io.stenographer.bootstrap.support.LogChecks;
import io.stenographer.bootstrap.support.OidcStub;
import io.stenographer.bootstrap.support.SharedDatabaseServices;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.stream.StreamVerification;
import io.stenographer.domain.stream.StreamVerifier;
import io.stenographer.testing.Closing;
import io.stenographer.testing.KafkaBrokerProcess;
import io.stenographer.testing.ServiceProcess;
import io.stenographer.testing.SyslogTlsReceiver;
import io.stenographer.testing.TestCertificates;
import io.stenographer.testing.WebhookReceiver;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streaming soak: two packaged services on one PostgreSQL deliver one tenant's log to a real Kafka broker (KRaft),
 * a Standard Webhooks receiver over HTTPS (OCSF, signed with HMAC and Ed25519, checked by the receiver's own code) and
 * a strict RFC 5425 syslog receiver over TLS, while events are ingested without pause. Each receiver is stopped and
 * started again {@code -Dstenographer.soak.restarts} times (default 3; the Kafka broker is SIGKILLed), and after the
 * second round one service is SIGKILLed, so its sinks' leases move to the other.
 *
 * <p>Then every capture must verify: no gap, every record's leaf hash recomputed from its event, every event proven
 * included under a signed checkpoint record, and the only duplicates identical ones (at-least-once redelivery). Every
 * acknowledged event must be in every capture. {@code -Dstenographer.soak.events=N} runs longer (default 1,500).
 * The build's run is kept short; the long run is, e.g., {@code -Dstenographer.soak.events=20000
 * -Dstenographer.soak.restarts=10}.
 */
class StreamingSoakIT {

    private static final String TENANT = "soak";
    private static final int EVENTS = Integer.getInteger("stenographer.soak.events", 1_500);
    /** At least 2: the service kill comes after the second round. */
    private static final int RESTARTS = Math.max(2, Integer.getInteger("stenographer.soak.restarts", 3));
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final String TOPIC = "audit-soak";

    private static EmbeddedPostgresServer database;
    private static OidcStub oidc;
    private static KafkaBrokerProcess kafka;
    private static WebhookReceiver webhook;
    private static SyslogTlsReceiver syslog;
    private static ServiceProcess first;
    private static ServiceProcess second;
    private static String writerToken;
    private static String adminToken;
    private static String hmacSecret;
    private static WebhookReceiver.Ed25519Pair ed25519;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("streaming-soak");
        TestCertificates.Server certificate = TestCertificates.create(dir);
        database = EmbeddedPostgresServer.start(null, 0);
        oidc = OidcStub.start();
        writerToken = oidc.token("soak-writer", Set.of("audit-writer"), 2, TENANT);
        adminToken = oidc.token("soak-admin", Set.of("compliance-admin", "auditor"), 2, TENANT);
        kafka = KafkaBrokerProcess.start();
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        hmacSecret = "whsec_" + Base64.getEncoder().encodeToString(key);
        ed25519 = WebhookReceiver.generateEd25519();
        webhook = WebhookReceiver.start(certificate, List.of(hmacSecret, ed25519.publicKey()));
        syslog = SyslogTlsReceiver.start(certificate);
        Path signingKey = SharedDatabaseServices.keyFile("soak-key");
        first = service("stream-first", signingKey, certificate).env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true")
                .start();
        second = service("stream-second", signingKey, certificate).start();
    }

    private static ServiceProcess.Builder service(String name, Path key, TestCertificates.Server certificate)
            throws Exception {
        return SharedDatabaseServices.builder(name, database.quarkusConfig(), key, oidc)
                .property("stenographer.streams.workers", "2")
                .property("stenographer.streams.poll-every", "PT0.1S")
                .property("stenographer.streams.lease", "PT24S")
                .property("stenographer.streams.slice", "PT1S")
                .property("stenographer.streams.first-backoff", "PT0.2S")
                .property("stenographer.streams.max-backoff", "PT1S")
                .property("stenographer.streams.connect-timeout", "PT1S")
                .property("stenographer.streams.read-timeout", "PT3S")
                .property("stenographer.streams.attempt-timeout", "PT8S")
                .property("stenographer.streams.kafka.delivery-timeout", "PT4S")
                // The test receivers listen on loopback, which the SSRF guard refuses unless allowed.
                .property("stenographer.streams.allowed-networks", "127.0.0.0/8")
                .property("stenographer.streams.tls.trust-certificates", certificate.certificatePem().toString());
    }

    @AfterAll
    static void stop() {
        Closing.all("streaming-soak", first, second, webhook, syslog, kafka, oidc, database);
    }

    @Test
    void receiversAndAnInstanceDyingLoseNothingAndEveryCaptureVerifies() throws Exception {
        Api firstApi = new Api(first.baseUri());
        Api secondApi = new Api(second.baseUri());
        List<String> sinks = List.of(
                createSink(secondApi, """
                        {"tenant":"%s","name":"kafka","transport":"kafka","format":"native","startIndex":0,
                         "target":{"bootstrapServers":["%s"],"topic":"%s","tls":false},
                         "settings":{"batchSize":100,"checkpointEveryRecords":200,"checkpointEvery":"PT1S"}}"""
                        .formatted(TENANT, kafka.bootstrapServers(), TOPIC)),
                createSink(secondApi, """
                        {"tenant":"%s","name":"webhook","transport":"webhook","format":"ocsf","startIndex":0,
                         "target":{"url":"%s"},"secrets":["%s","%s"],
                         "settings":{"batchSize":100,"checkpointEveryRecords":200,"checkpointEvery":"PT1S"}}"""
                        .formatted(TENANT, webhook.url(), hmacSecret, ed25519.secret())),
                createSink(secondApi, """
                        {"tenant":"%s","name":"syslog","transport":"syslog","format":"native","startIndex":0,
                         "target":{"address":"127.0.0.1:%d"},
                         "settings":{"batchSize":100,"checkpointEveryRecords":200,"checkpointEvery":"PT1S"}}"""
                        .formatted(TENANT, syslog.port())));

        IngestLedger ledger = new IngestLedger("soak-" + System.nanoTime(), List.of(TENANT), writerToken, 10);
        AtomicBoolean firstAlive = new AtomicBoolean(true);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Boolean> alternate = new AtomicReference<>(false);
        Supplier<Api> target = () -> {
            pace();
            alternate.set(!alternate.get());
            return firstAlive.get() && alternate.get() ? firstApi : secondApi;
        };
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            running.add(writers.submit(() -> ledger.write(target, false, writing)));
        }
        long started = System.nanoTime();
        for (int round = 1; round <= RESTARTS; round++) {
            int goal = EVENTS * round / (RESTARTS + 1);
            Await.until("events acknowledged before restart " + round, DEADLINE,
                    () -> ledger.acknowledgedCount() >= goal);
            Map<String, Long> failedBefore = failedCounts(secondApi, sinks);
            webhook.stop();
            syslog.stop();
            kafka.kill();
            // Each sink must have tried its receiver while it was down (a failed attempt), unless it had nothing to
            // send (caught up with the published log). The statuses are printed if the deadline passes.
            Await.until("every sink to fail an attempt while its receiver is down (round " + round + ")", DEADLINE,
                    () -> statuses(secondApi),
                    seen -> sinks.stream().allMatch(id -> {
                        JsonNode status = seen.get(id).get("status");
                        return status.get("failed").asLong() > failedBefore.get(id)
                                || status.get("cursor").asLong() == status.get("publishedSize").asLong();
                    }),
                    Object::toString);
            webhook.start();
            syslog.start();
            kafka.restart();
            if (round == 2) {
                first.kill9();
                firstAlive.set(false);
                System.out.println("streaming-soak: killed " + first);
            }
        }
        Await.until("all events acknowledged", DEADLINE, () -> ledger.acknowledgedCount() >= EVENTS);
        writing.set(false);
        for (Future<?> writer : running) {
            writer.get(2, TimeUnit.MINUTES);
        }
        writers.shutdown();
        ledger.resendUnacknowledged(secondApi, DEADLINE);
        long published;
        try (Connection db = database.superuserConnection()) {
            LogChecks.awaitEverythingIntegrated(db, List.of(TENANT), DEADLINE);
            published = LogChecks.latestCheckpoint(secondApi, adminToken, TENANT).treeSize();
        }
        Await.until("every sink delivered the whole log with a checkpoint record at its end", DEADLINE,
                () -> statuses(secondApi), seen -> seen.values().stream().map(sink -> sink.get("status"))
                        .allMatch(status -> status.get("cursor").asLong() == published
                                && status.get("checkpointFrom").asLong() == published),
                Object::toString);
        System.out.printf("streaming-soak: %d events acknowledged, %d leaves, delivered to 3 sinks in %d ms through"
                + " %d receiver restarts and one instance kill%n", ledger.acknowledgedCount(), published,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), RESTARTS);

        KeySet keys = KeySet.parse(secondApi.get("/api/v1/logs/" + TENANT + "/key-set", adminToken).body());
        Set<String> acknowledged = ledger.acknowledgedEventIds().get(TENANT);
        check("kafka", kafkaCapture(), keys, StreamVerifier.Format.NATIVE, published, acknowledged);
        check("webhook", webhookCapture(), keys, StreamVerifier.Format.OCSF, published, acknowledged);
        check("syslog", syslog.messages().stream().map(SyslogTlsReceiver.Message::text).toList(), keys,
                StreamVerifier.Format.NATIVE, published, acknowledged);
        assertThat(syslog.violations()).as("RFC 5424/5425 violations seen by the strict receiver").isEmpty();
        assertThat(webhook.requests()).as("every webhook request carried valid signatures of both schemes")
                .allSatisfy(request -> {
                    if (request.status() == 200) {
                        assertThat(request.verifiedBy()).hasSize(2);
                    }
                });
    }

    /** Continuous, not flat out: at most 50 single events a second per writer, so the soak stays short. */
    private static void pace() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void check(String name, List<String> capture, KeySet keys, StreamVerifier.Format format,
            long published, Set<String> acknowledged) {
        StreamVerifier verifier = new StreamVerifier(keys, null, format);
        Set<String> eventIds = new HashSet<>();
        for (String line : capture) {
            verifier.accept(line);
            JsonNode json = Api.parse(line);
            JsonNode event = json.has("unmapped") ? json.get("unmapped").get("stenographer").get("event")
                    : json.get("event");
            if (event != null) {
                eventIds.add(event.get("id").asText());
            }
        }
        StreamVerification result = verifier.finish();
        System.out.printf("streaming-soak: %s: %s%n", name, result.summary());
        assertThat(result.ok()).as(name + ": " + result.failures()).isTrue();
        assertThat(result.events()).as(name + ": distinct events delivered").isEqualTo(published);
        assertThat(result.provenEvents()).as(name + ": events proven under a checkpoint record").isEqualTo(published);
        assertThat(eventIds).as(name + ": every acknowledged event delivered").containsAll(acknowledged);
    }

    private static String createSink(Api api, String json) {
        HttpResponse<String> created = api.post("/api/v1/sinks", adminToken, json);
        assertThat(created.statusCode()).as(Api.describe(created)).isEqualTo(201);
        return Api.json(created).get("id").asText();
    }

    private static Map<String, JsonNode> statuses(Api api) {
        Map<String, JsonNode> statuses = new java.util.TreeMap<>();
        for (JsonNode sink : Api.json(api.get("/api/v1/sinks?tenant=" + TENANT, adminToken))) {
            statuses.put(sink.get("id").asText(), sink);
        }
        return statuses;
    }

    private static Map<String, Long> failedCounts(Api api, List<String> sinks) {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (JsonNode sink : Api.json(api.get("/api/v1/sinks?tenant=" + TENANT, adminToken))) {
            counts.put(sink.get("id").asText(), sink.get("status").get("failed").asLong());
        }
        assertThat(counts.keySet()).containsAll(sinks);
        return counts;
    }

    private static List<String> webhookCapture() {
        List<String> lines = new ArrayList<>();
        for (WebhookReceiver.Request request : webhook.accepted()) {
            for (JsonNode record : Api.parse(request.bodyText()).get("records")) {
                lines.add(record.toString());
            }
        }
        return lines;
    }

    private static List<String> kafkaCapture() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> lines = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading the topic back").isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(record.key()).as("the key is the tenant").isEqualTo(TENANT);
                    lines.add(new String(record.value().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
                }
            }
        }
        return lines;
    }
}
