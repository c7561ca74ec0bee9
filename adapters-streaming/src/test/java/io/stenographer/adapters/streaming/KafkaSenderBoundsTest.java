package io.stenographer.adapters.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.out.SendStreamRecordsPort.Failed;
import io.stenographer.application.port.out.SendStreamRecordsPort.Outcome;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.StreamBatch;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A send is bounded however the producer behaves. Found by the streaming soak: after the broker was killed a
 * producer's {@code flush()} never returned, the sink's lease ran out, a second worker took the sink over and waited
 * for the first one's lock, and with both workers stuck no other sink of the instance was served again. These
 * producers do what that one did, without a broker: records are never acknowledged, {@code flush()} never returns.
 */
class KafkaSenderBoundsTest {

    /** A send's bound at these settings: 0.1 s metadata + 0.2 s delivery + the 5 s margin. */
    private static final KafkaSender.Settings TIGHT = new KafkaSender.Settings(Duration.ofMillis(100),
            Duration.ofMillis(200), Duration.ofMillis(100), Duration.ZERO, "none", Duration.ofMinutes(10));

    private final KafkaTestLog log = new KafkaTestLog("acme", 20, 7);
    private final Sink sink = log.sink("127.0.0.1:9", "audit", SinkFormat.NATIVE);
    private final StreamBatch batch = log.batch(sink, 0, 5, false);
    private final CountDownLatch testOver = new CountDownLatch(1);
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void release() {
        testOver.countDown();
        other.shutdownNow();
    }

    /** A producer that takes every record and never answers; its flush waits until the test is over. */
    private Producer<byte[], byte[]> silent(CountDownLatch sendEntered, CountDownLatch sendMayReturn) {
        @SuppressWarnings("unchecked")
        Producer<byte[], byte[]> producer = (Producer<byte[], byte[]>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "send" -> {
                            sendEntered.countDown();
                            sendMayReturn.await();
                            return new CompletableFuture<>();
                        }
                        case "flush" -> {
                            testOver.await();
                            return null;
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        default -> {
                            return null; // close and the rest: nothing to do
                        }
                    }
                });
        return producer;
    }

    @Test
    @Timeout(60)
    void aProducerThatNeverAnswersFailsTheSendAtItsBound() {
        CountDownLatch open = new CountDownLatch(0);
        try (KafkaSender sender = new KafkaSender(KafkaSenderTest.LOOPBACK_ALLOWED, StreamTls.defaults(), TIGHT,
                config -> silent(new CountDownLatch(1), open))) {
            Outcome outcome = sender.send(sink, List.of(), batch);

            assertThat(outcome).isEqualTo(new Failed("kafka topic audit: the batch of 5 records was not acknowledged:"
                    + " record 1: no answer within " + TIGHT.sendBound()));
        }
    }

    @Test
    @Timeout(60)
    void aSecondSendOfTheSameSinkGivesUpAtItsBoundWhileTheFirstIsStuck() throws Exception {
        // The first send is stuck inside the producer, holding the sink's lock, as after a lost lease.
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch firstMayReturn = new CountDownLatch(1);
        try (KafkaSender sender = new KafkaSender(KafkaSenderTest.LOOPBACK_ALLOWED, StreamTls.defaults(), TIGHT,
                config -> silent(firstEntered, firstMayReturn))) {
            Future<Outcome> first = other.submit(() -> sender.send(sink, List.of(), batch));
            assertThat(firstEntered.await(30, TimeUnit.SECONDS)).as("the first send reached the producer").isTrue();

            Outcome second = sender.send(sink, List.of(), batch);

            assertThat(second).isEqualTo(new Failed("kafka topic audit: an earlier attempt for this sink is still "
                    + "running"));
            firstMayReturn.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(Failed.class);
        }
    }
}
