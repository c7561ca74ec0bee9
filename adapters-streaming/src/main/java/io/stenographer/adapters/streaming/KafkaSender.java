package io.stenographer.adapters.streaming;

import io.stenographer.application.port.out.SendStreamRecordsPort.Delivered;
import io.stenographer.application.port.out.SendStreamRecordsPort.Failed;
import io.stenographer.application.port.out.SendStreamRecordsPort.Outcome;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkMessages;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.sink.WebhookSecret;
import io.stenographer.domain.stream.StreamCheckpointRecord;
import io.stenographer.domain.stream.StreamLine;
import io.stenographer.domain.stream.StreamRecord;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka transport: one idempotent producer per sink ({@code acks=all}, {@code enable.idempotence=true}, at most 5
 * requests in flight per connection, so the broker keeps each partition's records in the order sent, even across the
 * producer's own retries).
 *
 * <p>Every line of a batch becomes one record on {@code target.topic()}: the key is the tenant (UTF-8), so all of a
 * tenant's records land on one partition and stay in index order; the value is the line in the sink's format
 * ({@link SinkMessages#render}, UTF-8); headers {@value #KIND_HEADER} ({@code event} or {@code checkpoint}),
 * {@value #INDEX_HEADER} and {@value #EVENT_ID_HEADER} on event records, {@value #TREE_SIZE_HEADER} on checkpoint
 * records. The batch is {@link Delivered} only when the broker acknowledged every record; anything else is
 * {@link Failed}, with a reason that names no event content (Kafka targets carry no secret), and the sink's producer
 * is closed and dropped: the next attempt starts a fresh idempotent session and sends the whole batch again. What
 * the broker had already acknowledged of the failed attempt then arrives twice: at-least-once, and the event id is
 * the receiver's deduplication key. A gap is impossible, because the cursor only moves on {@code Delivered}.
 *
 * <p><b>SSRF guard and its limit.</b> Before a producer is created, every bootstrap server goes through the
 * {@link TargetAddressGuard}, and {@code bootstrap.servers} is set to the checked IP literals, so the name cannot
 * resolve elsewhere between the check and the connection. After bootstrapping, the Kafka client connects to the
 * addresses the brokers <em>advertise</em> in the cluster's own metadata, so before every batch each broker the
 * topic's metadata names (leaders and replicas) goes through the guard as well, and a refused one fails the batch
 * before any record is handed to the client. What that cannot stop: the client itself may open a connection to an
 * advertised address for its own metadata and producer-id requests (it has no hook for a resolver or a connect-time
 * address filter), and a cluster may change what it advertises between two checks. No event record is sent to a
 * broker the guard refused when the batch began; a deployment that must rule out every connection restricts the
 * service's egress on the network.
 *
 * <p>Producers are cached by sink id with the target they were made for: a changed target closes the old producer
 * and checks the new one; {@link #release(SinkId)} and {@link #retainOnly(Set)} close those of removed sinks, and a
 * producer unused for {@link Settings#idleClose()} is closed on the next send of any sink. {@link #close()} closes
 * all. Thread-safe: batches of different sinks may be sent in parallel; those of one sink are serialized.
 */
public final class KafkaSender implements TransportSender, AutoCloseable {

    public static final String KIND_HEADER = "stenographer-kind";
    public static final String INDEX_HEADER = "stenographer-index";
    public static final String EVENT_ID_HEADER = "stenographer-event-id";
    public static final String TREE_SIZE_HEADER = "stenographer-tree-size";

    private static final int MAX_REASON_CHARS = 300;

    /**
     * Producer timeouts and options.
     *
     * @param requestTimeout  {@code request.timeout.ms}: how long one produce request may wait for its answer
     * @param deliveryTimeout {@code delivery.timeout.ms}: how long a record may take, retries included; it bounds
     *                        every send (at least {@code linger + requestTimeout})
     * @param maxBlock        {@code max.block.ms}: how long a send may wait for the topic's metadata (a broker that is
     *                        down is noticed here first)
     * @param linger          {@code linger.ms}
     * @param compression     {@code none} or {@code lz4}
     * @param idleClose       a producer unused this long is closed (its sink was removed or paused)
     */
    public record Settings(Duration requestTimeout, Duration deliveryTimeout, Duration maxBlock, Duration linger,
            String compression, Duration idleClose) {

        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(15), Duration.ofSeconds(60),
                Duration.ofSeconds(15), Duration.ZERO, "none", Duration.ofMinutes(10));

        public Settings {
            requirePositive(requestTimeout, "requestTimeout");
            requirePositive(deliveryTimeout, "deliveryTimeout");
            requirePositive(maxBlock, "maxBlock");
            Objects.requireNonNull(linger, "linger");
            if (linger.isNegative()) {
                throw new IllegalArgumentException("linger must not be negative");
            }
            if (deliveryTimeout.compareTo(linger.plus(requestTimeout)) < 0) {
                throw new IllegalArgumentException("deliveryTimeout (" + deliveryTimeout
                        + ") must be at least linger + requestTimeout (" + linger.plus(requestTimeout) + ")");
            }
            if (!"none".equals(compression) && !"lz4".equals(compression)) {
                throw new IllegalArgumentException("compression must be none or lz4, was " + compression);
            }
            requirePositive(idleClose, "idleClose");
        }

        /** The longest one {@link #send} may take: every metadata wait and every record's delivery, and a margin. */
        public Duration sendBound() {
            return maxBlock.plus(deliveryTimeout).plusSeconds(5);
        }

        private static void requirePositive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }

    private final TargetAddressGuard guard;
    private final StreamTls tls;
    private final Settings settings;
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> producers;
    private final ConcurrentHashMap<SinkId, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param tls the trust of TLS targets: the same anchors as the webhook and syslog transports */
    public KafkaSender(TargetAddressGuard guard, StreamTls tls, Settings settings) {
        this(guard, tls, settings, KafkaProducer::new);
    }

    /** With a producer factory: tests see each producer's configuration and count the producers made. */
    KafkaSender(TargetAddressGuard guard, StreamTls tls, Settings settings,
            Function<Map<String, Object>, Producer<byte[], byte[]>> producers) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.producers = Objects.requireNonNull(producers, "producers");
    }

    /**
     * A sink's producer and the target it was made for; its lock serializes the sink's sends. An entry taken out of
     * the map is retired (under its lock) and never used again. No map operation waits for an entry's lock, so the
     * two locks cannot deadlock.
     */
    private static final class Entry {
        final SinkTarget.Kafka target;
        final ReentrantLock lock = new ReentrantLock();
        Producer<byte[], byte[]> producer;
        boolean retired;
        volatile long lastUsedNanos = System.nanoTime();

        Entry(SinkTarget.Kafka target) {
            this.target = target;
        }
    }

    @Override
    public Outcome send(Sink sink, List<WebhookSecret> secrets, StreamBatch batch) {
        if (!(sink.target() instanceof SinkTarget.Kafka target)) {
            throw new IllegalArgumentException("sink " + sink.id() + " is not a Kafka sink: " + sink.target().transport());
        }
        closeIdle(sink.id());
        Entry entry;
        try {
            entry = lockedEntry(sink.id(), target, System.nanoTime() + settings.sendBound().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed("kafka topic " + target.topic() + ": interrupted");
        }
        if (entry == null) {
            // Only after a lease was lost mid-send: the earlier holder's attempt is still running.
            return new Failed("kafka topic " + target.topic() + ": an earlier attempt for this sink is still running");
        }
        try {
            if (closed) {
                return new Failed("the Kafka transport is shut down");
            }
            entry.lastUsedNanos = System.nanoTime();
            if (entry.producer == null) {
                List<String> bootstrap;
                try {
                    bootstrap = checkedBootstrapServers(target);
                } catch (TargetAddressGuard.TargetRefused e) {
                    return new Failed("target refused: " + e.getMessage());
                }
                try {
                    entry.producer = producers.apply(producerConfig(sink.id(), bootstrap, target.tls()));
                } catch (RuntimeException e) {
                    return new Failed("could not create a Kafka producer: " + describe(e));
                }
            }
            Failed refused = refusedBroker(entry.producer, target, batch.lines().size());
            Outcome outcome = refused != null ? refused : sendAll(entry.producer, sink, target, batch);
            if (outcome instanceof Failed) {
                // the retry gets a fresh producer (a new idempotent session); records still pending are abandoned
                closeProducer(entry, Duration.ZERO);
            }
            entry.lastUsedNanos = System.nanoTime();
            return outcome;
        } finally {
            entry.lock.unlock();
        }
    }

    /**
     * The sink's entry for {@code target}, locked; an entry for another target is retired and replaced. Null when the
     * entry stayed locked by another send until the deadline: a send that waits without bound would hold its worker.
     */
    private Entry lockedEntry(SinkId sink, SinkTarget.Kafka target, long deadlineNanos) throws InterruptedException {
        while (true) {
            List<Entry> replaced = new ArrayList<>(1);
            Entry entry = entries.compute(sink, (id, old) -> {
                if (old != null && old.target.equals(target)) {
                    return old;
                }
                if (old != null) {
                    replaced.add(old);
                }
                return new Entry(target);
            });
            replaced.forEach(KafkaSender::retire);
            if (!entry.lock.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return null;
            }
            if (!entry.retired) {
                return entry;
            }
            entry.lock.unlock();
        }
    }

    private Outcome sendAll(Producer<byte[], byte[]> producer, Sink sink, SinkTarget.Kafka target,
            StreamBatch batch) {
        SinkMessages messages = SinkMessages.of(sink);
        List<StreamLine> lines = batch.lines();
        List<Future<RecordMetadata>> futures = new ArrayList<>(lines.size());
        long deadline = System.nanoTime() + settings.sendBound().toNanos();
        try {
            for (StreamLine line : lines) {
                Future<RecordMetadata> future = producer.send(record(target.topic(), line, messages));
                futures.add(future);
                // A send that could not even start (no metadata within max.block.ms: the broker is unreachable)
                // fails at once; stop there rather than wait max.block.ms again for every later record.
                if (future.isDone() || System.nanoTime() > deadline) {
                    Failed failed = failure(target, lines.size(), futures.size(), future, 0);
                    if (failed != null) {
                        return failed;
                    }
                }
            }
            // No flush(): it waits without a bound of its own; the records leave after linger.ms (0 in the service),
            // and each wait below is bounded by what is left of the send's deadline.
        } catch (RuntimeException e) {
            return new Failed(notAcknowledged(target, lines.size(), futures.size() + 1, describe(e)));
        }
        for (int i = 0; i < futures.size(); i++) {
            Failed failed = failure(target, lines.size(), i + 1, futures.get(i),
                    Math.max(0, deadline - System.nanoTime()));
            if (failed != null) {
                return failed;
            }
        }
        return new Delivered();
    }

    /**
     * Every broker the cluster advertises for the topic, through the guard, before a record is handed to the client:
     * the client connects to those addresses, not to the bootstrap servers, so a cluster reached through an allowed
     * bootstrap address could otherwise point it inside. Null when each is allowed. Asks for the topic's metadata
     * (through a bootstrap server the first time, at most {@code max.block.ms}; from the client's cache after).
     */
    private Failed refusedBroker(Producer<byte[], byte[]> producer, SinkTarget.Kafka target, int records) {
        List<PartitionInfo> partitions;
        try {
            partitions = producer.partitionsFor(target.topic());
        } catch (RuntimeException e) {
            return new Failed(notAcknowledged(target, records, 1, describe(e)));
        }
        Set<HostPort> brokers = new LinkedHashSet<>();
        for (PartitionInfo partition : partitions == null ? List.<PartitionInfo>of() : partitions) {
            List<Node> nodes = new ArrayList<>();
            nodes.add(partition.leader());
            nodes.addAll(Arrays.asList(partition.replicas() == null ? new Node[0] : partition.replicas()));
            nodes.addAll(Arrays.asList(partition.inSyncReplicas() == null ? new Node[0] : partition.inSyncReplicas()));
            for (Node node : nodes) {
                if (node == null || node.isEmpty()) {
                    continue;
                }
                try {
                    brokers.add(new HostPort(node.host().toLowerCase(Locale.ROOT), node.port()));
                } catch (RuntimeException notAHost) {
                    // e.g. a name with an underscore: the guard cannot check what it cannot parse
                    return new Failed("target refused: the cluster advertises broker " + node.host() + ":"
                            + node.port() + ", which is not a host name and port the guard can check");
                }
            }
        }
        for (HostPort broker : brokers) {
            try {
                guard.check(broker);
            } catch (TargetAddressGuard.TargetRefused e) {
                return new Failed("target refused: the cluster advertises broker " + broker + ": " + e.getMessage());
            }
        }
        return null;
    }

    /** Null when the record was acknowledged within {@code waitNanos}; else why not. */
    private Failed failure(SinkTarget.Kafka target, int records, int number, Future<RecordMetadata> future,
            long waitNanos) {
        try {
            future.get(waitNanos, TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return new Failed(notAcknowledged(target, records, number, describe(e.getCause())));
        } catch (TimeoutException e) {
            return new Failed(notAcknowledged(target, records, number, "no answer within " + settings.sendBound()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed(notAcknowledged(target, records, number, "interrupted"));
        }
    }

    private static String notAcknowledged(SinkTarget.Kafka target, int records, int number, String why) {
        return "kafka topic " + target.topic() + ": the batch of " + records + " records was not acknowledged: record "
                + number + ": " + why;
    }

    /** One record per stream line: key the tenant, value the rendered line, headers for routing without parsing. */
    static ProducerRecord<byte[], byte[]> record(String topic, StreamLine line, SinkMessages messages) {
        List<Header> headers = new ArrayList<>(3);
        if (line instanceof StreamRecord event) {
            headers.add(header(KIND_HEADER, "event"));
            headers.add(header(INDEX_HEADER, Long.toString(event.index())));
            String eventId = event.eventId();
            if (eventId != null) {
                headers.add(header(EVENT_ID_HEADER, eventId));
            }
        } else if (line instanceof StreamCheckpointRecord checkpoint) {
            headers.add(header(KIND_HEADER, "checkpoint"));
            headers.add(header(TREE_SIZE_HEADER, Long.toString(checkpoint.toIndex())));
        }
        return new ProducerRecord<>(topic, null, null, line.tenant().getBytes(StandardCharsets.UTF_8),
                messages.render(line).getBytes(StandardCharsets.UTF_8), headers);
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Each bootstrap server as the IP literals the guard allowed, {@code a.b.c.d:port} or {@code [v6]:port}; for a
     * TLS target, the names themselves (after the same check), because TLS checks the broker's certificate against
     * the name it was reached by. Then a name could resolve differently at connect time than when it was checked;
     * the TLS handshake fails against a host without that name's certificate, but the connection was made.
     */
    private List<String> checkedBootstrapServers(SinkTarget.Kafka target) throws TargetAddressGuard.TargetRefused {
        Set<String> servers = new LinkedHashSet<>();
        for (HostPort server : target.bootstrapServers()) {
            List<InetAddress> allowed = guard.check(server);
            if (allowed.isEmpty()) {
                throw new TargetAddressGuard.TargetRefused(server + " resolved to no address");
            }
            if (target.tls()) {
                servers.add(server.toString());
                continue;
            }
            for (InetAddress address : allowed) {
                String literal = address.getHostAddress();
                servers.add((address instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + server.port());
            }
        }
        return List.copyOf(servers);
    }

    /** The configuration of a sink's producer. */
    Map<String, Object> producerConfig(SinkId sink, List<String> bootstrapServers, boolean useTls) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "stenographer-sink-" + sink);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.requestTimeout().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) settings.deliveryTimeout().toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.maxBlock().toMillis());
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) settings.linger().toMillis());
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        if (useTls) {
            config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
            config.put(SslConfigs.SSL_PROTOCOL_CONFIG, "TLSv1.3");
            config.put(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG, String.join(",", StreamTls.PROTOCOLS));
            config.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "https");
            config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            config.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, tls.anchorsPem());
        }
        return config;
    }

    /** Closes the producer of a sink that was removed, paused or changed transport. */
    public void release(SinkId sink) {
        Entry entry = entries.remove(sink);
        if (entry != null) {
            retire(entry);
        }
    }

    /** Closes the producers of every sink not in {@code active}. */
    public void retainOnly(Set<SinkId> active) {
        for (SinkId sink : List.copyOf(entries.keySet())) {
            if (!active.contains(sink)) {
                release(sink);
            }
        }
    }

    /** How many sinks have a producer open now. */
    public int openProducers() {
        return (int) entries.values().stream().filter(e -> e.producer != null).count();
    }

    /** Closes every producer; later sends fail. */
    @Override
    public void close() {
        closed = true;
        retainOnly(Set.of());
    }

    private void closeIdle(SinkId sending) {
        long now = System.nanoTime();
        for (Map.Entry<SinkId, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            if (!e.getKey().equals(sending) && now - entry.lastUsedNanos > settings.idleClose().toNanos()
                    && entry.lock.tryLock()) { // a sink sending now is not idle
                try {
                    if (entries.remove(e.getKey(), entry)) {
                        entry.retired = true;
                        closeProducer(entry, Duration.ofSeconds(5));
                    }
                } finally {
                    entry.lock.unlock();
                }
            }
        }
    }

    /** Waits for a send in progress on the entry, then closes its producer for good. */
    private static void retire(Entry entry) {
        entry.lock.lock();
        try {
            entry.retired = true;
            closeProducer(entry, Duration.ofSeconds(5));
        } finally {
            entry.lock.unlock();
        }
    }

    private static void closeProducer(Entry entry, Duration timeout) {
        Producer<byte[], byte[]> producer = entry.producer;
        entry.producer = null;
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException e) {
                // closing must not fail a delivery round; the producer's threads end either way
            }
        }
    }

    /** An exception's class and message, shortened: Kafka's messages name topics, partitions and brokers only. */
    private static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return message.length() <= MAX_REASON_CHARS ? message : message.substring(0, MAX_REASON_CHARS) + "...";
    }
}
