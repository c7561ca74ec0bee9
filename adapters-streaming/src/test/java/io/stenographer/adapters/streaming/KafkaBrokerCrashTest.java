package io.stenographer.adapters.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.out.SendStreamRecordsPort.Delivered;
import io.stenographer.application.port.out.SendStreamRecordsPort.Failed;
import io.stenographer.application.port.out.SendStreamRecordsPort.Outcome;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.stream.StreamLine;
import io.stenographer.domain.stream.StreamRecord;
import io.stenographer.domain.stream.StreamRecordFormat;
import io.stenographer.domain.stream.StreamVerification;
import io.stenographer.testing.KafkaBrokerProcess;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker crashes (SIGKILL) in the middle of a batch while a sink streams to it: the send fails within its
 * bound, and so do the sends while it is down; after a restart the same batch is sent again and delivered, and a
 * consumer finds every index, in order, with duplicates exactly where the failed batch had been acknowledged in part
 * (at-least-once), never a gap. This class kills its broker,
 * so it starts its own rather than the module's shared one.
 */
class KafkaBrokerCrashTest {

    private static final int EVENTS = 2_000;
    private static final int BATCH = 20;
    private static final String TOPIC = "audit-crash";
    /** The record whose send kills the broker: the 11th event of the batch [400, 420). */
    private static final int KILL_AT_INDEX = 410;

    private static KafkaBrokerProcess kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaBrokerProcess.start();
        KafkaTopics.create(kafka.bootstrapServers(), TOPIC, 1);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** One sink's delivery loop, as the delivery service runs it: the cursor moves only on Delivered. */
    private static final class Delivery implements Runnable {
        final KafkaTestLog log;
        final Sink sink;
        final KafkaSender sender;
        final AtomicInteger cursor = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final List<Duration> failureTimes = new CopyOnWriteArrayList<>();
        final long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        volatile Throwable crashed;

        Delivery(KafkaTestLog log, Sink sink, KafkaSender sender) {
            this.log = log;
            this.sink = sink;
            this.sender = sender;
        }

        @Override
        public void run() {
            try {
                int lastCheckpoint = 0;
                while (cursor.get() < EVENTS && System.nanoTime() < deadline) {
                    int from = cursor.get();
                    int to = Math.min(from + BATCH, EVENTS);
                    StreamBatch batch = log.batch(sink, from, to, lastCheckpoint);
                    long started = System.nanoTime();
                    Outcome outcome = sender.send(sink, List.of(), batch);
                    if (outcome instanceof Delivered) {
                        cursor.set(to);
                        lastCheckpoint = to;
                    } else {
                        failureTimes.add(Duration.ofNanos(System.nanoTime() - started));
                        failures.add(((Failed) outcome).reason());
                    }
                }
            } catch (Throwable e) {
                crashed = e;
            }
        }
    }

