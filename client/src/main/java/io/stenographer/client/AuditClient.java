package io.stenographer.client;

import io.stenographer.client.Outgoing.Pending;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNull;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.log.LogOrigins;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.event.Commitment;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.event.Pseudonym;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Sends audit events to Stenographer from inside an application.
 *
 * <pre>{@code
 * AuditClient audit = AuditClient.builder(URI.create("https://audit.example.org"))
 *         .tenant("city-portal").application("case-portal").tokens(() -> token)
 *         .verifierKey("stenographer.local+1a2b3c4d+AaBb...").build();
 * audit.logEvent("officer-17", "case.view", Map.of("caseId", "C-1"));          // queued, batched, retried
 * Receipt receipt = audit.logAndWait(Event.builder("case.export").actor("officer-17").build());
 * receipt.verify();                                                              // proof checked here
 * }</pre>
 *
 * {@code log()} queues the event; the sender thread gives it its idempotency key, validates it with the server's
 * rules, and sends it in batches through the batch endpoint, up to {@code maxInFlightBatches} at once. Transient
 * failures (network, 429, 502, 503, 504) are retried under the same keys, so a retry can never record an event
 * twice. Nothing is dropped silently: every event's future completes with its receipt or with an exception that
 * says why, and the {@link FailureListener} hears of every failure. Futures complete on the client's delivery
 * threads: keep callbacks short, or use the {@code ...Async} forms for blocking work.
 */
public final class AuditClient implements AutoCloseable {

    static final String BATCH_PATH = "/api/v1/events/batch";
    private static final int RESPONSE_DEPTH = 64;
    private static final byte[] OPEN = "{\"events\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.UTF_8);
    private static final Pattern LOWER_HEX_OPENING =
            Pattern.compile("[0-9a-f]{" + 2 * Commitment.OPENING_LENGTH + "}");

    private final TenantId tenant;
    private final String application;
    private final Settings settings;
    private final HttpTransport transport;
    private final TrustedLog trustedLog;
    private final IntegrityListener listener;
    private final Clock clock;
    /** Memory mode: what {@code log()} hands over, validated and serialized later by the sender. */
    private final ArrayBlockingQueue<Logged> queue;
    /** Memory mode: batches being delivered at once, at most {@code maxInFlightBatches}. */
    private final Semaphore inFlight;
    private final ExecutorService deliveries;
    private final FailureListener failureListener;
    /** Idempotency keys: a random prefix of this client instance and a counter, unique without a random draw each. */
    private final String keyPrefix;
    private final AtomicLong keys = new AtomicLong();
    private final Set<CompletableFuture<Receipt>> outstanding = ConcurrentHashMap.newKeySet();
    private final AtomicInteger flushing = new AtomicInteger();
    private final LongAdder sent = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder spooled = new LongAdder();
    /** SPOOL mode only (else null): the spool, the callers' events on their way into it, and their futures. */
    private final Spool spool;
    private final ArrayBlockingQueue<SpoolRequest> intake;
    private final Map<Long, Pending> spooledHere = new ConcurrentHashMap<>();
    private final Object spoolSignal = new Object();
    private final SpoolListener spoolListener;
    private final Thread spoolWriter;
    private final Thread sender;
    /** Runs close() when the JVM exits before the application closed this client (null when not wanted). */
    private final Thread closeOnExit;
    private volatile boolean closing;
    /** Set by close() before its last sweep of the queue, and by the spool writer before it stops taking events. */
    private volatile boolean drained;
    private volatile boolean writerDone;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean abandoned;

    /** An event as {@code log()} took it in memory mode; {@code loggedAt} is its default occurredAt. */
    private record Logged(Event event, long number, Instant loggedAt, CompletableFuture<Receipt> future) {

        /** Queued by {@link #flush}: once the sender takes it, every event queued before it is being tracked. */
        static Logged flushMarker(CompletableFuture<Receipt> taken) {
            return new Logged(null, 0, null, taken);
        }

        boolean isFlushMarker() {
            return event == null;
        }

        String key(String prefix) {
            return event.clientEventId() != null ? event.clientEventId() : prefix + number;
        }

        /** The event with the key and time it would have been sent with (EventDrafts' default for the time). */
        Event asSent(String prefix) {
            return event.asSent(key(prefix), event.occurredAt != null ? event.occurredAt
                    : Timestamps.truncate(loggedAt));
        }
    }

    /** An event handed to the spool writer; {@code spooled} completes once it is on disk. */
    private record SpoolRequest(Pending pending, CompletableFuture<Void> spooled) {
    }

    /** The tunable limits, checked once by the builder. */
    private record Settings(int batchSize, int maxBatchBytes, int maxInFlightBatches, Duration linger,
            QueueFullPolicy queueFullPolicy,
            Duration blockTimeout, Duration deliveryTimeout, Duration initialBackoff, Duration maxBackoff,
            Duration verifyTimeout, Duration closeTimeout) {
    }

