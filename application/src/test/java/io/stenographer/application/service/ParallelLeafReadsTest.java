package io.stenographer.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.LoadLeafFieldsPort;
import io.stenographer.application.service.ParallelLeafReads.CheckedRange;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LeafWithStoredFields;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.merkle.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several statements read at once, one stripe each, and the ranges still arrive in index order, each exactly once;
 * a consumer can stop early, and a failed read ends the verification with its error instead of a partial pass.
 */
class ParallelLeafReadsTest {

    private static final TenantId ACME = TenantId.of("acme");

    /** Leaves with no event row (as if purged), cut into ranges of at most {@code maxRows}, as the adapter cuts. */
    private static final class Leaves implements LoadLeafFieldsPort {
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger statements = new AtomicInteger();
        long failAt = -1;

        @Override
        public void streamLeavesWithFields(TenantId tenant, long from, long to, int maxRows, long maxBytes,
                LeafRanges ranges) {
            statements.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            for (long start = from; start < to; start += 7) { // ranges shorter than maxRows: the byte bound
                long end = Math.min(to, start + 7);
                if (failAt >= start && failAt < end) {
                    throw new IllegalStateException("database unavailable at " + failAt);
                }
                List<LeafFields> rows = new ArrayList<>();
                for (long i = start; i < end; i++) {
                    Hash hash = new Hash(new byte[32]);
                    rows.add(new LeafFields(new LogLeaf(tenant, i, new EventId(new UUID(0, i + 1)), hash), null,
                            hash));
                }
                if (!ranges.next(start, end, rows)) {
                    return;
                }
            }
        }
    }

    @Test
    void rangesFromSeveralStatementsArriveInIndexOrderEachOnce() {
        Leaves leaves = new Leaves();
        List<Long> indices = new ArrayList<>();
        long[] covered = {0};
        new ParallelLeafReads(leaves, 3, 50).inIndexOrder(ACME, 0, 1_003, range -> {
            assertThat(range.from()).isEqualTo(covered[0]);
            covered[0] = range.to();
            for (LeafWithStoredFields leaf : range.leaves()) {
                indices.add(leaf.leaf().index());
                assertThat(leaf.purged()).isTrue();
            }
            return true;
        });
        assertThat(covered[0]).isEqualTo(1_003);
        assertThat(indices).hasSize(1_003).isSorted().doesNotHaveDuplicates();
        assertThat(leaves.statements).hasValue(21); // 1,003 leaves in stripes of 50
        assertThat(leaves.threads).allMatch(name -> name.startsWith("verify-read-acme"));
    }

    @Test
    void anIncrementalReadStartsAtItsFirstLeafAndReadsNothingBelow() {
        Leaves leaves = new Leaves();
        List<Long> indices = new ArrayList<>();
        new ParallelLeafReads(leaves, 2, 50).inIndexOrder(ACME, 930, 1_003, range -> {
            range.leaves().forEach(leaf -> indices.add(leaf.leaf().index()));
            return true;
        });
        assertThat(indices).hasSize(73).isSorted().doesNotHaveDuplicates();
        assertThat(indices.get(0)).isEqualTo(930);
        assertThat(leaves.statements).hasValue(2); // [930, 980) and [980, 1003)
    }

    @Test
    void oneStreamReadsTheWholeLogWithOneStatement() {
        Leaves leaves = new Leaves();
        List<CheckedRange> ranges = new ArrayList<>();
        new ParallelLeafReads(leaves, 1, 50).inIndexOrder(ACME, 0, 300, ranges::add);
        assertThat(leaves.statements).hasValue(1);
        assertThat(ranges.get(ranges.size() - 1).to()).isEqualTo(300);
    }

    @Test
    void aConsumerThatStopsEndsTheReadsEarly() {
        Leaves leaves = new Leaves();
        List<Long> seen = new ArrayList<>();
        new ParallelLeafReads(leaves, 2, 20).inIndexOrder(ACME, 0, 10_000, range -> {
            seen.add(range.from());
            return range.to() < 30;
        });
        assertThat(seen).containsExactly(0L, 7L, 14L, 20L, 27L);
    }

    @Test
    void aFailedReadEndsTheCallWithItsErrorAfterTheRangesBeforeIt() {
        Leaves leaves = new Leaves();
        leaves.failAt = 130;
        List<Long> seen = new ArrayList<>();
        assertThatThrownBy(() -> new ParallelLeafReads(leaves, 3, 40).inIndexOrder(ACME, 0, 400, range -> {
            seen.add(range.to());
            return true;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("database unavailable at 130");
        assertThat(seen).isNotEmpty().allMatch(to -> to <= 130);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(127L);
    }

    @Test
    void anEmptyLogReadsNothing() {
        Leaves leaves = new Leaves();
        new ParallelLeafReads(leaves, 4, 10).inIndexOrder(ACME, 0, 0, range -> {
            throw new AssertionError("no range expected");
        });
        assertThat(leaves.statements).hasValue(0);
        assertThatThrownBy(() -> new ParallelLeafReads(leaves, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ParallelLeafReads.streamsFor(2)).isEqualTo(1);
        assertThat(ParallelLeafReads.streamsFor(8)).isEqualTo(2);
        assertThat(ParallelLeafReads.streamsFor(64)).isEqualTo(4);
    }
}
