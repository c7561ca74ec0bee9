package io.stenographer.bench.log;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventBytes;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LeafWithStoredFields;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * What verifying one stored event costs in CPU, without a database: the domain path (rebuild the event from its
 * columns, canonical JSON, SHA-256), the column path (canonical bytes straight from the columns, SHA-256) and the
 * hash floor (SHA-256 alone over the same bytes), on one thread and on all cores. Not JMH: a few rounds after a
 * warm-up, median and spread; good for ratios, not for absolute figures on a shared machine.
 *
 * <p>Run: {@code java -cp bench/target/classes:domain/target/classes
 * io.stenographer.bench.log.CanonicalBytesMeasurement [events] [rounds]}
 */
public final class CanonicalBytesMeasurement {

    private static volatile int sink;

    private CanonicalBytesMeasurement() {
    }

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        TenantId tenant = TenantId.of("bench");
        SplittableRandom random = new SplittableRandom(1);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        StoredEventFields[] stored = new StoredEventFields[events];
        LogLeaf[] leaves = new LogLeaf[events];
        byte[][] inputs = new byte[events][];
        for (int i = 0; i < events; i++) {
            Instant at = start.plusMillis(i);
            AuditEvent event = Events.sealed(tenant, i, at, at.plusMillis(3), random);
            stored[i] = StoredEventFields.of(event);
            inputs[i] = event.leafInput();
            leaves[i] = new LogLeaf(tenant, i, event.id(), event.leafHash());
            if (!Arrays.equals(SealedEventBytes.leafInput(stored[i]), inputs[i])) {
                throw new IllegalStateException("column bytes differ from the domain's at " + i);
            }
        }
        long totalBytes = Arrays.stream(inputs).mapToLong(b -> b.length).sum();
        System.out.printf("%d events, mean leaf input %d bytes, %d cores, %d rounds after 2 warm-up rounds%n",
                events, totalBytes / events, Runtime.getRuntime().availableProcessors(), rounds);

        IntConsumer domainPath = i -> sink ^= stored[i].restore().leafHash().bytes()[0];
        IntConsumer columnBytes = i -> sink ^= SealedEventBytes.leafInput(stored[i]).length;
        IntConsumer columnPath = i -> sink ^= LeafWithStoredFields.check(leaves[i], stored[i], null)
                .eventMatchesLeaf() ? 1 : 0;
        IntConsumer hashFloor = i -> sink ^= MerkleHashes.leafHash(inputs[i]).bytes()[0];

        measure("domain path: restore + leafInput + SHA-256, 1 thread ", events, rounds, domainPath, false);
        measure("domain path: restore + leafInput + SHA-256, all cores", events, rounds, domainPath, true);
        measure("column bytes only (SealedEventBytes), 1 thread      ", events, rounds, columnBytes, false);
        measure("column path: bytes + SHA-256 + compare, 1 thread    ", events, rounds, columnPath, false);
        double column = measure("column path: bytes + SHA-256 + compare, all cores   ", events, rounds, columnPath,
                true);
        measure("hash floor: SHA-256 of leaf input, 1 thread         ", events, rounds, hashFloor, false);
        double floor = measure("hash floor: SHA-256 of leaf input, all cores        ", events, rounds, hashFloor,
                true);
        System.out.printf("column path / hash floor, all cores: %.2f%n", column / floor);
    }

    /** Events per second over {@code rounds} rounds: prints the median and the spread, returns the median. */
    private static double measure(String what, int events, int rounds, IntConsumer perEvent, boolean allCores) {
        double[] rates = new double[rounds];
        for (int round = -2; round < rounds; round++) {
            long t0 = System.nanoTime();
            IntStream range = IntStream.range(0, events);
            (allCores ? range.parallel() : range).forEach(perEvent);
            long nanos = System.nanoTime() - t0;
            if (round >= 0) {
                rates[round] = events * 1e9 / nanos;
            }
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted[rounds / 2];
        System.out.printf("%s  median %,10.0f events/s  (min %,10.0f, max %,10.0f, spread %4.1f%%)%n", what, median,
                sorted[0], sorted[rounds - 1], 100 * (sorted[rounds - 1] - sorted[0]) / median);
        return median;
    }
}
