package io.stenographer.bench.log;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.merkle.MerkleHashes;
import java.io.StringReader;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Bulk load for measurements 2 and 3: N sealed events generated in this JVM with the domain classes
 * and COPYed into audit_event (CSV, chunked, one transaction per chunk) as the schema owner. The
 * AFTER INSERT trigger queues every row for the sequencer, exactly as for ingested events. A
 * generator thread overlaps building the next chunk with COPYing the current one. The leaf inputs of the
 * first {@code keep} events are kept for the raw SHA-256 floor of measurement 3 (all of them by default; the log
 * benchmark keeps a sample, so that 10M events stream through without being held in memory).
 */
public final class MillionLoader {

    private static final String COPY = "COPY audit_event (id, tenant, received_at, submitted_by, actor_id, actor_type,"
            + " actor_display_name, action, resource_type, resource_id, reason, outcome, occurred_at,"
            + " source_application, source_ip, source_user_agent, correlation_id, metadata, client_event_id,"
            + " leaf_hash) FROM STDIN WITH (FORMAT csv)";
    private static final HexFormat HEX = HexFormat.of();
    private static final String END = "";

    public record Result(int events, double seconds, double generateSeconds, byte[][] leafInputs, long leafInputBytes) {
    }

    private final Connection db;

    public MillionLoader(Connection db) {
        this.db = db;
    }

    public Result load(TenantId tenant, int events, int chunk) throws Exception {
        return load(tenant, 0, events, chunk, events);
    }

    /**
     * Loads events numbered {@code first .. first + events - 1} (so that a second call grows the same log with
     * distinct events) and keeps the leaf inputs of the first {@code keep} of them.
     */
    public Result load(TenantId tenant, int first, int events, int chunk, int keep) throws Exception {
        return load(tenant, first, events, chunk, keep, null);
    }

    /** As above, every event received at {@code receivedAt} (its id too is of that instant); null: now. */
    public Result load(TenantId tenant, int first, int events, int chunk, int keep, Instant receivedAt)
            throws Exception {
        return load(tenant, first, events, chunk, keep, receivedAt, Duration.ZERO);
    }

    /**
     * As above, with occurrence times spread evenly over {@code occurredSpread} before the last one, in index
     * order (zero: all at one instant), as a log that grew over that time would hold them.
     */
    public Result load(TenantId tenant, int first, int events, int chunk, int keep, Instant receivedAt,
            Duration occurredSpread) throws Exception {
        byte[][] leafInputs = new byte[Math.min(keep, events)][];
        long[] inputBytes = new long[1];
        BlockingQueue<String> chunks = new ArrayBlockingQueue<>(2);
        long[] generateNanos = new long[1];
        Throwable[] failure = new Throwable[1];
        Thread generator = new Thread(() -> {
            try {
                SplittableRandom random = new SplittableRandom(20261127L + first);
                Instant occurredAt = (receivedAt != null ? receivedAt : Instant.now()).minus(1, ChronoUnit.HOURS)
                        .truncatedTo(ChronoUnit.MILLIS);
                for (int from = 0; from < events; from += chunk) {
                    long t0 = System.nanoTime();
                    int to = Math.min(events, from + chunk);
                    Instant received = receivedAt != null ? receivedAt : Instant.now();
                    StringBuilder csv = new StringBuilder((to - from) * 760);
                    for (int i = from; i < to; i++) {
                        Instant occurred = occurredSpread.isZero() ? occurredAt : occurredAt.minusMillis(
                                occurredSpread.toMillis() / events * (events - 1L - i));
                        AuditEvent event = Events.sealed(tenant, first + i, occurred, received, random);
                        byte[] leafInput = event.leafInput();
                        inputBytes[0] += leafInput.length;
                        if (i < leafInputs.length) {
                            leafInputs[i] = leafInput;
                        }
                        row(csv, event, MerkleHashes.leafHash(leafInput).bytes());
                    }
                    generateNanos[0] += System.nanoTime() - t0;
                    chunks.put(csv.toString());
                }
            } catch (Throwable e) {
                failure[0] = e;
            } finally {
                try {
                    chunks.put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "generator");
        generator.setDaemon(true);
        long started = System.nanoTime();
        generator.start();
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(true);
        long copied = 0;
        try {
            for (int round = 0; round <= events / chunk + 1; round++) {
                String csv = chunks.poll(10, TimeUnit.MINUTES);
                if (csv == null || csv.isEmpty()) {
                    break;
                }
                copied += copy.copyIn(COPY, new StringReader(csv));
                if ((copied / chunk) % 10 == 0) {
                    LogBenchmark.log(String.format("copied %,d / %,d events", copied, events));
                }
            }
        } finally {
            db.setAutoCommit(autoCommit);
        }
        generator.join();
        if (failure[0] != null) {
            throw new IllegalStateException("generating events failed", failure[0]);
        }
        if (copied != events) {
            throw new IllegalStateException("copied " + copied + " rows, expected " + events);
        }
        return new Result(events, (System.nanoTime() - started) / 1e9, generateNanos[0] / 1e9, leafInputs,
                inputBytes[0]);
    }

    private static void row(StringBuilder csv, AuditEvent event, byte[] leafHash) {
        EventDraft c = event.content();
        field(csv, event.id().toString()).append(',');
        field(csv, c.tenant().value()).append(',');
        field(csv, event.receivedAt().toString()).append(',');
        field(csv, event.submittedBy()).append(',');
        field(csv, c.actor().id()).append(',');
        field(csv, c.actor().type().wireName()).append(',');
        field(csv, c.actor().displayName()).append(',');
        field(csv, c.action().value()).append(',');
        field(csv, c.resource() == null ? null : c.resource().type()).append(',');
        field(csv, c.resource() == null ? null : c.resource().id()).append(',');
        field(csv, c.reason()).append(',');
        field(csv, c.outcome().wireName()).append(',');
        field(csv, c.occurredAt().toString()).append(',');
        field(csv, c.source().application()).append(',');
        field(csv, c.source().ip()).append(',');
        field(csv, c.source().userAgent()).append(',');
        field(csv, c.correlationId()).append(',');
        field(csv, CanonicalJson.canonicalize(c.metadata())).append(',');
        field(csv, c.clientEventId()).append(',');
        csv.append("\\x").append(HEX.formatHex(leafHash)).append('\n');
    }

    /** CSV: null is an unquoted empty field; every value is quoted, quotes doubled. */
    private static StringBuilder field(StringBuilder csv, String value) {
        if (value == null) {
            return csv;
        }
        csv.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"') {
                csv.append('"');
            }
            csv.append(ch);
        }
        return csv.append('"');
    }
}
