package io.stenographer.bench.streams;

import io.stenographer.testing.KafkaBrokerProcess;
import io.stenographer.testing.SyslogTlsReceiver;
import io.stenographer.testing.TestCertificates;
import io.stenographer.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The three receivers of the project's own test support, and one collector thread each that stamps what arrives:
 * <ul>
 *   <li>Kafka: a real KRaft broker ({@link KafkaBrokerProcess}, its own JVM), read back by a {@link KafkaConsumer}
 *       in this JVM; a record's arrival is when {@code poll} returned it (the broker answers a fetch as soon as data
 *       is there).</li>
 *   <li>Webhook: {@link WebhookReceiver} (HTTPS, every request's Standard Webhooks signature checked); a request's
 *       records arrive when the collector, woken by the receiver's notify, sees the request.</li>
 *   <li>Syslog: {@link SyslogTlsReceiver} (TLS, strict RFC 5424/5425 parser); the same, per parsed message.</li>
 * </ul>
 * The webhook and syslog collectors copy the receiver's list at most every {@value #COPY_EVERY_MILLIS} ms, so a
 * record may be stamped up to that much late (never early): lags are, if anything, overstated.
 */
final class Receivers implements AutoCloseable {

    static final int COPY_EVERY_MILLIS = 10;

    final KafkaBrokerProcess kafka;
    final WebhookReceiver webhook;
    final SyslogTlsReceiver syslog;
    final String topic;
    final String hmacSecret;
    final Arrivals kafkaArrivals;
    final Arrivals webhookArrivals;
    final Arrivals syslogArrivals;
    private volatile boolean running = true;
    private final List<Thread> collectors;

    private Receivers(KafkaBrokerProcess kafka, WebhookReceiver webhook, SyslogTlsReceiver syslog, String topic,
            String hmacSecret, Ledger ledger) {
        this.kafka = kafka;
        this.webhook = webhook;
        this.syslog = syslog;
        this.topic = topic;
        this.hmacSecret = hmacSecret;
        this.kafkaArrivals = new Arrivals("kafka", ledger);
        this.webhookArrivals = new Arrivals("webhook", ledger);
        this.syslogArrivals = new Arrivals("syslog", ledger);
        this.collectors = List.of(new Thread(this::collectKafka, "collect-kafka"),
                new Thread(this::collectWebhook, "collect-webhook"), new Thread(this::collectSyslog, "collect-syslog"));
    }

    static Receivers start(Path directory, TestCertificates.Server certificate, String topic, String hmacSecret,
            Ledger ledger) throws Exception {
        KafkaBrokerProcess kafka = KafkaBrokerProcess.builder().parent(directory.resolve("kafka-runs")).start();
        WebhookReceiver webhook = null;
        SyslogTlsReceiver syslog = null;
        try {
            webhook = WebhookReceiver.start(certificate, List.of(hmacSecret));
            syslog = SyslogTlsReceiver.start(certificate);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            Receivers receivers = new Receivers(kafka, webhook, syslog, topic, hmacSecret, ledger);
            for (Thread collector : receivers.collectors) {
                collector.setDaemon(true);
                collector.start();
            }
            return receivers;
        } catch (Exception | Error e) {
            if (syslog != null) {
                syslog.close();
            }
            if (webhook != null) {
                webhook.close();
            }
            kafka.close();
            throw e;
        }
    }

    List<Arrivals> all() {
        return List.of(kafkaArrivals, webhookArrivals, syslogArrivals);
    }

    private void collectKafka() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                long now = System.nanoTime();
                for (ConsumerRecord<String, String> record : records) {
                    kafkaArrivals.line(record.value(), now);
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                System.err.println("kafka collector stopped: " + e);
            }
        }
    }

    private void collectWebhook() {
        int seen = 0;
        while (running) {
            List<WebhookReceiver.Request> requests;
            try {
                requests = webhook.awaitRequests(seen + 1, Duration.ofMillis(500));
            } catch (IllegalStateException timeout) {
                continue;
            }
            long now = System.nanoTime();
            for (int i = seen; i < requests.size(); i++) {
                WebhookReceiver.Request request = requests.get(i);
                if (request.status() / 100 == 2) {
                    webhookArrivals.webhookBody(request.bodyText(), now);
                }
            }
            seen = requests.size();
            pause();
        }
    }

    private void collectSyslog() {
        int seen = 0;
        while (running) {
            List<SyslogTlsReceiver.Message> messages;
            try {
                messages = syslog.awaitMessages(seen + 1, Duration.ofMillis(500));
            } catch (IllegalStateException timeout) {
                continue;
            }
            long now = System.nanoTime();
            for (int i = seen; i < messages.size(); i++) {
                String text = messages.get(i).text();
                if (text != null) {
                    syslogArrivals.line(text, now);
                }
            }
            seen = messages.size();
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(COPY_EVERY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the receivers themselves saw go wrong: rejected webhook requests, syslog RFC violations. */
    String problems() {
        long rejected = webhook.requests().stream().filter(r -> r.status() / 100 != 2).count();
        return String.format(java.util.Locale.ROOT, "webhook requests not answered 2xx: %d (of %d); syslog RFC"
                + " violations: %d, dropped connections: %d, clean closes: %d", rejected, webhook.requests().size(),
                syslog.violations().size(), syslog.droppedConnections(), syslog.cleanCloses());
    }

    @Override
    public void close() {
        running = false;
        for (Thread collector : collectors) {
            try {
                collector.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        syslog.close();
        webhook.close();
        kafka.close();
    }
}