    private AuditClient(Builder b) {
        this.tenant = b.tenant;
        this.application = b.application;
        this.clock = b.clock;
        this.settings = new Settings(b.batchSize, b.maxBatchBytes, b.maxInFlightBatches, b.linger, b.queueFullPolicy, b.blockTimeout,
                b.deliveryTimeout, b.initialBackoff, b.maxBackoff, b.verifyTimeout, b.closeTimeout);
        // Plain http stays HTTP/1.1: an h2c upgrade offer on each new connection buys nothing here.
        HttpClient http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                        .version("https".equals(b.baseUri.getScheme()) ? HttpClient.Version.HTTP_2
                                : HttpClient.Version.HTTP_1_1).build();
        this.transport = new HttpTransport(http, b.baseUri, b.tokens, b.requestTimeout);
        Path stateDirectory = b.stateDirectory != null ? b.stateDirectory
                : b.queueFullPolicy == QueueFullPolicy.SPOOL ? b.spoolDirectory : null;
        this.trustedLog = b.verifierKey == null ? null
                : new TrustedLog(b.verifierKey, new LogOrigins(b.originPrefix).originOf(b.tenant), stateDirectory);
        this.listener = b.listener;
        this.spoolListener = b.spoolListener;
        this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
        this.failureListener = b.failureListener;
        byte[] prefix = new byte[8];
        new SecureRandom().nextBytes(prefix);
        this.keyPrefix = "c-" + HexFormat.of().formatHex(prefix) + "-";
        int deliverers = b.queueFullPolicy == QueueFullPolicy.SPOOL ? 1 : b.maxInFlightBatches;
        this.inFlight = new Semaphore(deliverers);
        AtomicInteger delivererNumber = new AtomicInteger();
        this.deliveries = b.deliveries != null ? b.deliveries : Executors.newFixedThreadPool(deliverers, work -> {
            Thread thread = new Thread(work, "stenographer-audit-delivery-" + delivererNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        if (b.queueFullPolicy == QueueFullPolicy.SPOOL) {
            this.spool = new Spool(b.spoolDirectory, b.spoolSegmentBytes, b.maxSpoolBytes);
            this.intake = new ArrayBlockingQueue<>(b.queueCapacity);
            this.spoolWriter = daemon(this::spoolUntilClosed, "stenographer-audit-spool");
            this.sender = daemon(this::sendSpooledUntilClosed, "stenographer-audit-sender");
        } else {
            this.spool = null;
            this.intake = null;
            this.spoolWriter = null;
            this.sender = daemon(this::sendUntilClosed, "stenographer-audit-sender");
        }
        // The sender threads are daemons: without this, events still queued when the JVM exits were lost unreported.
        this.closeOnExit = b.closeOnShutdown ? closeOnExit() : null;
    }

    /** The hook that closes this client when the JVM exits; none when the JVM is exiting already. */
    private Thread closeOnExit() {
        Thread hook = new Thread(this::close, "stenographer-audit-close-on-exit");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return hook;
        } catch (IllegalStateException exiting) {
            // Built by another hook while the JVM exits: whoever built it closes it.
            return null;
        }
    }

    private static Thread daemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /** The seed document's call: user {@code userId} did {@code action}, with free-form metadata. */
    public CompletableFuture<Receipt> logEvent(String userId, String action, Map<String, ?> metadata) {
        return log(Event.builder(action).actor(userId).metadata(metadata).build());
    }

    public CompletableFuture<Receipt> logEvent(String userId, String action) {
        return logEvent(userId, action, null);
    }

    /** {@link #logEvent(String, String, Map)} on a record: {@code resourceType}/{@code resourceId}. */
    public CompletableFuture<Receipt> logEvent(String userId, String action, String resourceType, String resourceId,
            Map<String, ?> metadata) {
        return log(Event.builder(action).actor(userId).resource(resourceType, resourceId).metadata(metadata).build());
    }

    /**
     * Queues the event and returns at once; the future completes with its receipt once the service durably recorded
     * it, or with the reason it was not. The sender validates the event with the service's own rules before anything
     * is sent: an invalid one completes its future with {@link InvalidEventException}. In SPOOL mode the event is
     * validated here and this call returns once it is on disk.
     *
     * @throws QueueFullException if the queue stayed full (FAIL at once, BLOCK after its timeout)
     * @throws InvalidEventException in SPOOL mode, for an event that breaks a rule of the event model
     * @throws IllegalStateException if the client is closed
     */
    public CompletableFuture<Receipt> log(Event event) {
        Objects.requireNonNull(event, "event");
        if (closing) {
            throw new IllegalStateException("the audit client is closed");
        }
        CompletableFuture<Receipt> future = new CompletableFuture<>();
        if (spool != null) {
            String key = event.clientEventId() != null ? event.clientEventId() : keyPrefix + keys.incrementAndGet();
            Pending pending = prepared(event, key, clock.instant(), future);
            outstanding.add(future);
            report(future, key);
            spoolAndWait(pending);
            return future;
        }
        // Everything else (the key's text, validation, serialization, tracking) is the sender's work.
        Logged logged = new Logged(event, keys.incrementAndGet(), clock.instant(), future);
        boolean queued;
        try {
            queued = settings.queueFullPolicy() == QueueFullPolicy.FAIL ? queue.offer(logged)
                    : queue.offer(logged, settings.blockTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (queued && drained && queue.remove(logged)) {
            // close() swept the queue already: nobody would ever send this event.
            throw new IllegalStateException("the audit client is closed");
        }
        if (!queued) {
            failed.increment();
            throw new QueueFullException("the audit queue of " + (queue.size() + queue.remainingCapacity())
                    + " events is full" + (settings.queueFullPolicy() == QueueFullPolicy.BLOCK
                    ? " and stayed full for " + settings.blockTimeout() : "") + "; the event was not logged");
        }
        return future;
    }

    /** The event validated (with the service's rules) and serialized once: retries resend these bytes. */
    private Pending prepared(Event event, String key, Instant loggedAt, CompletableFuture<Receipt> future) {
        EventDraft draft = EventDrafts.draft(event, tenant, application, loggedAt, key);
        return new Pending(event, draft, CanonicalJson.canonicalBytes(SealedEventFormat.clientFields(draft)), future);
    }

    /**
     * Once the future completes, drops it from those {@link #flush} waits for and tells the failure listener if it
     * failed. Attached by the sender in memory mode, so {@code log()} itself stays a hand-over.
     */
    private void report(CompletableFuture<Receipt> future, String key) {
        future.whenComplete((receipt, error) -> {
            outstanding.remove(future);
            if (error != null && !(error instanceof DeliveryFailedException kept && kept.keptInSpool())) {
                failureListener.onFailure(key, error instanceof AuditClientException known ? known
                        : new AuditClientException("logging failed: " + error, error));
            }
        });
    }

    /** SPOOL mode: returns once the event is on disk (its append shared one fsync with those of other callers). */
    private void spoolAndWait(Pending pending) {
        SpoolRequest request = new SpoolRequest(pending, new CompletableFuture<>());
        try {
            if (!intake.offer(request, settings.blockTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new QueueFullException("the spool writer took no event for " + settings.blockTimeout()
                        + "; the event was not logged");
            }
            if (writerDone && intake.remove(request)) {
                outstanding.remove(pending.future());
                throw new IllegalStateException("the audit client is closed");
            }
            request.spooled().get(settings.blockTimeout().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused(pending, new QueueFullException("interrupted before the event was spooled; it was not "
                    + "logged"));
        } catch (ExecutionException e) {
            throw refused(pending, e.getCause() instanceof AuditClientException failure ? failure
                    : new AuditClientException("the event could not be spooled: " + e.getCause(), e.getCause()));
        } catch (TimeoutException e) {
            throw refused(pending, new AuditClientException("the spool did not confirm the event in time; it may "
                    + "still be delivered"));
        } catch (QueueFullException e) {
            throw refused(pending, e);
        }
    }

    private AuditClientException refused(Pending pending, AuditClientException reason) {
        outstanding.remove(pending.future());
        failed.increment();
        return reason;
    }

    /**
     * {@link #log(Event)}, then waits for the receipt.
     *
     * @throws AuditClientException the reason the event was not recorded (its subclasses say which)
     */
    public Receipt logAndWait(Event event) {
        CompletableFuture<Receipt> future = log(event);
        try {
            return future.get(settings.deliveryTimeout().toMillis() + settings.linger().toMillis() + 60_000,
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditClientException("interrupted while waiting for the receipt of " + event.clientEventId(),
                    e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuditClientException failure) {
                throw failure;
            }
            throw new AuditClientException("logging failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AuditClientException("no answer for the event within the delivery timeout", e);
        }
    }

    /**
     * Sends what is queued now without lingering, and waits until each event logged before the call has its
     * outcome.
     *
     * @throws AuditClientException if some are still undelivered at the timeout
     */
    public void flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        flushing.incrementAndGet();
        List<CompletableFuture<Receipt>> waiting = List.of();
        try {
            if (spool == null) {
                // Events in the queue are tracked only once the sender takes them: wait until it took this marker.
                CompletableFuture<Receipt> marker = new CompletableFuture<>();
                if (!queue.offer(Logged.flushMarker(marker), timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new AuditClientException("the queue stayed full for " + timeout + "; nothing was flushed");
                }
                marker.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            waiting = List.copyOf(outstanding);
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // each failure is reported through its own event's future
        } catch (TimeoutException e) {
            throw new AuditClientException(waiting.stream().filter(f -> !f.isDone()).count()
                    + " tracked events still undelivered after " + timeout, e);
        } finally {
            flushing.decrementAndGet();
        }
    }

    public ClientMetrics metrics() {
        long queued = spool == null ? queue.size()
                : intake.size() + spool.lastSequence() - spool.acknowledgedSequence();
        return new ClientMetrics(queued, spooled.sum(), sent.sum(), retried.sum(), rejected.sum(), failed.sum());
    }

    /**
     * Fetches the log's latest checkpoint and checks it against the pinned key and the last verified checkpoint,
     * with a consistency proof; call it periodically to watch the log between receipts.
     *
     * @return the checkpoint now trusted
     * @throws LogIntegrityException if the log was rolled back or forked, or the checkpoint is not trusted
     */
    public VerifiedCheckpoint checkLog() {
        TrustedLog log = requireTrustedLog();
        HttpTransport.Answer answer = get("/api/v1/logs/" + path(tenant.value()) + "/checkpoint");
        if (answer.status() != 200) {
            throw rejection(answer);
        }
        JsonObject body = object(answer.body());
        String note = string(body, "signedNote");
        return reported(() -> {
            Checkpoint latest = log.signed(note);
            log.advanceTo(latest, note, this::consistencyPath, true);
            return new VerifiedCheckpoint(latest.treeSize(), latest.rootHash().base64(), note);
        });
    }

    /** The last checkpoint this client verified, as its signed note; empty before the first verification. */
    public Optional<String> lastVerifiedCheckpoint() {
        return trustedLog == null ? Optional.empty() : Optional.ofNullable(trustedLog.trustedNote());
    }

    /**
     * Stops taking events, delivers what is queued (waiting up to the close timeout), then stops the sender. Events
     * still undelivered then fail with {@link DeliveryFailedException}.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // closed already: a second call must not wait for delivery slots the first one took
        }
        if (closeOnExit != null && Thread.currentThread() != closeOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(closeOnExit);
            } catch (IllegalStateException exiting) {
                // The JVM is exiting already: the hook finds this client closed and returns at once.
            }
        }
        closing = true;
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        try {
            if (spoolWriter != null) {
                // The spool writer only ever waits for the disk: it finishes what callers handed in.
                spoolWriter.join();
            }
            // join(0) would wait for ever: a zero close timeout waits for nothing.
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                sender.join(left);
            }
            long rest = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            int deliverers = spool == null ? settings.maxInFlightBatches() : 1;
            boolean delivered = !sender.isAlive() && (spool != null
                    || inFlight.tryAcquire(deliverers, Math.max(0, rest), TimeUnit.MILLISECONDS));
            if (!delivered) {
                abandoned = true;
                sender.interrupt();
                // Batches handed over but not started would otherwise never complete: they fail here instead.
                deliveries.shutdownNow().forEach(Runnable::run);
                sender.join(10_000);
                deliveries.awaitTermination(10, TimeUnit.SECONDS);
            }
            deliveries.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
            sender.interrupt();
        }
        drained = true;
        Logged left;
        while ((left = queue.poll()) != null) {
            DeliveryFailedException unsent = new DeliveryFailedException(
                    "the audit client was closed before the event was sent", null);
            if (!left.isFlushMarker()) {
                failed.increment();
                unsent = unsent.of(left.asSent(keyPrefix));
                failureListener.onFailure(left.key(keyPrefix), unsent);
            }
            left.future().completeExceptionally(unsent);
        }
        if (spool != null) {
            List<Pending> kept = List.copyOf(spooledHere.values());
            spooledHere.clear();
            if (!kept.isEmpty()) {
                System.getLogger(AuditClient.class.getName()).log(System.Logger.Level.WARNING, kept.size()
                        + " logged events are still in the spool; the next run of the application delivers them");
            }
            fail(kept, gaveUp("the audit client was closed before the event was sent", null));
            spool.close();
        }
    }

    // ---- sending -------------------------------------------------------------------------------------------------

    /**
     * Memory mode: takes events from the queue, validates and serializes them, cuts batches (count, bytes, linger)
     * and hands each to a delivery thread, at most {@code maxInFlightBatches} at once.
     */
    private void sendUntilClosed() {
        Pending carried = null;
        while (true) {
            Pending first;
            try {
                first = carried != null ? carried : take(queue.poll(50, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                return;
            }
            carried = null;
            if (first == null) {
                if ((closing && queue.isEmpty()) || abandoned) {
                    return;
                }
                continue;
            }
            List<Outgoing> batch = new ArrayList<>();
            batch.add(first);
            long bytes = OPEN.length + CLOSE.length + first.json().length;
            long lingerEnd = System.nanoTime() + settings.linger().toNanos();
            try {
                while (batch.size() < settings.batchSize()) {
                    Logged next = queue.poll();
                    if (next == null) {
                        long left = lingerEnd - System.nanoTime();
                        if (left <= 0 || closing || flushing.get() > 0) {
                            break;
                        }
                        next = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
                        if (next == null) {
                            continue;
                        }
                    }
                    Pending pending = take(next);
                    if (pending == null) {
                        continue;
                    }
                    if (bytes + 1 + pending.json().length > settings.maxBatchBytes()) {
                        carried = pending;
                        break;
                    }
                    batch.add(pending);
                    bytes += 1 + pending.json().length;
                }
                inFlight.acquire();
            } catch (InterruptedException e) {
                fail(batch, new DeliveryFailedException("the audit client was closed", e));
                if (carried != null) {
                    fail(List.of(carried), new DeliveryFailedException("the audit client was closed", null));
                }
                return;
            }
            try {
                deliveries.execute(new Delivery(batch, System.nanoTime() + settings.deliveryTimeout().toNanos()));
            } catch (RejectedExecutionException e) {
                // close() shut the deliverers down between this thread taking a slot and handing the batch over.
                inFlight.release();
                fail(batch, new DeliveryFailedException("the audit client was closed before the event was sent", e));
                if (carried != null) {
                    // Taken from the queue already, so close()'s sweep of the queue will not find it.
                    fail(List.of(carried), new DeliveryFailedException("the audit client was closed", null));
                }
                return;
            }
        }
    }

    /**
     * One batch handed to a delivery thread. Whoever ends up with it completes its events: a delivery thread, or
     * close(), which runs the batches no thread started once it gave up, so they fail instead of never completing.
     */
    private final class Delivery implements Runnable {
        private final List<Outgoing> batch;
        private final long deadline;

        Delivery(List<Outgoing> batch, long deadline) {
            this.batch = batch;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            try {
                if (abandoned) {
                    fail(batch, new DeliveryFailedException("the audit client was closed before the event was sent",
                            null));
                } else {
                    deliver(batch, deadline);
                }
            } catch (RuntimeException e) {
                fail(batch, new AuditClientException("delivery failed: " + e.getClass().getSimpleName(), e));
            } finally {
                inFlight.release();
            }
        }
    }

    /** A queued event made ready to send, or null when it is invalid (its future then says why). */
    private Pending take(Logged logged) {
        if (logged == null) {
            return null;
        }
        if (logged.isFlushMarker()) {
            logged.future().complete(null);
            return null;
        }
        String key = logged.key(keyPrefix);
        outstanding.add(logged.future());
        report(logged.future(), key);
        try {
            return prepared(logged.event(), key, logged.loggedAt(), logged.future());
        } catch (InvalidEventException e) {
            rejected.increment();
            logged.future().completeExceptionally(e);
            return null;
        } catch (RuntimeException e) {
            // Anything else about one event (text the JSON model refuses, metadata changed while being read) fails
            // that event, never the sender.
            rejected.increment();
            logged.future().completeExceptionally(new InvalidEventException("metadata",
                    "cannot be read as JSON (" + e.getClass().getSimpleName() + ")"));
            return null;
        }
    }

    /**
     * SPOOL mode, first half: takes what callers hand in, appends it to the spool in one forced write, and only then
     * lets their {@code log()} calls return. Events of one append share one fsync.
     */
    private void spoolUntilClosed() {
        while (true) {
            SpoolRequest first;
            try {
                first = intake.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (closing) {
                    writerDone = true; // log() takes back what it hands in after this; the rest is written below
                    if (intake.isEmpty()) {
                        return;
                    }
                }
                continue;
            }
            List<SpoolRequest> group = new ArrayList<>();
            group.add(first);
            intake.drainTo(group, settings.batchSize() - 1);
            // Registered before the append: the sender may read the records the moment they are written, and must
            // find their callers. This thread is the only one that appends, so the numbers are known in advance.
            long sequence = spool.lastSequence() + 1;
            for (SpoolRequest request : group) {
                spooledHere.put(sequence++, request.pending());
            }
            try {
                spool.append(group.stream().map(request -> request.pending().json()).toList());
                spooled.add(group.size());
                group.forEach(request -> request.spooled().complete(null));
                synchronized (spoolSignal) {
                    spoolSignal.notifyAll();
                }
            } catch (RuntimeException e) {
                for (long unwritten = spool.lastSequence() + 1; unwritten < sequence; unwritten++) {
                    spooledHere.remove(unwritten);
                }
                group.forEach(request -> request.spooled().completeExceptionally(e));
            }
        }
    }

    /**
     * SPOOL mode, second half: reads the spool in order from where the service last answered, delivers, and notes
     * each answered batch. Retries have no deadline: the events are on disk until the service takes them.
     */
    private void sendSpooledUntilClosed() {
        while (!abandoned) {
            try {
                sendSpooled(new Spool.Cursor());
                return;
            } catch (RuntimeException e) {
                // The sender must not die quietly, leaving every later event unsent: what is on disk is read again
                // from the last acknowledged event. Only the kind of failure is logged (a message could quote an
                // event).
                System.getLogger(AuditClient.class.getName()).log(System.Logger.Level.ERROR,
                        "delivering the spool failed (" + e.getClass().getName() + "); it is read again from the"
                                + " last event the service answered");
                if (!awaitSpooled(1_000)) {
                    return;
                }
            }
        }
    }

    private void sendSpooled(Spool.Cursor cursor) {
        long bodyLimit = settings.maxBatchBytes() - OPEN.length - CLOSE.length - settings.batchSize();
        while (!abandoned) {
            List<Spool.Record> records = spool.next(cursor, settings.batchSize(), bodyLimit);
            if (records.size() < settings.batchSize() && !closing && flushing.get() == 0) {
                long lingerEnd = System.nanoTime() + settings.linger().toNanos();
                while (records.size() < settings.batchSize() && System.nanoTime() < lingerEnd && !closing) {
                    if (!awaitSpooled(Math.min(TimeUnit.NANOSECONDS.toMillis(lingerEnd - System.nanoTime()) + 1,
                            records.isEmpty() ? 50 : 5))) {
                        return;
                    }
                    records.addAll(spool.next(cursor, settings.batchSize() - records.size(),
                            bodyLimit - records.stream().mapToLong(record -> record.payload().length).sum(),
                            records.isEmpty()));
                    if (records.isEmpty()) {
                        lingerEnd = System.nanoTime() + settings.linger().toNanos();
                    }
                }
            }
            if (records.isEmpty()) {
                if (closing && intake.isEmpty() && spool.lastSequence() <= spool.acknowledgedSequence()) {
                    return;
                }
                if (!awaitSpooled(50)) {
                    return;
                }
                continue;
            }
            List<Outgoing> batch = new ArrayList<>(records.size());
            for (Spool.Record record : records) {
                // Kept until answered: after an unexpected failure the record is read again for the same caller.
                Pending here = spooledHere.get(record.sequence());
                batch.add(here != null ? here : Outgoing.Recovered.of(record.payload(), spoolListener));
            }
            if (deliver(batch, Long.MAX_VALUE)) {
                spool.acknowledge(records.get(records.size() - 1).sequence());
                records.forEach(record -> spooledHere.remove(record.sequence()));
            } else {
                return; // abandoned at close: the records stay spooled for the next run
            }
        }
    }

    /** Waits for the spool writer's signal; false when interrupted (the client is being abandoned). */
    private boolean awaitSpooled(long millis) {
        synchronized (spoolSignal) {
            try {
                spoolSignal.wait(Math.max(1, millis));
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Sends one batch until the service answers it, refuses it, or {@code deadline} (a {@link System#nanoTime()})
     * passes. Every event of the batch then has its outcome.
     *
     * @return true when the service answered every event; false when they were given up on
     */
    private boolean deliver(List<Outgoing> batch, long deadline) {
        byte[] body = envelope(batch);
        int attempt = 0;
        String lastProblem;
        Throwable lastError;
        while (true) {
            HttpTransport.Answer answer = null;
            try {
                answer = transport.post(BATCH_PATH, body);
                lastProblem = "HTTP " + answer.status();
                lastError = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(batch, gaveUp("the audit client was closed before the service answered", e));
                return false;
            } catch (IOException | RuntimeException e) {
                // RuntimeException: the token supplier's, e.g. an identity provider that is away for a moment.
                lastProblem = e.toString();
                lastError = e;
            }
            if (answer != null) {
                int status = answer.status();
                if (status == 200) {
                    if (complete(batch, answer.body())) {
                        return true;
                    }
                    if (spool == null) {
                        fail(batch, new AuditClientException("the service's batch answer is not readable"));
                        return true;
                    }
                    lastProblem = "a batch answer that is not readable";
                }
                if (status == 413 && batch.size() > 1) {
                    // Too large for this service's limits: halves are new requests of the same events and keys.
                    return deliver(batch.subList(0, batch.size() / 2), deadline)
                            && deliver(batch.subList(batch.size() / 2, batch.size()), deadline);
                }
                if (!isTransient(status) && status != 200) {
                    // A 413 for one event is an answer about that event: final even in SPOOL mode, or it would
                    // hold the spool back for ever.
                    if (spool == null || status == 413) {
                        rejected.add(batch.size());
                        AuditClientException refusal = rejection(answer);
                        batch.forEach(outgoing -> outgoing.fail(refusal));
                        return true;
                    }
                    // SPOOL: a refusal of the whole batch (a token, a path, the service's own fault) is no answer
                    // about the events, which stay on disk until one comes; said where operators look.
                    System.getLogger(AuditClient.class.getName()).log(System.Logger.Level.WARNING,
                            "the service refused a spooled batch of " + batch.size() + " events with HTTP " + status
                                    + "; they stay in the spool and are sent again");
                }
            }
            attempt++;
            if (spool != null && isWorthSaying(attempt) && (answer == null || isTransient(answer.status()))) {
                // SPOOL retries for ever and nobody waits on a future: an unreachable service must show somewhere.
                // Only the kind of failure is named (a message could quote an event).
                System.getLogger(AuditClient.class.getName()).log(System.Logger.Level.WARNING,
                        "delivering a spooled batch of " + batch.size() + " events failed " + attempt + " time(s) in a"
                                + " row (" + (answer == null ? lastError.getClass().getName() : "HTTP " + answer.status())
                                + "); they stay in the spool and are sent again");
            }
            Duration wait = backoff(attempt, answer == null ? Optional.empty() : answer.retryAfter());
            boolean pastDeadline = deadline != Long.MAX_VALUE && System.nanoTime() + wait.toNanos() - deadline > 0;
            if (abandoned || pastDeadline) {
                fail(batch, gaveUp("gave up after " + attempt + " attempts"
                        + (abandoned ? " when the client was closed" : " within " + settings.deliveryTimeout())
                        + "; last: " + lastProblem, lastError));
                return false;
            }
            retried.increment();
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(batch, gaveUp("the audit client was closed while waiting to retry", e));
                return false;
            }
        }
    }

    /** Given up in this run; in SPOOL mode the events stay on disk for the next one, and the exception says so. */
    private DeliveryFailedException gaveUp(String why, Throwable cause) {
        return spool == null ? new DeliveryFailedException(why, cause)
                : new DeliveryFailedException(why + "; the events stay in the spool and are delivered by the next run",
                        cause, true);
    }

    /** The first failure of a run of them, then the 8th, 16th, 32nd...: a long outage logs a few lines, not one a try. */
    static boolean isWorthSaying(int attempt) {
        return attempt == 1 || (attempt >= 8 && Integer.bitCount(attempt) == 1);
    }

    static boolean isTransient(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** Exponential with jitter (half to the whole step), and never sooner than the service's Retry-After. */
    private Duration backoff(int attempt, Optional<Duration> retryAfter) {
        long step = Math.min(settings.maxBackoff().toMillis(),
                settings.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        long wait = Math.max(jittered, retryAfter.map(Duration::toMillis).orElse(0L));
        return Duration.ofMillis(wait);
    }

    private static byte[] envelope(List<Outgoing> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(OPEN);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(batch.get(i).json());
        }
        out.writeBytes(CLOSE);
        return out.toByteArray();
    }

    /**
     * Maps each item of the batch answer to its own event. The items must name each index of the batch exactly
     * once; an event the answer leaves out, or names twice, fails rather than wait for ever.
     */
    private boolean complete(List<Outgoing> batch, byte[] body) {
        List<JsonValue> items;
        try {
            items = ((JsonArray) object(body).get("items")).elements();
        } catch (RuntimeException e) {
            return false; // the caller decides: fail the events, or keep them spooled and try again
        }
        if (spool != null && !settlesEveryEvent(items, batch.size())) {
            // On disk, an event ends only with an answer about it: acknowledging the batch would delete one the
            // answer left out. The whole batch is sent again under the same keys (the answered ones come back
            // as duplicates).
            return false;
        }
        boolean[] answered = new boolean[batch.size()];
        for (JsonValue value : items) {
            Outgoing outgoing = null;
            try {
                JsonObject item = (JsonObject) value;
                int index = (int) ((JsonNumber) item.get("index")).value();
                if (index < 0 || index >= batch.size() || answered[index]) {
                    continue;
                }
                answered[index] = true;
                outgoing = batch.get(index);
                String status = string(item, "status");
                switch (status) {
                    case "created", "duplicate" -> {
                        Receipt receipt = receipt(outgoing, item, status.equals("duplicate"));
                        sent.increment(); // counted before the caller can see the receipt
                        outgoing.succeed(receipt);
                    }
                    case "conflict" -> {
                        rejected.increment();
                        // No id when another submitter's event holds the key: the service names it only to its own.
                        String existing = optional(item, "id");
                        outgoing.fail(new IdempotencyConflictException(outgoing.clientEventId(),
                                existing == null ? null : UUID.fromString(existing),
                                problemDetail((JsonObject) item.get("problem"))));
                    }
                    default -> {
                        rejected.increment();
                        outgoing.fail(problem(400, (JsonObject) item.get("problem")));
                    }
                }
            } catch (LogIntegrityException e) {
                failed.increment();
                listener.onIntegrityViolation(e);
                outgoing.fail(e);
            } catch (MalformedAnswer e) {
                failed.increment();
                outgoing.fail(new AuditClientException("the service's answer for this event is not readable: "
                        + e.getMessage()));
            } catch (RuntimeException e) {
                if (outgoing != null) {
                    failed.increment();
                    outgoing.fail(new AuditClientException("the service's answer for this event is not readable"));
                }
            }
        }
        for (int i = 0; i < answered.length; i++) {
            if (!answered[i]) {
                failed.increment();
                batch.get(i).fail(new AuditClientException("the service's batch answer has no item for this event"));
            }
        }
        return true;
    }

    private static final Set<String> ITEM_STATUSES = Set.of("created", "duplicate", "conflict", "rejected");

    /** Whether the answer's items name each event of the batch exactly once, with a status this client knows. */
    private static boolean settlesEveryEvent(List<JsonValue> items, int batchSize) {
        boolean[] named = new boolean[batchSize];
        for (JsonValue value : items) {
            if (!(value instanceof JsonObject item) || !(item.get("index") instanceof JsonNumber number)
                    || !(item.get("status") instanceof JsonString status) || !ITEM_STATUSES.contains(status.value())) {
                return false;
            }
            double index = number.value();
            if (index != Math.rint(index) || index < 0 || index >= batchSize || named[(int) index]) {
                return false;
            }
            named[(int) index] = true;
        }
        for (boolean isNamed : named) {
            if (!isNamed) {
                return false;
            }
        }
        return true;
    }

    /** The receipt, after recomputing the leaf hash from what was sent and the fields the server sealed. */
    private Receipt receipt(Outgoing outgoing, JsonObject item, boolean duplicate) {
        UUID id = UUID.fromString(string(item, "id"));
        Instant receivedAt = Timestamps.parse("receivedAt", string(item, "receivedAt"));
        String submittedBy = string(item, "submittedBy");
        Hash claimed = Hash.fromHex(string(item, "leafHash"));
        Map<PersonalField, byte[]> openings = openings(item.get("openings"));
        Map<PersonalField, String> pseudonyms = pseudonyms(item.get("pseudonyms"), openings);
        Hash recomputed = outgoing.sealedWith(new EventId(id), receivedAt, submittedBy, openings, pseudonyms)
                .leafHash();
        if (!recomputed.equals(claimed)) {
            // Without openings the client can only recompute a v1 leaf. A replay after the data subject's
            // personal data was erased has none to give (they were destroyed): it cannot be checked, so it is
            // reported like any other mismatch, never trusted.
            String unverifiable = openings.isEmpty() && duplicate ? "; the answer carries no openings: if the"
                    + " tenant's data policy made values of this event personal and they have since been erased,"
                    + " this replayed receipt cannot be verified by the client" : "";
            throw new LogIntegrityException.ReceiptMismatch("the service's leaf hash " + claimed.hex() + " for event "
                    + id + " is not the hash of the event sent (" + recomputed.hex() + ")" + unverifiable);
        }
        return new Receipt(id, recomputed, receivedAt, submittedBy, outgoing.clientEventId(), duplicate, this);
    }

    /**
     * The {@code openings} of a v2 answer item: by field, the 32 random bytes the service committed to each personal
     * value under. Absent for a v1 event (empty map; so is a JSON null, which claims nothing); when present, a
     * non-empty object whose every name is a field that can be personal and whose every value is 64 lower-case hex
     * digits, or the answer is malformed.
     */
    static Map<PersonalField, byte[]> openings(JsonValue value) {
        if (value == null || value instanceof JsonNull) {
            return Map.of();
        }
        if (!(value instanceof JsonObject object) || object.members().isEmpty()) {
            throw new MalformedAnswer("'openings' must be a non-empty JSON object");
        }
        Map<PersonalField, byte[]> openings = new TreeMap<>();
        object.members().forEach((path, hex) -> {
            PersonalField field;
            try {
                field = PersonalField.parse(path);
            } catch (IllegalArgumentException e) {
                throw new MalformedAnswer("'openings' names '" + path + "', which is not a field that can be"
                        + " personal");
            }
            if (!(hex instanceof JsonString text) || !LOWER_HEX_OPENING.matcher(text.value()).matches()) {
                throw new MalformedAnswer("the opening of " + path + " must be " + 2 * Commitment.OPENING_LENGTH
                        + " lower-case hex digits");
            }
            openings.put(field, HexFormat.of().parseHex(text.value()));
        });
        return openings;
    }

    /**
     * The {@code pseudonyms} of an answer item: by identifier field, the pseudonym the leaf holds in its place. Absent
     * unless the tenant's policy makes {@code actor.id} or {@code resource.id} personal; when present, every name is
     * an identifier the answer has an opening for, and every value a pseudonym, or the answer is malformed.
     */
    static Map<PersonalField, String> pseudonyms(JsonValue value, Map<PersonalField, byte[]> openings) {
        if (value == null || value instanceof JsonNull) {
            return Map.of();
        }
        if (!(value instanceof JsonObject object) || object.members().isEmpty()) {
            throw new MalformedAnswer("'pseudonyms' must be a non-empty JSON object");
        }
        Map<PersonalField, String> pseudonyms = new TreeMap<>();
        object.members().forEach((path, pseudonym) -> {
            PersonalField field = PersonalField.ACTOR_ID.path().equals(path) ? PersonalField.ACTOR_ID
                    : PersonalField.RESOURCE_ID.path().equals(path) ? PersonalField.RESOURCE_ID : null;
            if (field == null || !openings.containsKey(field)) {
                throw new MalformedAnswer("'pseudonyms' names '" + path + "', which is not an identifier the answer"
                        + " has an opening for");
            }
            if (!(pseudonym instanceof JsonString text) || !Pseudonym.isPseudonym(text.value())) {
                throw new MalformedAnswer("the pseudonym of " + path + " must be '" + Pseudonym.PREFIX
                        + "' and 64 lower-case hex digits");
            }
            pseudonyms.put(field, text.value());
        });
        return pseudonyms;
    }

    /** An answer item the client cannot read, with what is wrong with it. */
    static final class MalformedAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedAnswer(String message) {
            super(message);
        }
    }

    private void fail(List<? extends Outgoing> batch, AuditClientException reason) {
        failed.add(batch.size());
        batch.forEach(outgoing -> outgoing.fail(reason));
    }

    // ---- verifying -----------------------------------------------------------------------------------------------

    Receipt.Inclusion verify(Receipt receipt, Duration timeout) {
        TrustedLog log = requireTrustedLog();
        Duration limit = timeout != null ? timeout : settings.verifyTimeout();
        long deadline = System.nanoTime() + limit.toNanos();
        long pause = 50;
        String path = "/api/v1/logs/" + path(tenant.value()) + "/proof/inclusion?eventId=" + receipt.eventId();
        while (true) {
            HttpTransport.Answer answer = getOrNull(path);
            if (answer != null && answer.status() == 200) {
                JsonObject proof = object(answer.body());
                return reported(() -> checkInclusion(log, receipt, proof));
            }
            if (answer != null && !isTransient(answer.status()) && !notIntegratedYet(answer)) {
                throw rejection(answer);
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline) {
                throw new NotYetIntegratedException("event " + receipt.eventId() + " was not in a signed checkpoint"
                        + " within " + limit);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuditClientException("interrupted while waiting for the event's integration", e);
            }
            pause = Math.min(pause * 2, 1_000);
        }
    }

    private Receipt.Inclusion checkInclusion(TrustedLog log, Receipt receipt, JsonObject proof) {
        if (!receipt.eventId().toString().equals(string(proof, "eventId"))) {
            throw new LogIntegrityException.InclusionFailed("asked for the proof of event " + receipt.eventId()
                    + ", the service proved event " + string(proof, "eventId"));
        }
        Hash proved = Hash.fromHex(string(proof, "leafHash"));
        if (!proved.equals(receipt.leafHashValue())) {
            throw new LogIntegrityException.InclusionFailed("the log holds leaf " + proved.hex() + " for event "
                    + receipt.eventId() + ", not the hash of the event sent (" + receipt.leafHash() + ")");
        }
        String note = string(proof, "checkpoint");
        Checkpoint checkpoint = log.signed(note);
        long leafIndex = (long) ((JsonNumber) proof.get("leafIndex")).value();
        long treeSize = (long) ((JsonNumber) proof.get("treeSize")).value();
        if (treeSize != checkpoint.treeSize()) {
            throw new LogIntegrityException.InclusionFailed("the proof is for a tree of " + treeSize
                    + " leaves, its checkpoint signs one of " + checkpoint.treeSize());
        }
        InclusionProof inclusion;
        try {
            inclusion = new InclusionProof(leafIndex, treeSize, hashes(proof.get("inclusionProof")));
        } catch (IllegalArgumentException e) {
            throw new LogIntegrityException.InclusionFailed("the inclusion proof is malformed: " + e.getMessage());
        }
        if (!inclusion.verify(receipt.leafHashValue(), checkpoint.rootHash())) {
            throw new LogIntegrityException.InclusionFailed("the inclusion proof of event " + receipt.eventId()
                    + " at index " + leafIndex + " does not lead to the signed root of size " + treeSize);
        }
        // The proof's checkpoint may be older than one another thread verified meanwhile: not a rollback.
        log.advanceTo(checkpoint, note, this::consistencyPath, false);
        return new Receipt.Inclusion(leafIndex, treeSize, checkpoint.rootHash().base64(), note);
    }

    private List<Hash> consistencyPath(long fromSize, long toSize) {
        HttpTransport.Answer answer = get("/api/v1/logs/" + path(tenant.value()) + "/proof/consistency?from="
                + fromSize + "&to=" + toSize);
        if (answer.status() != 200) {
            throw new AuditClientException("the service gave no consistency proof from " + fromSize + " to "
                    + toSize + ": " + rejection(answer).getMessage());
        }
        return hashes(object(answer.body()).get("proof"));
    }

    private <T> T reported(Supplier<T> check) {
        try {
            return check.get();
        } catch (LogIntegrityException e) {
            listener.onIntegrityViolation(e);
            throw e;
        }
    }

    private TrustedLog requireTrustedLog() {
        if (trustedLog == null) {
            throw new IllegalStateException("pin the log's verifier key (Builder.verifierKey) to verify receipts");
        }
        return trustedLog;
    }

    private static boolean notIntegratedYet(HttpTransport.Answer answer) {
        if (answer.status() != 400) {
            return false;
        }
        try {
            JsonValue field = object(answer.body()).get("field");
            return field instanceof JsonString name && (name.value().equals("eventId") || name.value().equals("size"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- answers -------------------------------------------------------------------------------------------------

    private HttpTransport.Answer get(String path) {
        try {
            return transport.get(path);
        } catch (IOException e) {
            throw new AuditClientException("cannot reach the audit service: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditClientException("interrupted", e);
        }
    }

    private HttpTransport.Answer getOrNull(String path) {
        try {
            return transport.get(path);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditClientException("interrupted", e);
        }
    }

    private static AuditClientException rejection(HttpTransport.Answer answer) {
        try {
            return problem(answer.status(), object(answer.body()));
        } catch (RuntimeException unreadable) {
            return new EventRejectedException(answer.status(), null, null,
                    new String(answer.body(), StandardCharsets.UTF_8));
        }
    }

    private static EventRejectedException problem(int status, JsonObject problem) {
        if (problem == null) {
            return new EventRejectedException(status, null, null, null);
        }
        String type = optional(problem, "type");
        String field = optional(problem, "field");
        if ("urn:stenographer:problem:idempotency-conflict".equals(type)) {
            return new IdempotencyConflictException(null, null, problemDetail(problem));
        }
        return new EventRejectedException(status, type, field, problemDetail(problem));
    }

    /** The field-level message when there is one (the same words the client's own validation uses). */
    private static String problemDetail(JsonObject problem) {
        if (problem == null) {
            return null;
        }
        if (problem.get("errors") instanceof JsonArray errors && errors.elements().size() == 1
                && errors.elements().get(0) instanceof JsonObject first && first.get("detail") instanceof JsonString d) {
            return d.value();
        }
        return optional(problem, "detail");
    }

    private static JsonObject object(byte[] body) {
        JsonValue parsed = JsonParser.parse(body, RESPONSE_DEPTH);
        if (!(parsed instanceof JsonObject object)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return object;
    }

    private static String string(JsonObject object, String name) {
        if (!(object.get(name) instanceof JsonString text)) {
            throw new IllegalArgumentException("'" + name + "' is missing or not a string");
        }
        return text.value();
    }

    private static String optional(JsonObject object, String name) {
        return object.get(name) instanceof JsonString text ? text.value() : null;
    }

    private static List<Hash> hashes(JsonValue value) {
        if (!(value instanceof JsonArray array)) {
            throw new IllegalArgumentException("expected an array of hashes");
        }
        List<Hash> hashes = new ArrayList<>();
        for (JsonValue element : array.elements()) {
            hashes.add(Hash.fromBase64(((JsonString) element).value()));
        }
        return hashes;
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    // ---- configuration -------------------------------------------------------------------------------------------

    /** Settings with their defaults; {@link #build()} checks them and starts the sender thread. */
    public static final class Builder {
        private final URI baseUri;
        private TenantId tenant;
        private String application;
        private Supplier<String> tokens;
        private int batchSize = 256;
        private int maxBatchBytes = 1_000_000;
        private int maxInFlightBatches = 4;
        private FailureListener failureListener = FailureListener.LOG;
        private Duration linger = Duration.ofMillis(100);
        private int queueCapacity = 10_000;
        private QueueFullPolicy queueFullPolicy = QueueFullPolicy.BLOCK;
        private Duration blockTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration deliveryTimeout = Duration.ofMinutes(5);
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration verifyTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(30);
        private NoteVerifier verifierKey;
        private String originPrefix = "stenographer.local";
        private Path stateDirectory;
        private Path spoolDirectory;
        private long maxSpoolBytes = 1L << 30;
        private long spoolSegmentBytes = 16L << 20;
        private SpoolListener spoolListener = SpoolListener.LOG;
        private IntegrityListener listener = violation -> { };
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private ExecutorService deliveries;
        private boolean closeOnShutdown = true;

        private Builder(URI baseUri) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            if (!"https".equals(baseUri.getScheme()) && !"http".equals(baseUri.getScheme())) {
                throw new IllegalArgumentException("baseUri must be an http or https URI, was " + baseUri);
            }
        }

        /** The tenant every event is recorded for; required. */
        public Builder tenant(String tenant) {
            try {
                this.tenant = new TenantId(tenant);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tenant: " + e.getMessage(), e);
            }
            return this;
        }

        /** {@code source.application} of every event; required. */
        public Builder application(String application) {
            this.application = application;
            return this;
        }

        /** Bearer tokens, asked for before every request; see {@link ClientCredentialsTokens}. Required. */
        public Builder tokens(Supplier<String> tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        /** Events per request, 1 to 1,000; default 256. */
        public Builder batchSize(int batchSize) {
            this.batchSize = within("batchSize", batchSize, 1, 1_000);
            return this;
        }

        /** Request body limit; keep it under the service's (1 MiB by default). Default 1,000,000 bytes. */
        public Builder maxBatchBytes(int maxBatchBytes) {
            this.maxBatchBytes = within("maxBatchBytes", maxBatchBytes, 1_024, 64 << 20);
            return this;
        }

        /**
         * Batches delivered at once (memory modes; SPOOL sends one at a time, in spool order); default 4. Events of
         * one batch reach the log in order; with 1, all events do.
         */
        public Builder maxInFlightBatches(int batches) {
            this.maxInFlightBatches = within("maxInFlightBatches", batches, 1, 64);
            return this;
        }

        /** Told of every event that ends without a receipt; default: one ERROR line through System.Logger. */
        public Builder failureListener(FailureListener listener) {
            this.failureListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** How long the sender waits for a batch to fill; default 100 ms. */
        public Builder linger(Duration linger) {
            this.linger = atMost("linger", linger, Duration.ofSeconds(60));
            return this;
        }

        /** Events held in memory before {@link QueueFullPolicy} applies; default 10,000. */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = within("queueCapacity", queueCapacity, 1, 10_000_000);
            return this;
        }

        public Builder queueFullPolicy(QueueFullPolicy policy) {
            this.queueFullPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** BLOCK's wait for room; default 5 s. */
        public Builder blockTimeout(Duration timeout) {
            this.blockTimeout = atMost("blockTimeout", timeout, Duration.ofHours(1));
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        /** How long a batch is retried before its events fail with {@link DeliveryFailedException}; default 5 min. */
        public Builder deliveryTimeout(Duration timeout) {
            this.deliveryTimeout = positive("deliveryTimeout", timeout);
            return this;
        }

        /** First retry wait (doubled each time, with jitter) and the largest; defaults 100 ms and 10 s. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = positive("initial backoff", initial);
            this.maxBackoff = positive("max backoff", max);
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff must not be less than the initial one");
            }
            return this;
        }

        /** How long {@link Receipt#verify()} waits for integration; default 30 s. */
        public Builder verifyTimeout(Duration timeout) {
            this.verifyTimeout = positive("verifyTimeout", timeout);
            return this;
        }

        /** How long {@link AuditClient#close()} waits to deliver what is queued; default 30 s. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = atMost("closeTimeout", timeout, Duration.ofHours(1));
            return this;
        }

        /**
         * The log's checkpoint key, in C2SP verifier-key form ({@code GET /api/v1/logs/{tenant}/verifier-key}),
         * obtained out of band and pinned here: receipts are verified against it and nothing else.
         */
        public Builder verifierKey(String verifierKey) {
            this.verifierKey = NoteVerifier.parse(verifierKey);
            return this;
        }

        /** The service's {@code stenographer.log.origin-prefix}; default {@code stenographer.local}. */
        public Builder originPrefix(String originPrefix) {
            new LogOrigins(originPrefix);
            this.originPrefix = originPrefix;
            return this;
        }

        /**
         * SPOOL mode's directory: the spool's segments, its acknowledgement file and (unless a state directory is set)
         * the last verified checkpoint. One client at a time per directory.
         */
        public Builder spoolDirectory(Path directory) {
            this.spoolDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** The most the spool may hold on disk before {@code log()} refuses events; default 1 GiB. */
        public Builder maxSpoolBytes(long bytes) {
            if (bytes < 1 << 20) {
                throw new IllegalArgumentException("maxSpoolBytes must be at least 1 MiB");
            }
            this.maxSpoolBytes = bytes;
            return this;
        }

        Builder spoolSegmentBytes(long bytes) {
            this.spoolSegmentBytes = bytes;
            return this;
        }

        /** Where outcomes of events spooled by an earlier run are reported; see {@link SpoolListener}. */
        public Builder spoolListener(SpoolListener listener) {
            this.spoolListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Where the last verified checkpoint is kept across restarts; default: memory only. */
        public Builder stateDirectory(Path directory) {
            this.stateDirectory = directory;
            return this;
        }

        public Builder integrityListener(IntegrityListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** A preconfigured client, e.g. with TLS settings; default: a new one with a 5 s connect timeout. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether the JVM's exit runs {@link AuditClient#close()} if the application has not (default true): it
         * delivers what is queued, waiting up to {@link #closeTimeout}, so exit can take that long when the service
         * is unreachable. Turn off only where the container closes the client itself.
         */
        public Builder closeOnShutdown(boolean closeOnShutdown) {
            this.closeOnShutdown = closeOnShutdown;
            return this;
        }

        /** Tests: the threads that run memory mode's deliveries (by default, maxInFlightBatches daemon threads). */
        Builder deliveries(ExecutorService deliveries) {
            this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
            return this;
        }

        public AuditClient build() {
            if (tenant == null) {
                throw new IllegalStateException("tenant is required");
            }
            if (application == null || application.isBlank()) {
                throw new IllegalStateException("application (source.application of every event) is required");
            }
            if (tokens == null) {
                throw new IllegalStateException("tokens is required: a supplier of bearer tokens");
            }
            if (queueFullPolicy == QueueFullPolicy.SPOOL && spoolDirectory == null) {
                throw new IllegalStateException("SPOOL needs a spoolDirectory");
            }
            return new AuditClient(this);
        }

        private static int within(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", was " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }

        private static Duration atMost(String name, Duration value, Duration max) {
            if (value == null || value.isNegative() || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be 0 to " + max);
            }
            return value;
        }
    }
}
