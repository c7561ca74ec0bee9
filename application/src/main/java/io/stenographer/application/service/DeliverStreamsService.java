package io.stenographer.application.service;

import io.stenographer.application.port.in.DeliverStreamsUseCase;
import io.stenographer.application.port.out.LeaseSinksPort;
import io.stenographer.application.port.out.LeaseSinksPort.SinkLease;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.SendStreamRecordsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkProgress;
import io.stenographer.domain.sink.SinkProgress.Inflight;
import io.stenographer.domain.sink.SinkState;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.stream.StreamCheckpointRecord;
import io.stenographer.domain.stream.StreamRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers sinks at least once, in index order. For a leased sink it repeats: decide the next batch (events up to the
 * published tree size, ending at a signed checkpoint when a checkpoint record is due), record it as in flight, send it
 * outside any transaction, and only then move the cursor, fenced by the lease. A batch is decided once: every retry,
 * by this instance or the one that takes the lease over, sends the same records under the same message id.
 *
 * <p>A failed attempt waits a doubling backoff (counted by the database's clock); a sink that keeps failing for its
 * dead-after time is declared dead, and one whose receiver answered "gone" is disabled; both are recorded in the
 * tenant's log and wait for a compliance-admin to resume them, cursor intact.
 */
public final class DeliverStreamsService implements DeliverStreamsUseCase {

    static final String SINK_DEAD = "stream.sink.dead";
    static final String SINK_DISABLED = "stream.sink.disabled";
    static final String SUBJECT = "stenographer-stream-worker";

    /** How long a lease lasts, the backoff's first and longest wait, and how long one sink may hold a worker. */
    public record Limits(Duration lease, Duration firstBackoff, Duration maxBackoff, Duration slice) {
        public Limits {
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(firstBackoff, "firstBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            Objects.requireNonNull(slice, "slice");
            if (slice.compareTo(lease.dividedBy(2)) > 0) {
                throw new IllegalArgumentException("a sink's time slice must be at most half its lease, so the lease is"
                        + " renewed before it can expire");
            }
        }

        public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofSeconds(10));
    }

    private final LeaseSinksPort leases;
    private final LoadLogPort log;
    private final ArchivedEventReader archived;
    private final SendStreamRecordsPort transports;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final Limits limits;

    public DeliverStreamsService(LeaseSinksPort leases, LoadLogPort log, ArchivedEventReader archived,
            SendStreamRecordsPort transports, SelfAudit selfAudit, TransactionRunner transactions, Clock clock,
            Limits limits) {
        this.leases = leases;
        this.log = log;
        this.archived = archived;
        this.transports = transports;
        this.selfAudit = selfAudit;
        this.transactions = transactions;
        this.clock = clock;
        this.limits = limits;
    }

    @Override
    public DeliveryPass deliver(String owner, int maxSinks) {
        List<SinkLease> claimed = transactions.inTransaction(() -> leases.claim(owner, limits.lease(), maxSinks));
        DeliveryPass pass = new DeliveryPass(claimed.size(), 0, 0, 0);
        for (SinkLease lease : claimed) {
            pass = add(pass, deliverSink(lease));
        }
        return pass;
    }

    private static DeliveryPass add(DeliveryPass a, DeliveryPass b) {
        return new DeliveryPass(a.sinks(), a.batches() + b.batches(), a.records() + b.records(),
                a.failures() + b.failures());
    }

    /** Batches until the sink is caught up, an attempt fails, the lease is lost, or the slice is used. */
    private DeliveryPass deliverSink(SinkLease claimed) {
        SinkLease lease = claimed;
        Instant sliceEnd = clock.instant().plus(limits.slice());
        int batches = 0;
        long records = 0;
        while (true) {
            Prepared prepared;
            try {
                prepared = prepare(lease);
            } catch (RuntimeException e) {
                // The log could not give the batch (e.g. an event past retention): a failed attempt like any other.
                fail(lease, lease.progress(), describe(e));
                return new DeliveryPass(0, batches, records, 1);
            }
            if (prepared == null) {
                release(lease);
                return new DeliveryPass(0, batches, records, 0);
            }
            lease = prepared.lease();
            SendStreamRecordsPort.Outcome outcome;
            try {
                outcome = transports.send(lease.sink(), lease.secrets(), prepared.batch());
            } catch (RuntimeException e) {
                outcome = new SendStreamRecordsPort.Failed("transport error: " + describe(e));
            }
            if (outcome instanceof SendStreamRecordsPort.Delivered) {
                SinkProgress acknowledged = lease.progress().acknowledged(clock.instant());
                SinkLease current = lease;
                if (!transactions.inTransaction(() -> leases.save(current, acknowledged, null))) {
                    return new DeliveryPass(0, batches, records, 0); // lost: whoever holds it now redelivers
                }
                batches++;
                records += prepared.batch().events().size();
                lease = lease.with(acknowledged);
                if (clock.instant().isAfter(sliceEnd)) {
                    release(lease);
                    return new DeliveryPass(0, batches, records, 0);
                }
                // The next prepare renews the lease in its own transaction: one commit fewer per batch.
            } else if (outcome instanceof SendStreamRecordsPort.Gone gone) {
                SinkProgress progress = lease.progress().failedAttempt(gone.reason(), clock.instant(), limits.maxBackoff());
                SinkLease current = lease;
                transactions.inTransaction(() -> {
                    if (leases.save(current, progress, SinkState.DISABLED)) {
                        stateChange(current, SINK_DISABLED, gone.reason(), progress);
                    }
                    return null;
                });
                return new DeliveryPass(0, batches, records, 1);
            } else {
                fail(lease, lease.progress(), ((SendStreamRecordsPort.Failed) outcome).reason());
                return new DeliveryPass(0, batches, records, 1);
            }
        }
    }

    private void fail(SinkLease lease, SinkProgress progress, String reason) {
        Instant now = clock.instant();
        SinkProgress failed = progress.failedAttempt(reason, now, backoff(progress.attempts()));
        boolean dead = Duration.between(failed.failingSince(), now).compareTo(lease.sink().settings().deadAfter()) >= 0;
        transactions.inTransaction(() -> {
            if (leases.save(lease, failed, dead ? SinkState.DEAD : null)) {
                if (dead) {
                    stateChange(lease, SINK_DEAD, reason, failed);
                }
                leases.release(lease);
            }
            return null;
        });
    }

    /** 1 s, 2 s, 4 s ... up to the longest wait. */
    Duration backoff(int failedBefore) {
        Duration wait = limits.firstBackoff().multipliedBy(1L << Math.min(failedBefore, 20));
        return wait.compareTo(limits.maxBackoff()) > 0 ? limits.maxBackoff() : wait;
    }

    private void release(SinkLease lease) {
        transactions.inTransaction(() -> {
            leases.release(lease);
            return null;
        });
    }

    private record Prepared(SinkLease lease, StreamBatch batch) {
    }

    /**
     * The next batch, recorded as in flight under the lease before it is built; null when there is nothing to send
     * (or the lease was lost).
     */
    private Prepared prepare(SinkLease lease) {
        return transactions.inTransaction(() -> {
            // A full lease before every send: the configuration makes a lease outlast the longest attempt, so no
            // other instance can take the sink while this batch is on the wire.
            if (!leases.renew(lease, limits.lease())) {
                return null;
            }
            SinkProgress progress = lease.progress();
            Inflight inflight = progress.inflight();
            TenantId tenant = lease.tenant();
            SinkLease holding = lease;
            if (inflight == null) {
                inflight = nextBatch(lease.sink(), progress);
                if (inflight == null) {
                    return null;
                }
                SinkProgress attempting = progress.attempting(inflight);
                if (!leases.save(lease, attempting, null)) {
                    return null;
                }
                holding = lease.with(attempting);
            }
            return new Prepared(holding, build(holding, tenant, inflight));
        });
    }

    /**
     * Events {@code [cursor, min(published, cursor + batch))}; when a checkpoint record is due (enough records, or
     * enough time, since the last), the batch ends at the largest signed checkpoint inside it and carries that
     * checkpoint. A caught-up sink whose records are not yet covered gets a checkpoint-only batch when time is due.
     */
    private Inflight nextBatch(Sink sink, SinkProgress progress) {
        long published = log.latestCheckpoint(sink.tenant()).map(PublishedCheckpoint::treeSize).orElse(0L);
        long cursor = progress.cursor();
        Instant now = clock.instant();
        boolean timeDue = progress.lastCheckpointAt() == null
                || !now.isBefore(progress.lastCheckpointAt().plus(sink.settings().checkpointEvery()));
        if (cursor >= published) {
            return cursor == published && cursor > progress.checkpointFrom() && timeDue
                    ? new Inflight(cursor, cursor, cursor) : null;
        }
        long end = Math.min(published, cursor + sink.settings().batchSize());
        boolean due = timeDue
                || progress.recordsSinceCheckpoint() + (end - cursor) >= sink.settings().checkpointEveryRecords();
        if (due) {
            Optional<PublishedCheckpoint> inside = log.lastCheckpointBetween(sink.tenant(), cursor, end);
            if (inside.isPresent()) {
                return new Inflight(cursor, inside.get().treeSize(), inside.get().treeSize());
            }
        }
        return new Inflight(cursor, end, -1);
    }

    private StreamBatch build(SinkLease lease, TenantId tenant, Inflight inflight) {
        List<StreamRecord> events = new ArrayList<>((int) (inflight.to() - inflight.from()));
        if (inflight.to() > inflight.from()) {
            List<LoadLogPort.LeafWithEvent> rows = log.leavesWithEvents(tenant, inflight.from(), inflight.to());
            if (rows.size() != inflight.to() - inflight.from()) {
                throw new LogIntegrityViolation("leaves [" + inflight.from() + ", " + inflight.to() + ") of " + tenant
                        + " are incomplete; run a verification");
            }
            ArchivedEventReader.IndexCursor archive = null;
            for (LoadLogPort.LeafWithEvent row : rows) {
                LogLeaf leaf = row.leaf();
                AuditEvent event = row.event();
                if (event == null && row.purged()) {
                    archive = archive == null ? archived.cursor(tenant) : archive;
                    event = archive.event(leaf.index()).orElseThrow(() -> new LogIntegrityViolation("the event at index "
                            + leaf.index() + " is past retention (purged, its archive copy deleted); replay from a later"
                            + " index"));
                }
                if (event == null) {
                    throw new LogIntegrityViolation("event " + leaf.eventId() + " at index " + leaf.index()
                            + " is missing or unreadable; run a verification");
                }
                // The sealed form is built, canonicalised and hashed once: it is both the check and the record.
                JsonObject sealed = SealedEventFormat.toJson(event);
                Hash leafHash = MerkleHashes.leafHash(CanonicalJson.canonicalBytes(sealed));
                if (!leafHash.equals(leaf.leafHash())) {
                    throw new LogIntegrityViolation("event " + leaf.eventId() + " does not hash to its leaf at index "
                            + leaf.index() + "; run a verification");
                }
                events.add(new StreamRecord(leaf.index(), leafHash, tenant.value(), sealed));
            }
        }
        Optional<StreamCheckpointRecord> checkpoint = Optional.empty();
        if (inflight.hasCheckpoint()) {
            long size = inflight.checkpointSize();
            PublishedCheckpoint published = log.checkpointAt(tenant, size).orElseThrow(() -> new LogIntegrityViolation(
                    "the checkpoint of size " + size + " of " + tenant + " is gone"));
            long from = lease.progress().checkpointFrom();
            StoredTree tree = new StoredTree(log, tenant, size, new LogCache(16));
            checkpoint = Optional.of(tree.compute(source -> StreamCheckpointRecord.of(tenant.value(),
                    published.signedNote(), from, size, source)));
        }
        return new StreamBatch(StreamBatch.messageId(lease.id(), lease.generation(), inflight.from(), inflight.to()),
                tenant.value(), inflight.from(), inflight.to(), events, checkpoint);
    }

    private void stateChange(SinkLease lease, String action, String reason, SinkProgress progress) {
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("sinkId", new JsonString(lease.id().toString()));
        metadata.put("name", new JsonString(lease.sink().name()));
        metadata.put("target", new JsonString(lease.sink().target().describe()));
        metadata.put("cursor", new JsonNumber(progress.cursor()));
        metadata.put("failedAttempts", new JsonNumber(progress.attempts()));
        metadata.put("lastError", new JsonString(reason));
        selfAudit.recordReturning(SUBJECT, lease.tenant(), action,
                new ResourceRef(ManageSinksService.RESOURCE_TYPE, lease.id().toString()), new JsonObject(metadata));
    }

    private static String describe(RuntimeException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
