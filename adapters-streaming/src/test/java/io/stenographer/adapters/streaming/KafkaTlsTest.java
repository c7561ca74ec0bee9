package io.stenographer.adapters.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.out.SendStreamRecordsPort.Delivered;
import io.stenographer.application.port.out.SendStreamRecordsPort.Failed;
import io.stenographer.application.port.out.SendStreamRecordsPort.Outcome;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.stream.StreamRecordFormat;
import io.stenographer.testing.KafkaBrokerProcess;
import io.stenographer.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka sink over TLS, against a real broker's SSL listener (certificate for localhost): delivered when the
 * broker's certificate is trusted (the same trust anchors as webhooks and syslog), refused when it is not, and the
 * producer is configured for TLS with host-name checks. This broker also has a plaintext listener, which the test's
 * consumer reads back from.
 */
class KafkaTlsTest {

    @TempDir
    static Path dir;

    private static KafkaBrokerProcess kafka;
    private static TestCertificates.Server certificate;

    @BeforeAll
    static void startBroker() {
        certificate = TestCertificates.create(dir.resolve("broker"));
        kafka = KafkaBrokerProcess.builder().tls(certificate).start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aTlsSinkIsDeliveredWhenTheBrokersCertificateIsTrusted() {
        String topic = "audit-tls";
        KafkaTopics.create(kafka.bootstrapServers(), topic, 1);
        KafkaTestLog log = new KafkaTestLog("acme", 12, 5);
        Sink sink = log.sink(kafka.tlsBootstrapServers(), topic, SinkFormat.NATIVE, true);
        List<Map<String, Object>> configs = new ArrayList<>();
        try (KafkaSender sender = new KafkaSender(KafkaSenderTest.LOOPBACK_ALLOWED,
                StreamTls.withExtraCertificates(List.of(certificate.certificatePem())), KafkaSenderTest.FAST,
                config -> {
                    configs.add(config);
                    return new KafkaProducer<>(config);
                })) {
            StreamBatch batch = log.batch(sink, 0, 12, true);

            assertThat(sender.send(sink, List.of(), batch)).isEqualTo(new Delivered());

            List<ConsumerRecord<String, String>> records = KafkaTopics.readAll(kafka.bootstrapServers(), topic,
                    Duration.ofSeconds(60));
            assertThat(records).extracting(ConsumerRecord::value)
                    .containsExactlyElementsOf(batch.lines().stream().map(StreamRecordFormat::write).toList());
            assertThat(configs).singleElement().satisfies(config -> {
                assertThat(config).containsEntry("security.protocol", "SSL")
                        .containsEntry("ssl.endpoint.identification.algorithm", "https")
                        .containsEntry("ssl.enabled.protocols", "TLSv1.3,TLSv1.2")
                        .containsEntry("ssl.truststore.type", "PEM");
                // the name, not the address: the certificate is checked against the name reached
                assertThat(config.get("bootstrap.servers")).isEqualTo(kafka.tlsBootstrapServers());
            });
        }
    }

    @Test
    void aBrokerWhoseCertificateIsNotTrustedGetsNothing() {
        String topic = "audit-untrusted";
        KafkaTopics.create(kafka.bootstrapServers(), topic, 1);
        KafkaTestLog log = new KafkaTestLog("acme", 3, 6);
        Sink sink = log.sink(kafka.tlsBootstrapServers(), topic, SinkFormat.NATIVE, true);
        try (KafkaSender sender = new KafkaSender(KafkaSenderTest.LOOPBACK_ALLOWED, StreamTls.defaults(),
                KafkaSenderTest.FAST)) {
            Outcome outcome = sender.send(sink, List.of(), log.batch(sink, 0, 3, false));

            assertThat(outcome).isInstanceOf(Failed.class);
            assertThat(((Failed) outcome).reason()).startsWith("kafka topic audit-untrusted: the batch of 3 records"
                    + " was not acknowledged: record 1:");
        }
        assertThat(KafkaTopics.readAll(kafka.bootstrapServers(), topic, Duration.ofSeconds(30))).isEmpty();
    }
}
