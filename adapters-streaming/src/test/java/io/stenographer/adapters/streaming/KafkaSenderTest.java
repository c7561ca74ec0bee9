package io.stenographer.adapters.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.SendStreamRecordsPort.Delivered;
import io.stenographer.application.port.out.SendStreamRecordsPort.Failed;
import io.stenographer.application.port.out.SendStreamRecordsPort.Outcome;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkMessages;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.stream.StreamCheckpointRecord;
import io.stenographer.domain.stream.StreamLine;
import io.stenographer.domain.stream.StreamRecord;
import io.stenographer.domain.stream.StreamRecordFormat;
import io.stenographer.domain.stream.StreamVerification;
import io.stenographer.testing.FreePorts;
import io.stenographer.testing.KafkaBrokerProcess;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Kafka transport against a real KRaft broker (one for the module's test run, {@link KafkaBrokerExtension}). */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaSenderTest {

    /** Short timeouts, so that a failure is seen within seconds. */
    static final KafkaSender.Settings FAST = new KafkaSender.Settings(Duration.ofSeconds(3), Duration.ofSeconds(6),
            Duration.ofSeconds(3), Duration.ofMillis(5), "none", Duration.ofMinutes(10));

    private static KafkaBrokerProcess kafka;

    private final List<Map<String, Object>> configs = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger closedProducers = new AtomicInteger();
    private KafkaSender sender;

    @BeforeAll
    static void broker(KafkaBrokerProcess broker) {
        kafka = broker;
    }

    @AfterEach
    void closeSender() {
        if (sender != null) {
            sender.close();
        }
    }

    /** Lets literals and "kafka.test" through (to 127.0.0.1), as an allow-list permitting loopback would. */
    static final TargetAddressGuard LOOPBACK_ALLOWED = target -> {
        try {
            return List.of(InetAddress.getByName(target.host().equals("kafka.test") ? "127.0.0.1" : target.host()));
        } catch (java.net.UnknownHostException e) {
            throw new TargetAddressGuard.TargetRefused(target.host() + " does not resolve");
        }
    };

    /** A sender whose producers are real, counted, and whose configurations are kept. */
    private KafkaSender sender(TargetAddressGuard guard) {
        sender = new KafkaSender(guard, StreamTls.defaults(), FAST, config -> {
            configs.add(config);
            return closingCounted(new KafkaProducer<>(config), closedProducers);
        });
        return sender;
    }

    private static String topic() {
        return "audit-" + UUID.randomUUID();
    }

    @Test
    void everyLineIsOneRecordKeyedByTenantInIndexOrderWithHeaders() {
        String topic = topic();
        KafkaTopics.create(kafka.bootstrapServers(), topic, 3);
        KafkaTestLog acme = new KafkaTestLog("acme", 30, 1);
        KafkaTestLog globex = new KafkaTestLog("globex", 30, 2);
        Sink acmeSink = acme.sink(kafka.bootstrapServers(), topic, SinkFormat.NATIVE);
        Sink globexSink = globex.sink(kafka.bootstrapServers(), topic, SinkFormat.NATIVE);
        KafkaSender sender = sender(LOOPBACK_ALLOWED);

        List<StreamBatch> acmeBatches = List.of(acme.batch(acmeSink, 0, 10, true), acme.batch(acmeSink, 10, 20, false),
                acme.batch(acmeSink, 20, 30, 10));
        for (int i = 0; i < 3; i++) {
            assertThat(sender.send(acmeSink, List.of(), acmeBatches.get(i))).isEqualTo(new Delivered());
            assertThat(sender.send(globexSink, List.of(), globex.batch(globexSink, 10 * i, 10 * i + 10, true)))
                    .isEqualTo(new Delivered());
        }

        List<ConsumerRecord<String, String>> records = KafkaTopics.readAll(kafka.bootstrapServers(), topic,
                Duration.ofSeconds(60));
        assertThat(records).hasSize(32 + 33);
        List<ConsumerRecord<String, String>> acmeRecords = records.stream().filter(r -> r.key().equals("acme"))
                .toList();
        // the key is the tenant: all of a tenant's records on one partition, in the order sent
        assertThat(acmeRecords).extracting(ConsumerRecord::partition).containsOnly(acmeRecords.get(0).partition());
        List<String> sent = acmeBatches.stream().flatMap(b -> b.lines().stream()).map(StreamRecordFormat::write)
                .toList();
        assertThat(acmeRecords).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
        for (ConsumerRecord<String, String> record : acmeRecords) {
            StreamLine line = StreamRecordFormat.parse(record.value());
            assertThat(line.tenant()).isEqualTo("acme");
            if (line instanceof StreamRecord event) {
                assertThat(KafkaTopics.header(record, KafkaSender.KIND_HEADER)).isEqualTo("event");
                assertThat(KafkaTopics.header(record, KafkaSender.INDEX_HEADER)).isEqualTo(Long.toString(event.index()));
                assertThat(KafkaTopics.header(record, KafkaSender.EVENT_ID_HEADER))
                        .isEqualTo(acme.events.get((int) event.index()).id().toString());
            } else {
                assertThat(KafkaTopics.header(record, KafkaSender.KIND_HEADER)).isEqualTo("checkpoint");
                assertThat(KafkaTopics.header(record, KafkaSender.TREE_SIZE_HEADER))
                        .isEqualTo(Long.toString(((StreamCheckpointRecord) line).toIndex()));
                assertThat(KafkaTopics.header(record, KafkaSender.INDEX_HEADER)).isNull();
            }
        }
        StreamVerification verdict = acme.verify(acmeRecords.stream().map(ConsumerRecord::value).toList());
        assertThat(verdict.failures()).isEmpty();
        assertThat(verdict.ok()).isTrue();
        assertThat(verdict.events()).isEqualTo(30);
        assertThat(verdict.provenEvents()).isEqualTo(30);
        List<String> globexLines = records.stream().filter(r -> r.key().equals("globex")).map(ConsumerRecord::value)
                .toList();
        assertThat(globex.verify(globexLines).ok()).isTrue();
        // one producer per sink, reused across its batches
        assertThat(configs).hasSize(2);
        assertThat(sender.openProducers()).isEqualTo(2);
    }

    @Test
    void theProducerIsIdempotentWithAcksAllAndTheBrokerTracksItsSequence() {
        String topic = topic();
        KafkaTopics.create(kafka.bootstrapServers(), topic, 1);
        KafkaTestLog log = new KafkaTestLog("acme", 25, 3);
        Sink sink = log.sink(kafka.bootstrapServers(), topic, SinkFormat.NATIVE);
        KafkaSender sender = sender(LOOPBACK_ALLOWED);
        assertThat(sender.send(sink, List.of(), log.batch(sink, 0, 12, false))).isEqualTo(new Delivered());
        assertThat(sender.send(sink, List.of(), log.batch(sink, 12, 25, true))).isEqualTo(new Delivered());

        assertThat(configs).hasSize(1);
        ProducerConfig config = new ProducerConfig(configs.get(0));
        assertThat(config.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(config.getString(ProducerConfig.ACKS_CONFIG)).isIn("all", "-1");
        assertThat(config.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)).isBetween(1, 5);
        assertThat(config.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isEqualTo(6_000);
        assertThat(config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).isEqualTo(3_000);
        assertThat(config.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly(kafka.bootstrapServers());

        // The broker keeps producer state only for idempotent producers: one producer id, 26 records, sequence 0..25.
        List<ProducerState> producers = KafkaTopics.activeProducers(kafka.bootstrapServers(),
                new TopicPartition(topic, 0));
        assertThat(producers).singleElement().satisfies(p -> {
            assertThat(p.producerId()).isNotNegative();
            assertThat(p.lastSequence()).isEqualTo(25);
        });
        List<ConsumerRecord<String, String>> records = KafkaTopics.readAll(kafka.bootstrapServers(), topic,
                Duration.ofSeconds(60));
        assertThat(records).extracting(ConsumerRecord::offset).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 26).boxed().toList());
        assertThat(log.verify(records.stream().map(ConsumerRecord::value).toList()).ok()).isTrue();
    }

    @Test
    void anOcsfSinkSendsTheOcsfRenderingAndNativeCheckpointRecords() {
        String topic = topic();
        KafkaTopics.create(kafka.bootstrapServers(), topic, 1);
        KafkaTestLog log = new KafkaTestLog("acme", 5, 4);
        Sink sink = log.sink(kafka.bootstrapServers(), topic, SinkFormat.OCSF);
        StreamBatch batch = log.batch(sink, 0, 5, true);
        assertThat(sender(LOOPBACK_ALLOWED).send(sink, List.of(), batch)).isEqualTo(new Delivered());

        List<String> values = KafkaTopics.readAll(kafka.bootstrapServers(), topic, Duration.ofSeconds(60)).stream()
                .map(ConsumerRecord::value).toList();
        SinkMessages messages = SinkMessages.of(sink);
        assertThat(values).containsExactlyElementsOf(batch.lines().stream().map(messages::render).toList());
        assertThat(values.get(0)).contains("\"class_uid\"");
    }

    @Test
    void bootstrapServersAreTheAddressesTheGuardChecked() {
        String topic = topic();
        KafkaTopics.create(kafka.bootstrapServers(), topic, 1);
        KafkaTestLog log = new KafkaTestLog("acme", 3, 5);
        List<HostPort> checked = Collections.synchronizedList(new ArrayList<>());
        TargetAddressGuard recording = target -> {
            checked.add(target);
            return LOOPBACK_ALLOWED.check(target);
        };
        // a name only the guard can resolve: the Kafka client never sees it
        Sink sink = log.sink("kafka.test:" + kafka.port(), topic, SinkFormat.NATIVE);
        assertThat(sender(recording).send(sink, List.of(), log.batch(sink, 0, 3, false))).isEqualTo(new Delivered());
        // then the broker the cluster advertises for the topic, before the batch
        assertThat(checked).containsExactly(new HostPort("kafka.test", kafka.port()),
                new HostPort("127.0.0.1", kafka.port()));
        assertThat(configs.get(0).get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo(kafka.bootstrapServers());
    }

    @Test
    void aClusterThatAdvertisesARefusedBrokerIsSentNoRecord() {
        String topic = topic();
        KafkaTopics.create(kafka.bootstrapServers(), topic, 1);
        KafkaTestLog log = new KafkaTestLog("acme", 3, 8);
        // The bootstrap name is allowed; the address the broker advertises (127.0.0.1) is not, as a cluster reached
        // through a public name could advertise an internal one.
        TargetAddressGuard onlyTheBootstrapName = target -> {
            if (target.host().equals("kafka.test")) {
                return LOOPBACK_ALLOWED.check(target);
            }
            throw new TargetAddressGuard.TargetRefused("address " + target.host() + " is a loopback address");
        };
        Sink sink = log.sink("kafka.test:" + kafka.port(), topic, SinkFormat.NATIVE);

        Outcome outcome = sender(onlyTheBootstrapName).send(sink, List.of(), log.batch(sink, 0, 3, false));

        assertThat(outcome).isEqualTo(new Failed("target refused: the cluster advertises broker 127.0.0.1:"
                + kafka.port() + ": address 127.0.0.1 is a loopback address"));
        assertThat(sender.openProducers()).isZero();
        assertThat(KafkaTopics.readAll(kafka.bootstrapServers(), topic, Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void aRefusedTargetFailsAndNoProducerIsCreated() {
        KafkaTestLog log = new KafkaTestLog("acme", 3, 6);
        TargetAddressGuard refusing = target -> {
            throw new TargetAddressGuard.TargetRefused(target.host() + " resolves to 10.0.0.7, a private address");
        };
        Sink sink = log.sink("kafka.internal:9092", "audit", SinkFormat.NATIVE);
        Outcome outcome = sender(refusing).send(sink, List.of(), log.batch(sink, 0, 3, false));
        assertThat(outcome).isInstanceOf(Failed.class);
        assertThat(((Failed) outcome).reason()).isEqualTo(
                "target refused: kafka.internal resolves to 10.0.0.7, a private address");
        assertThat(configs).isEmpty();
        assertThat(sender.openProducers()).isZero();
    }

    @Test
    void aBrokerThatDoesNotAnswerFailsWithinTheBoundAndTheProducerIsReplaced() {
        KafkaTestLog log = new KafkaTestLog("acme", 3, 7);
        Sink sink = log.sink("127.0.0.1:" + FreePorts.freePort(), "audit", SinkFormat.NATIVE);
        KafkaSender sender = sender(LOOPBACK_ALLOWED);
        long started = System.nanoTime();
        Outcome outcome = sender.send(sink, List.of(), log.batch(sink, 0, 3, false));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(outcome).isInstanceOf(Failed.class);
        String reason = ((Failed) outcome).reason();
        assertThat(reason).startsWith("kafka topic audit: the batch of 3 records was not acknowledged: record 1: "
                + "TimeoutException: ");
        assertThat(reason).doesNotContain(log.events.get(0).id().toString());
        assertThat(took).isLessThan(FAST.maxBlock().plusSeconds(2)); // not max.block.ms once per record
        assertThat(closedProducers).hasValue(1);
        assertThat(sender.openProducers()).isZero();

        sender.send(sink, List.of(), log.batch(sink, 0, 3, false));
        assertThat(configs).hasSize(2); // a fresh producer, a new idempotent session
    }

    @Test
    void aChangedTargetClosesTheOldProducerAndCloseClosesAll() {
        String first = topic();
        String second = topic();
        KafkaTopics.create(kafka.bootstrapServers(), first, 1);
        KafkaTopics.create(kafka.bootstrapServers(), second, 1);
        KafkaTestLog log = new KafkaTestLog("acme", 6, 8);
        Sink sink = log.sink(kafka.bootstrapServers(), first, SinkFormat.NATIVE);
        KafkaSender sender = sender(LOOPBACK_ALLOWED);
        assertThat(sender.send(sink, List.of(), log.batch(sink, 0, 3, false))).isEqualTo(new Delivered());

        Sink moved = new Sink(sink.id(), sink.tenant(), sink.name(),
                new SinkTarget.Kafka(((SinkTarget.Kafka) sink.target()).bootstrapServers(), second, false), sink.format(),
                sink.settings(), sink.secretFingerprints(), sink.state(), sink.createdAt(), sink.createdBy());
        assertThat(sender.send(moved, List.of(), log.batch(moved, 3, 6, false))).isEqualTo(new Delivered());
        assertThat(configs).hasSize(2);
        assertThat(closedProducers).hasValue(1);
        assertThat(sender.openProducers()).isEqualTo(1);
        assertThat(KafkaTopics.readAll(kafka.bootstrapServers(), second, Duration.ofSeconds(60))).hasSize(3);

        sender.release(sink.id());
        assertThat(closedProducers).hasValue(2);
        assertThat(sender.openProducers()).isZero();

        sender.send(moved, List.of(), log.batch(moved, 3, 6, false));
        sender.close();
        assertThat(closedProducers).hasValue(3);
        assertThat(sender.send(moved, List.of(), log.batch(moved, 3, 6, false)))
                .isEqualTo(new Failed("the Kafka transport is shut down"));
    }

    @Test
    void aProducerUnusedForTheIdleTimeIsClosedOnAnotherSinksSend() {
        String topic = topic();
        KafkaTopics.create(kafka.bootstrapServers(), topic, 1);
        KafkaTestLog log = new KafkaTestLog("acme", 3, 9);
        Sink idle = log.sink(kafka.bootstrapServers(), topic, SinkFormat.NATIVE);
        Sink other = log.sink("kafka.internal:9092", "audit", SinkFormat.NATIVE);
        Duration idleClose = Duration.ofMillis(50);
        TargetAddressGuard guard = target -> {
            if (target.host().equals("kafka.internal")) {
                throw new TargetAddressGuard.TargetRefused("kafka.internal is private");
            }
            return LOOPBACK_ALLOWED.check(target);
        };
        sender = new KafkaSender(guard, StreamTls.defaults(), new KafkaSender.Settings(FAST.requestTimeout(), FAST.deliveryTimeout(),
                FAST.maxBlock(), FAST.linger(), "lz4", idleClose), config -> {
                    configs.add(config);
                    return closingCounted(new KafkaProducer<>(config), closedProducers);
                });
        assertThat(sender.send(idle, List.of(), log.batch(idle, 0, 3, false))).isEqualTo(new Delivered());
        assertThat(configs.get(0).get(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isEqualTo("lz4");
        long sent = System.nanoTime();
        while (System.nanoTime() - sent <= idleClose.toNanos() * 2) {
            Thread.onSpinWait(); // the idle time must pass: a clock condition, polled
        }
        sender.send(other, List.of(), log.batch(other, 0, 3, false));
        assertThat(closedProducers).hasValue(1);
        assertThat(sender.openProducers()).isZero();
        // the sink comes back: a new producer
        assertThat(sender.send(idle, List.of(), log.batch(idle, 0, 3, false))).isEqualTo(new Delivered());
        assertThat(configs).hasSize(2);
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new KafkaSender.Settings(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofMillis(5), "none", Duration.ofMinutes(1)))
                .hasMessageContaining("deliveryTimeout");
        assertThatThrownBy(() -> new KafkaSender.Settings(Duration.ofSeconds(3), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofMillis(5), "gzip", Duration.ofMinutes(1)))
                .hasMessageContaining("compression");
    }

    /** The producer, with its closing counted. */
    @SuppressWarnings("unchecked")
    static Producer<byte[], byte[]> closingCounted(Producer<byte[], byte[]> producer, AtomicInteger closed) {
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(KafkaSenderTest.class.getClassLoader(),
                new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        closed.incrementAndGet();
                    }
                    try {
                        return method.invoke(producer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