    @Test
    void aCrashFailsTheSendInBoundedTimeAndAfterARestartNothingIsMissing() throws Exception {
        KafkaTestLog log = new KafkaTestLog("acme", EVENTS, 42);
        Sink sink = log.sink(kafka.bootstrapServers(), TOPIC, SinkFormat.NATIVE);
        KafkaSender.Settings settings = KafkaSenderTest.FAST;
        // The broker dies in the middle of the batch [400, 420): when the producer is handed the record of index
        // 410, the records 400..409 before it are flushed (acknowledged, on the broker's disk), then SIGKILL.
        AtomicInteger sends = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        try (KafkaSender sender = new KafkaSender(KafkaSenderTest.LOOPBACK_ALLOWED, StreamTls.defaults(), settings,
                config -> killingAt(new KafkaProducer<>(config), sends, killed))) {
            Delivery delivery = new Delivery(log, sink, sender);
            Thread thread = new Thread(delivery, "kafka-crash-delivery");
            thread.start();
            try {
                await("the broker killed mid-batch", Duration.ofSeconds(60), killed::get, delivery);
                int cursorAtKill = delivery.cursor.get();
                assertThat(cursorAtKill).isEqualTo(KILL_AT_INDEX / BATCH * BATCH);
                await("a send failed", Duration.ofSeconds(60), () -> !delivery.failures.isEmpty(), delivery);
                assertThat(delivery.cursor.get()).isEqualTo(cursorAtKill);
                kafka.restart();
                await("every event delivered", Duration.ofSeconds(120), () -> delivery.cursor.get() == EVENTS,
                        delivery);
                thread.join(Duration.ofSeconds(30).toMillis());
                assertThat(delivery.crashed).isNull();
            } finally {
                if (thread.isAlive()) {
                    thread.interrupt();
                }
            }
            System.out.println("KafkaBrokerCrashTest: " + delivery.failures.size() + " failed sends, the first: "
                    + delivery.failures.get(0) + "; took " + delivery.failureTimes + "; restart took "
                    + kafka.lastStartTime().toMillis() + " ms");
            // every failed send came back within its bound, and its reason names no event
            assertThat(delivery.failureTimes).allSatisfy(t -> assertThat(t).isLessThan(settings.sendBound()));
            assertThat(delivery.failures).allSatisfy(reason -> assertThat(reason).startsWith("kafka topic " + TOPIC)
                    .doesNotContain(log.events.get(0).id().toString()));
        }

        List<ConsumerRecord<String, String>> records = KafkaTopics.readAll(kafka.bootstrapServers(), TOPIC,
                Duration.ofSeconds(60));
        assertThat(records).extracting(ConsumerRecord::key).containsOnly("acme");
        long highest = -1;
        Map<Long, String> firstContent = new HashMap<>();
        int duplicates = 0;
        List<Long> duplicated = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            values.add(record.value());
            StreamLine line = StreamRecordFormat.parse(record.value());
            if (line instanceof StreamRecord event) {
                // no gap at any point of the stream: each record is at most one past the highest index before it
                assertThat(event.index()).as("index after %d", highest).isLessThanOrEqualTo(highest + 1);
                highest = Math.max(highest, event.index());
                String before = firstContent.putIfAbsent(event.index(), record.value());
                if (before != null) {
                    duplicates++;
                    duplicated.add(event.index());
                    assertThat(record.value()).as("a duplicate is the same record").isEqualTo(before);
                    assertThat(KafkaTopics.header(record, KafkaSender.EVENT_ID_HEADER))
                            .isEqualTo(event.eventId());
                }
            }
        }
        assertThat(firstContent.keySet()).hasSize(EVENTS);
        // at-least-once: exactly what was acknowledged of the failed batch arrived twice
        assertThat(duplicated).containsExactlyElementsOf(LongStream.range(KILL_AT_INDEX / BATCH * BATCH, KILL_AT_INDEX).boxed()
                .toList());
        assertThat(highest).isEqualTo(EVENTS - 1);
        StreamVerification verdict = log.verify(values);
        System.out.println("KafkaBrokerCrashTest: " + records.size() + " records read, " + duplicates
                + " duplicate events; verifier: " + verdict.summary());
        assertThat(verdict.failures()).isEmpty();
        assertThat(verdict.ok()).isTrue();
        assertThat(verdict.events()).isEqualTo(EVENTS);
        assertThat(verdict.duplicates()).isEqualTo(duplicates);
        assertThat(verdict.provenEvents()).isEqualTo(EVENTS);
    }

    /**
     * The producer, except that the send of the stream's record {@code KILL_AT_INDEX} first flushes what was sent
     * before it (so that it is acknowledged) and then kills the broker, once.
     */
    @SuppressWarnings("unchecked")
    private static Producer<byte[], byte[]> killingAt(Producer<byte[], byte[]> producer, AtomicInteger sends,
            AtomicBoolean killed) {
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(KafkaBrokerCrashTest.class.getClassLoader(),
                new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    // every batch before the kill was delivered whole: 20 events and a checkpoint record each
                    if (method.getName().equals("send") && sends.getAndIncrement() == KILL_AT_INDEX / BATCH * (BATCH + 1) + KILL_AT_INDEX % BATCH
                            && !killed.get()) {
                        producer.flush();
                        kafka.kill();
                        killed.set(true);
                    }
                    try {
                        return method.invoke(producer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition, Delivery delivery) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (delivery.crashed != null) {
                throw new AssertionError("the delivery loop crashed", delivery.crashed);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + " (cursor " + delivery.cursor.get()
                        + ", failures " + delivery.failures + "); broker log " + kafka.logFile() + ":\n"
                        + kafka.tail(30));
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(20); // a polling interval, not a wait for time to pass
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
