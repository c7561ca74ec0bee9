package io.stenographer.bench.streams;

/**
 * What the benchmark knows of each paced event (a sequence number it put into the event's correlation id,
 * {@value #CORRELATION_PREFIX}{@code <seq>}): when the ingest request that carried it was acknowledged, and at which
 * leaf index a receiver saw it. Times are {@link System#nanoTime()} of this JVM, as are the receivers' arrival times.
 */
final class Ledger {

    static final String CORRELATION_PREFIX = "req-sb-";

    private final LongSeries acknowledged = new LongSeries();
    private final LongSeries indexPlusOne = new LongSeries();

    synchronized void acknowledged(int firstSeq, int count, long nanos) {
        for (int s = firstSeq; s < firstSeq + count; s++) {
            acknowledged.setIfAbsent(s, nanos);
        }
    }

    /** When the request carrying {@code seq} was acknowledged; 0 if it was not. */
    synchronized long acknowledgedAt(int seq) {
        return acknowledged.get(seq);
    }

    synchronized void seenAt(int seq, long index) {
        indexPlusOne.setIfAbsent(seq, index + 1);
    }

    /** The leaf index a receiver saw the event at; -1 if none did. */
    synchronized long indexOf(int seq) {
        return indexPlusOne.get(seq) - 1;
    }
}
