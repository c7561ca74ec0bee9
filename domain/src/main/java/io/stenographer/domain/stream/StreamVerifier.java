package io.stenographer.domain.stream;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleFrontier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks a captured stream (docs/STREAMING.md), line by line, trusting only the key set (and origin) it is given.
 *
 * <ul>
 *   <li>every event record's leaf hash is recomputed from the sealed event it carries ({@link StreamEvents});</li>
 *   <li>duplicates (at-least-once delivery) are counted when identical, and fail when the same index or the same
 *       event id comes back with other content;</li>
 *   <li>gaps: every index between the first and the last one seen must be there;</li>
 *   <li>every checkpoint record's note must be signed by the key valid at its size, its size must be the end of its
 *       range, its consistency proof must lead from the tree of its {@code fromIndex} (the previous checkpoint
 *       record's, when the capture holds it, else the tree its frontier describes), and a range must start where
 *       the previous checkpoint record ended;</li>
 *   <li>inclusion: the frontier of {@code fromIndex} extended with the capture's leaves {@code fromIndex..toIndex-1}
 *       must give the signed root. That proves every leaf of the range is the tree's leaf at its index, whether or
 *       not the capture starts at index 0. A range with leaves missing from the capture proves nothing about them.</li>
 *   <li>truncated records (events too large for the sink's messages) fill their index, so they are no gap, and their
 *       claimed leaf hash takes part in the inclusion check; but their event is not in the stream, so they are
 *       reported as not verifiable from it (fetch them from the API) and never counted as proven included.</li>
 * </ul>
 *
 * <p>Memory: one leaf hash and event id per index seen (a few hundred bytes each).
 */
public final class StreamVerifier {

    /** Lines of a stream: native records, or OCSF event objects with native checkpoint records. */
    public enum Format {
        NATIVE, OCSF
    }

    public static final int MAX_FAILURES_KEPT = 1000;
    private static final int MAX_RANGES_LISTED = 20;

    private final KeySet keys;
    private final Format format;
    private String origin;
    private String tenant;

    private final Map<Long, Seen> byIndex = new HashMap<>();
    private final Map<String, Long> indexById = new HashMap<>();
    private final TreeMap<Long, Checkpoint> checkpointsBySize = new TreeMap<>();
    private final List<Range> ranges = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long failureCount;
    private long lines;
    private long events;
    private long truncated;
    private long duplicates;
    private long checkpointRecords;
    private long duplicateCheckpoints;
    private long minIndex = Long.MAX_VALUE;
    private long maxIndex = -1;
    private long largestSize = -1;

    private record Seen(String eventId, Hash leafHash, boolean truncated) {

        boolean sameEvent(Seen other) {
            return eventId.equals(other.eventId) && leafHash.equals(other.leafHash);
        }
    }

    private record Range(long from, long to, List<Hash> frontier, Hash root, long line) {
    }

    /**
     * @param origin the expected origin, or null to take the first checkpoint record's and hold every other to it
     */
    public StreamVerifier(KeySet keys, String origin, Format format) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.origin = origin;
        this.format = Objects.requireNonNull(format, "format");
    }

    /** Reads the next line of the capture (without its line feed); blank lines are skipped. */
    public void accept(String line) {
        lines++;
        if (line.isBlank()) {
            return;
        }
        String at = "line " + lines + ": ";
        StreamLine record;
        List<String> mismatches = List.of();
        try {
            JsonObject json = StreamRecordFormat.parseObject(line);
            if (format == Format.OCSF && json.get("kind") == null) {
                OcsfFormat.Read read = OcsfFormat.read(json);
                record = read.record();
                mismatches = read.mismatches();
            } else {
                record = StreamRecordFormat.fromJson(json);
            }
        } catch (IllegalArgumentException e) {
            fail(at + "not a " + (format == Format.OCSF ? "OCSF or checkpoint" : "stream") + " record: "
                    + e.getMessage());
            return;
        }
        if (tenant == null) {
            tenant = record.tenant();
        } else if (!tenant.equals(record.tenant())) {
            fail(at + "tenant " + StreamRecordFormat.quote(record.tenant()) + " is not the stream's tenant "
                    + StreamRecordFormat.quote(tenant));
            return;
        }
        if (record instanceof StreamRecord event) {
            mismatches.forEach(mismatch -> fail(at + "index " + event.index() + ": " + mismatch));
            event(at, event);
        } else if (record instanceof StreamTruncatedRecord stub) {
            truncated(at, stub);
        } else {
            checkpoint(at, (StreamCheckpointRecord) record);
        }
    }

    private void event(String at, StreamRecord record) {
        long index = record.index();
        at = at + "index " + index + ": ";
        StreamEvents.Leaf leaf;
        try {
            leaf = StreamEvents.leafOf(record.event());
        } catch (IllegalArgumentException e) {
            fail(at + e.getMessage());
            return;
        }
        if (!leaf.event().tenant().value().equals(record.tenant())) {
            fail(at + "the event's tenant " + StreamRecordFormat.quote(leaf.event().tenant().value())
                    + " is not the record's tenant " + StreamRecordFormat.quote(record.tenant()));
        }
        if (!leaf.leafHash().equals(record.leafHash())) {
            fail(at + "leaf hash " + record.leafHash().hex() + " does not match its event (recomputed "
                    + leaf.leafHash().hex() + "): the event was changed");
        }
        String id = leaf.event().id().toString();
        Seen seen = new Seen(id, leaf.leafHash(), false);
        Seen before = byIndex.get(index);
        if (before != null) {
            if (before.truncated() && before.sameEvent(seen)) {
                // the full event after its truncated stand-in (say, captured from another sink): now verifiable
                byIndex.put(index, seen);
                truncated--;
                events++;
            } else if (before.sameEvent(seen)) {
                duplicates++;
            } else {
                fail(at + "delivered again with other content: first event " + before.eventId() + " with leaf hash "
                        + before.leafHash().hex() + ", now event " + id + " with leaf hash " + leaf.leafHash().hex());
            }
            return;
        }
        Long otherIndex = indexById.get(id);
        if (otherIndex != null) {
            fail(at + "event " + id + " was already delivered at index " + otherIndex);
            return;
        }
        events++;
        byIndex.put(index, seen);
        indexById.put(id, index);
        minIndex = Math.min(minIndex, index);
        maxIndex = Math.max(maxIndex, index);
    }

    private void truncated(String at, StreamTruncatedRecord record) {
        long index = record.index();
        at = at + "index " + index + ": ";
        String id = EventId.parse(record.eventId()).toString(); // one spelling, as the events' ids are compared
        Seen seen = new Seen(id, record.leafHash(), true);
        Seen before = byIndex.get(index);
        if (before != null) {
            if (before.sameEvent(seen)) {
                duplicates++;
            } else {
                fail(at + "delivered again with other content: first event " + before.eventId() + " with leaf hash "
                        + before.leafHash().hex() + ", now a truncated record of event " + id + " with leaf hash "
                        + record.leafHash().hex());
            }
            return;
        }
        Long otherIndex = indexById.get(id);
        if (otherIndex != null) {
            fail(at + "event " + id + " was already delivered at index " + otherIndex);
            return;
        }
        truncated++;
        byIndex.put(index, seen);
        indexById.put(id, index);
        minIndex = Math.min(minIndex, index);
        maxIndex = Math.max(maxIndex, index);
    }

    private void checkpoint(String at, StreamCheckpointRecord record) {
        checkpointRecords++;
        at = at + "checkpoint record [" + record.fromIndex() + ", " + record.toIndex() + "): ";
        Checkpoint checkpoint;
        try {
            checkpoint = keys.verify(SignedNote.parse(record.note()));
        } catch (IllegalArgumentException e) {
            fail(at + "the checkpoint does not verify with key " + keys.label() + ": " + e.getMessage());
            return;
        }
        if (origin == null) {
            origin = checkpoint.origin();
        } else if (!origin.equals(checkpoint.origin())) {
            fail(at + "checkpoint origin " + StreamRecordFormat.quote(checkpoint.origin())
                    + " is not the expected origin " + StreamRecordFormat.quote(origin));
            return;
        }
        if (checkpoint.treeSize() != record.toIndex()) {
            fail(at + "the checkpoint's tree size is " + checkpoint.treeSize() + ", not the range's end "
                    + record.toIndex());
            return;
        }
        Checkpoint known = checkpointsBySize.get(checkpoint.treeSize());
        if (known != null) {
            if (known.rootHash().equals(checkpoint.rootHash())) {
                duplicateCheckpoints++;
            } else {
                fail(at + "a second checkpoint of size " + checkpoint.treeSize() + " with another root hash ("
                        + known.rootHash().base64() + ", then " + checkpoint.rootHash().base64()
                        + "): the log forked");
            }
            return;
        }
        if (largestSize >= 0 && checkpoint.treeSize() > largestSize && record.fromIndex() != largestSize) {
            fail(at + "the range starts at " + record.fromIndex() + ", not at the previous checkpoint record's size "
                    + largestSize);
        }
        MerkleFrontier frontier = new MerkleFrontier(record.fromIndex(), record.frontier());
        Checkpoint previous = checkpointsBySize.get(record.fromIndex());
        Hash fromRoot = frontier.root();
        if (previous != null && !previous.rootHash().equals(fromRoot)) {
            fail(at + "the frontier of size " + record.fromIndex() + " does not fold to the root of the checkpoint "
                    + "record of that size");
            return;
        }
        ConsistencyProof proof = new ConsistencyProof(record.fromIndex(), checkpoint.treeSize(),
                record.consistencyProof());
        if (!proof.verify(fromRoot, checkpoint.rootHash())) {
            fail(at + "the consistency proof from size " + record.fromIndex() + " to size " + checkpoint.treeSize()
                    + " does not verify" + (previous != null ? " against the previous checkpoint record"
                            : " against the tree of size " + record.fromIndex() + " its frontier describes"));
            return;
        }
        checkpointsBySize.put(checkpoint.treeSize(), checkpoint);
        largestSize = Math.max(largestSize, checkpoint.treeSize());
        ranges.add(new Range(record.fromIndex(), checkpoint.treeSize(), record.frontier(), checkpoint.rootHash(),
                lines));
    }

    /** The verdict on everything read. */
    public StreamVerification finish() {
        long[] indices = byIndex.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        gaps(indices);
        long proven = inclusion(indices);
        noteTruncated(indices);
        boolean ok = failureCount == 0;
        StringBuilder summary = new StringBuilder(ok ? "OK: " : "FAILED: " + failureCount
                + (failureCount == 1 ? " failure (" : " failures ("));
        summary.append(events).append(events == 1 ? " event" : " events");
        if (maxIndex >= 0) {
            summary.append(" (indices ").append(minIndex).append("..").append(maxIndex).append(')');
        }
        if (truncated > 0) {
            summary.append(", ").append(truncated)
                    .append(" truncated (not verifiable from the stream: fetch them from the API)");
        }
        summary.append(", ").append(duplicates).append(" identical duplicate").append(duplicates == 1 ? "" : "s")
                .append(", ").append(checkpointRecords).append(" checkpoint record")
                .append(checkpointRecords == 1 ? "" : "s");
        if (duplicateCheckpoints > 0) {
            summary.append(" (").append(duplicateCheckpoints).append(" repeated)");
        }
        summary.append("; ").append(proven).append(" of ").append(events)
                .append(" events proven included under a signed checkpoint");
        if (origin != null) {
            summary.append(" of ").append(origin);
        }
        if (!ok) {
            summary.append(')');
        }
        return new StreamVerification(ok, failureCount, failures, notes, summary.toString(), events, duplicates,
                checkpointRecords, proven, truncated);
    }

    /** Walks the sorted indices seen, so the work is bounded by what the capture holds, not by the numbers in it. */
    private void gaps(long[] indices) {
        List<String> missing = new ArrayList<>();
        long missingCount = 0;
        for (int k = 1; k < indices.length; k++) {
            long start = indices[k - 1] + 1;
            long end = indices[k]; // exclusive
            if (start < end) {
                missingCount += end - start;
                if (missing.size() < MAX_RANGES_LISTED) {
                    missing.add(start == end - 1 ? String.valueOf(start) : start + ".." + (end - 1));
                }
            }
        }
        if (missingCount > 0) {
            fail("gap: " + missingCount + (missingCount == 1 ? " index" : " indices") + " between " + minIndex
                    + " and " + maxIndex + " never arrived: " + String.join(", ", missing)
                    + (missing.size() == MAX_RANGES_LISTED ? ", ..." : ""));
        }
    }

    /** Checks each checkpoint record's range against the leaves; returns how many events are proven included. */
    private long inclusion(long[] indices) {
        boolean[] proven = new boolean[indices.length];
        for (Range range : ranges) {
            if (range.from() == range.to()) {
                continue;
            }
            int first = lowerBound(indices, range.from());
            int end = lowerBound(indices, range.to());
            long missing = (range.to() - range.from()) - (end - first);
            String what = "checkpoint record on line " + range.line() + " (size " + range.to() + "): ";
            if (missing > 0) {
                note(what + "inclusion of indices " + range.from() + ".." + (range.to() - 1)
                        + " not provable: " + missing + " of their records are not in the capture (without earlier "
                        + "leaves or proofs nothing is proven about a range the capture does not hold whole)");
                continue;
            }
            MerkleFrontier frontier = new MerkleFrontier(range.from(), range.frontier());
            for (int k = first; k < end; k++) {
                frontier = frontier.append(byIndex.get(indices[k]).leafHash()).frontier();
            }
            if (!frontier.root().equals(range.root())) {
                fail(what + "the events at indices " + range.from() + ".." + (range.to() - 1)
                        + " do not hash to the signed root: they are not the log's leaves at those indices");
                continue;
            }
            for (int k = first; k < end; k++) {
                // a truncated record's leaf hash is now proven, but not that its event is the one the API returns
                proven[k] = !byIndex.get(indices[k]).truncated();
            }
        }
        long provenCount = 0;
        long uncovered = 0;
        long firstUncovered = -1;
        for (int k = 0; k < indices.length; k++) {
            if (proven[k]) {
                provenCount++;
            } else if (!byIndex.get(indices[k]).truncated()) {
                uncovered++;
                if (firstUncovered < 0) {
                    firstUncovered = indices[k];
                }
            }
        }
        if (uncovered > 0) {
            note(uncovered + (uncovered == 1 ? " event is" : " events are") + " not proven included (the first "
                    + "at index " + firstUncovered + "): no checkpoint record in the capture covers them whole"
                    + (largestSize >= 0 && firstUncovered >= largestSize
                            ? " (they follow the last checkpoint record, size " + largestSize + ")" : ""));
        }
        return provenCount;
    }

    /** Names the truncated records (the first few), so their events can be fetched from the API. */
    private void noteTruncated(long[] indices) {
        if (truncated == 0) {
            return;
        }
        List<String> listed = new ArrayList<>();
        for (long index : indices) {
            Seen seen = byIndex.get(index);
            if (seen.truncated()) {
                if (listed.size() == MAX_RANGES_LISTED) {
                    listed.add("...");
                    break;
                }
                listed.add(index + " (event " + seen.eventId() + ")");
            }
        }
        note(truncated + (truncated == 1 ? " record was" : " records were") + " truncated to fit the sink's message "
                + "size, so " + (truncated == 1 ? "its event is" : "their events are") + " not in the stream and "
                + "cannot be verified from it: fetch them from the API: " + String.join(", ", listed));
    }

    /** The position of the first element of {@code sorted} that is at least {@code key}. */
    private static int lowerBound(long[] sorted, long key) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] < key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private void fail(String message) {
        failureCount++;
        if (failures.size() < MAX_FAILURES_KEPT) {
            failures.add(message);
        }
    }

    private void note(String message) {
        if (notes.size() < MAX_FAILURES_KEPT) {
            notes.add(message);
        }
    }
}
