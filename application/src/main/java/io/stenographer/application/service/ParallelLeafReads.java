package io.stenographer.application.service;

import io.stenographer.application.port.out.LoadLeafFieldsPort;
import io.stenographer.application.port.out.LoadLeafFieldsPort.LeafFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LeafWithStoredFields;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Reads a tenant's leaves with their events for verification over several database statements at once and hands
 * them back in index order, each range already being hashed on the common pool. One statement is served by one
 * database backend, which bounds the read speed however many cores hash; so the log is cut into stripes of
 * {@code stripeLeaves} leaves, and stream {@code k} of {@code streams} reads stripes {@code k}, {@code k + streams},
 * ... one statement each. Each stream holds at most two ranges ahead of the consumer, so memory stays bounded.
 */
public final class ParallelLeafReads {

    /** A range of leaves {@code [from, to)}, in index order, whose checks run on the common pool. */
    public record CheckedRange(long from, long to, CompletableFuture<List<LeafWithStoredFields>> checks) {

        /** The checked leaves, waiting for their hashing to finish. */
        public List<LeafWithStoredFields> leaves() {
            try {
                return checks.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
    }

    private static final int MAX_ROWS = 10_000;
    /** Events may be up to 256 KiB, so a range also ends once its stored fields reach this many bytes. */
    private static final long MAX_BYTES = 32L * 1024 * 1024;
    private static final int AHEAD_PER_STREAM = 2;

    private final LoadLeafFieldsPort leafFields;
    private final int streams;
    private final long stripeLeaves;

    /**
     * @param streams      statements read at once; 1 reads the log with one statement
     * @param stripeLeaves leaves per statement when {@code streams > 1}
     */
    public ParallelLeafReads(LoadLeafFieldsPort leafFields, int streams, long stripeLeaves) {
        if (streams < 1 || stripeLeaves < 1) {
            throw new IllegalArgumentException("streams and stripe size must be positive");
        }
        this.leafFields = leafFields;
        this.streams = streams;
        this.stripeLeaves = stripeLeaves;
    }

    /** One statement per four cores, at least one and at most four: one backend, not the hashing, limits a stream. */
    public static int streamsFor(int cores) {
        return Math.max(1, Math.min(4, cores / 4));
    }

    /**
     * Hands {@code consumer} the ranges that cover {@code [from, treeSize)} in index order, on this thread, until it
     * returns false. A read that fails ends the call with its exception, after the other reads are stopped.
     */
    public void inIndexOrder(TenantId tenant, long from, long treeSize, Predicate<CheckedRange> consumer) {
        if (from < 0) {
            throw new IllegalArgumentException("from must be >= 0, was " + from);
        }
        if (treeSize <= from) {
            return;
        }
        long stripe = streams == 1 ? treeSize - from : stripeLeaves;
        long stripes = (treeSize - from + stripe - 1) / stripe;
        int readers = (int) Math.min(streams, stripes);
        List<BlockingQueue<Object>> queues = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(readers, task -> {
            Thread thread = new Thread(task, "verify-read-" + tenant.value());
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int k = 0; k < readers; k++) {
                BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD_PER_STREAM);
                queues.add(queue);
                int first = k;
                pool.execute(() -> read(tenant, from, treeSize, stripe, first, readers, queue));
            }
            for (long s = 0; s < stripes; s++) {
                BlockingQueue<Object> queue = queues.get((int) (s % readers));
                long stripeEnd = Math.min(treeSize, from + (s + 1) * stripe);
                long covered = from + s * stripe;
                while (covered < stripeEnd) {
                    Object item = take(queue);
                    if (item instanceof RuntimeException failure) {
                        throw failure;
                    }
                    if (item instanceof Error failure) {
                        throw failure;
                    }
                    CheckedRange range = (CheckedRange) item;
                    if (range.from() != covered) {
                        throw new IllegalStateException("ranges out of order: expected " + covered + ", got "
                                + range.from());
                    }
                    if (!consumer.test(range)) {
                        return;
                    }
                    covered = range.to();
                }
            }
        } finally {
            pool.shutdownNow(); // interrupts readers waiting to hand over: their statements are cancelled
        }
    }

    /** Stream {@code first}: stripes {@code first, first + readers, ...}, each with one statement. */
    private void read(TenantId tenant, long from, long treeSize, long stripe, int first, int readers,
            BlockingQueue<Object> queue) {
        try {
            for (long s = first; from + s * stripe < treeSize; s += readers) {
                long start = from + s * stripe;
                boolean[] going = {true};
                leafFields.streamLeavesWithFields(tenant, start, Math.min(treeSize, start + stripe), MAX_ROWS,
                        MAX_BYTES, (rangeFrom, rangeTo, rows) -> going[0] = handOver(queue, new CheckedRange(
                                rangeFrom, rangeTo, CompletableFuture.supplyAsync(() -> checked(rows)))));
                if (!going[0]) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            handOver(queue, e);
        }
    }

    private static boolean handOver(BlockingQueue<Object> queue, Object item) {
        try {
            queue.put(item);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Object take(BlockingQueue<Object> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("verification interrupted", e);
        }
    }

    /** Each leaf's hash is independent of the others', so a range's leaves are hashed on all cores. */
    private static List<LeafWithStoredFields> checked(List<LeafFields> rows) {
        LeafWithStoredFields[] checked = new LeafWithStoredFields[rows.size()];
        IntStream.range(0, checked.length).parallel().forEach(i -> {
            LeafFields row = rows.get(i);
            checked[i] = LeafWithStoredFields.check(row.leaf(), row.fields(), row.archivedLeafHash());
        });
        return List.of(checked);
    }
}
