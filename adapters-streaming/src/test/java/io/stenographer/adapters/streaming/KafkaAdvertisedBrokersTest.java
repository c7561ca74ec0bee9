package io.stenographer.adapters.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.out.SendStreamRecordsPort.Failed;
import io.stenographer.application.port.out.SendStreamRecordsPort.Outcome;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

/**
 * What the cluster's metadata names, checked before a record is handed to the client, without a broker: a producer
 * that answers {@code partitionsFor} with the given brokers and counts the records it is given.
 */
class KafkaAdvertisedBrokersTest {

    private final KafkaTestLog log = new KafkaTestLog("acme", 5, 11);
    private final Sink sink = log.sink("127.0.0.1:9092", "audit", SinkFormat.NATIVE);
    private final AtomicInteger recordsGiven = new AtomicInteger();

    private Producer<byte[], byte[]> advertising(Node leader, Node... replicas) {
        @SuppressWarnings("unchecked")
        Producer<byte[], byte[]> producer = (Producer<byte[], byte[]>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "partitionsFor" -> {
                            return List.of(new PartitionInfo("audit", 0, leader, replicas, replicas));
                        }
                        case "send" -> {
                            recordsGiven.incrementAndGet();
                            throw new AssertionError("no record may reach the client");
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        default -> {
                            return null;
                        }
                    }
                });
        return producer;
    }

    private Outcome send(Producer<byte[], byte[]> producer) {
        try (KafkaSender sender = new KafkaSender(KafkaSenderTest.LOOPBACK_ALLOWED, StreamTls.defaults(),
                KafkaSenderTest.FAST, config -> producer)) {
            return sender.send(sink, List.of(), log.batch(sink, 0, 3, false));
        }
    }

    @Test
    void aReplicaOnARefusedAddressFailsTheBatch() {
        // LOOPBACK_ALLOWED lets literals through; a name it cannot resolve is refused
        Outcome outcome = send(advertising(new Node(1, "127.0.0.1", 9092), new Node(2, "replica.invalid", 9092)));
        assertThat(outcome).isEqualTo(new Failed("target refused: the cluster advertises broker replica.invalid:9092:"
                + " replica.invalid does not resolve"));
        assertThat(recordsGiven).hasValue(0);
    }

    @Test
    void aBrokerNameTheGuardCannotParseFailsTheBatch() {
        Outcome outcome = send(advertising(new Node(1, "kafka_1", 9092)));
        assertThat(outcome).isEqualTo(new Failed("target refused: the cluster advertises broker kafka_1:9092, which is"
                + " not a host name and port the guard can check"));
        assertThat(recordsGiven).hasValue(0);
    }
}
