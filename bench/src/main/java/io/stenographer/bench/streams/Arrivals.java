package io.stenographer.bench.streams;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;

/**
 * What one transport's receiver got: the first arrival time of each leaf index and of each paced event, the
 * contiguous frontier (every index below it arrived), duplicates (at-least-once redelivery) and checkpoint records.
 * Records are the native stream format's lines; arrival times are this JVM's {@link System#nanoTime()} when the
 * receiver had the record (see {@link Receivers} for how close to the true arrival each collector stamps).
 */
final class Arrivals {

    private final String transport;
    private final Ledger ledger;
    private final LongSeries byIndex = new LongSeries();
    private final LongSeries bySeq = new LongSeries();
    private long frontier = -1;
    private long records;
    private long duplicates;
    private long checkpoints;
    private long unreadable;

    Arrivals(String transport, Ledger ledger) {
        this.transport = transport;
        this.ledger = ledger;
    }

    String transport() {
        return transport;
    }

    /** The sink's first index: the frontier starts there. */
    synchronized void startAt(long index) {
        frontier = index;
        advance();
    }

    /** One line of the native format, as text. */
    void line(String text, long nanos) {
        JsonValue value;
        try {
            value = JsonParser.parse(text, 64);
        } catch (RuntimeException e) {
            synchronized (this) {
                unreadable++;
            }
            return;
        }
        record(value, nanos);
    }

    /** A webhook body: {@code {"records":[...], ...}}. */
    void webhookBody(String body, long nanos) {
        JsonValue value;
        try {
            value = JsonParser.parse(body, 64);
        } catch (RuntimeException e) {
            synchronized (this) {
                unreadable++;
            }
            return;
        }
        if (value instanceof JsonObject o && o.get("records") instanceof JsonArray records) {
            for (JsonValue record : records.elements()) {
                record(record, nanos);
            }
        } else {
            synchronized (this) {
                unreadable++;
            }
        }
    }

    private void record(JsonValue value, long nanos) {
        if (!(value instanceof JsonObject o) || !(o.get("kind") instanceof JsonString kind)) {
            synchronized (this) {
                unreadable++;
            }
            return;
        }
        if (kind.value().equals("checkpoint")) {
            synchronized (this) {
                checkpoints++;
            }
            return;
        }
        if (!(o.get("index") instanceof JsonNumber index)) {
            synchronized (this) {
                unreadable++;
            }
            return;
        }
        int seq = 0;
        if (o.get("event") instanceof JsonObject event && event.get("correlationId") instanceof JsonString id
                && id.value().startsWith(Ledger.CORRELATION_PREFIX)) {
            seq = Integer.parseInt(id.value().substring(Ledger.CORRELATION_PREFIX.length()));
        }
        long leaf = (long) index.value();
        if (seq > 0) {
            ledger.seenAt(seq, leaf);
        }
        synchronized (this) {
            records++;
            if (!byIndex.setIfAbsent(leaf, nanos)) {
                duplicates++;
            }
            if (seq > 0) {
                bySeq.setIfAbsent(seq, nanos);
            }
            advance();
        }
    }

    private void advance() {
        if (frontier < 0) {
            return;
        }
        while (byIndex.get(frontier) != 0) {
            frontier++;
        }
    }

    /** Every index from the sink's start up to (not including) this one arrived. */
    synchronized long frontier() {
        return frontier;
    }

    /** First arrival of the paced event {@code seq}; 0 if it has not arrived. */
    synchronized long arrivalOf(int seq) {
        return bySeq.get(seq);
    }

    /** The latest first-arrival among indices {@code [from, to)}; 0 if one of them has not arrived. */
    synchronized long completedAt(long from, long to) {
        long latest = 0;
        for (long i = from; i < to; i++) {
            long at = byIndex.get(i);
            if (at == 0) {
                return 0;
            }
            latest = Math.max(latest, at);
        }
        return latest;
    }

    synchronized String counts() {
        return String.format(java.util.Locale.ROOT, "%s: %,d event records (%,d duplicates), %,d checkpoint records,"
                + " %,d unreadable, frontier %,d", transport, records, duplicates, checkpoints, unreadable, frontier);
    }
}
