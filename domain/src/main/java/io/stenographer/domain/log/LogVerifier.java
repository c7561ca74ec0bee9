package io.stenographer.domain.log;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.VerificationFinding.Kind;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleFrontier;
import io.stenographer.domain.merkle.NodeRef;
import io.stenographer.domain.tiles.TileLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A full verification of one tenant's log, fed with what storage holds and trusting nothing derived: every
 * checkpoint is checked against the log's key set (the key valid at its size) and origin, every leaf hash is
 * recomputed from its stored event, the tree is rebuilt from those leaves in index order and held against every
 * accepted checkpoint and every stored subtree hash. It reads nothing itself; whoever drives it loads the data.
 *
 * <p>Feed it in this order: {@link #anchorFromEarlierRun} when an earlier run found the log sound, then
 * {@link #storedCheckpoint} (above the anchor) and {@link #suppliedCheckpoint} for each checkpoint, then
 * {@link #treeSize}, then, for an incremental run, {@link #resumeAtAnchor} and the {@link #consistencyProof}s it
 * asks for, then the leaves chunk by chunk from where the checks start (index 0, or the anchor's size once resumed)
 * with {@link #rebuild} and {@link #compareSubtrees}, then {@link #latestCheckpoint} and {@link #unpublishedLeaves} for leaves no checkpoint
 * covers, and findings of other checks through {@link #add}. Memory stays bounded by the checkpoints and one
 * chunk, at any log size. At most {@link #MAX_FINDINGS} findings are kept; more only mark the report truncated.
 * One instance verifies once; it is not thread-safe.
 */
public final class LogVerifier {

    public static final int MAX_FINDINGS = 1_000;

    private static final Hash NO_LEAF = new Hash(new byte[32]);

    private final TenantId tenant;
    private final KeySet keys;
    private final String origin;
    private final List<VerificationFinding> findings = new ArrayList<>();
    private boolean truncated;
    /** Checkpoints to hold the rebuilt tree against, by size: stored ones and the caller's own. */
    private final TreeMap<Long, List<Checkpoint>> expectedRoots = new TreeMap<>();
    private long checkpointsChecked;
    /** Set by {@link #anchorFromEarlierRun}: stored checkpoints up to this size were checked by that run. */
    private long anchoredAtSize;
    /** The checkpoint {@link #anchorFromEarlierRun} accepted, null when there is none. */
    private Checkpoint anchor;
    /** The first leaf this run recomputes: 0, or the anchor's size once {@link #resumeAtAnchor} succeeded. */
    private long leavesCheckedFrom;
    /** The note of the largest stored (or anchor) checkpoint that was accepted, for the next run to anchor on. */
    private String newestAcceptedNote;
    private long newestAcceptedSize;
    /** The size the last stored checkpoint covers, raised by {@link #latestCheckpoint}. */
    private long publishedSize;
    private long treeSize = -1;
    private MerkleFrontier frontier = MerkleFrontier.empty();
    private long eventsChecked;

    /**
     * @param keys   the log's keys, each with the sizes it may sign
     * @param origin the log's origin line; a checkpoint naming another one is a finding
     */
    public LogVerifier(TenantId tenant, KeySet keys, String origin) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    /** The stored checkpoints could not be read at all (a row contradicts its own columns). */
    public void checkpointsUnreadable(String why) {
        requireBeforeTreeSize();
        add(new VerificationFinding(Kind.CHECKPOINT_MALFORMED, null, null, why));
    }

    /** A checkpoint the log stored; pass them oldest (smallest) first. */
    public void storedCheckpoint(PublishedCheckpoint checkpoint) {
        requireBeforeTreeSize();
        checkpointsChecked++;
        publishedSize = checkpoint.treeSize(); // the last one stored counts, as the sequencer publishes in order
        if (accept(checkpoint.signedNote(), "stored checkpoint at size " + checkpoint.treeSize()) != null) {
            expect(checkpoint.checkpoint());
            noteAccepted(checkpoint.signedNote(), checkpoint.treeSize());
        }
    }

    /**
     * The newest checkpoint an earlier run with no findings accepted, instead of every stored checkpoint up to it:
     * it is checked again here (signature, origin, and its root against the tree rebuilt from today's leaves, which
     * a rolled-back or rewritten log fails), and the caller passes only the stored checkpoints above its size. Call
     * before those. A rewritten older checkpoint row is then not looked at again; it could only pass a client with
     * a valid signature, that is, with the signing key.
     */
    public void anchorFromEarlierRun(String note) {
        requireBeforeTreeSize();
        checkpointsChecked++;
        Checkpoint checkpoint = accept(note, "checkpoint an earlier verification accepted");
        if (checkpoint != null) {
            expect(checkpoint);
            anchor = checkpoint;
            anchoredAtSize = checkpoint.treeSize();
            publishedSize = Math.max(publishedSize, checkpoint.treeSize());
            noteAccepted(note, checkpoint.treeSize());
        }
    }

    /**
     * The signed note of the largest stored checkpoint (or anchor) accepted, when the run found nothing: the next
     * run's {@link #anchorFromEarlierRun}. Empty when anything was found, so a run with findings never shortens the
     * next one.
     */
    public Optional<String> newestAcceptedCheckpoint() {
        return findings.isEmpty() && !truncated ? Optional.ofNullable(newestAcceptedNote) : Optional.empty();
    }

    /** The size {@link #anchorFromEarlierRun} accepted, 0 when there is none: pass only checkpoints above it. */
    public long anchoredAtSize() {
        return anchoredAtSize;
    }

    private void noteAccepted(String note, long size) {
        if (size >= newestAcceptedSize) {
            newestAcceptedSize = size;
            newestAcceptedNote = note;
        }
    }

    /** A signed checkpoint note the caller kept earlier: it catches a log rolled back behind it. */
    public void suppliedCheckpoint(String note) {
        requireBeforeTreeSize();
        checkpointsChecked++;
        Checkpoint checkpoint = accept(note, "supplied checkpoint");
        if (checkpoint != null) {
            expect(checkpoint);
        }
    }

    /** The number of leaves the log holds now; a checkpoint larger than that means the log was rolled back. */
    public void treeSize(long size) {
        requireBeforeTreeSize();
        if (size < 0) {
            throw new IllegalArgumentException("tree size must be >= 0, was " + size);
        }
        treeSize = size;
        if (!expectedRoots.isEmpty() && expectedRoots.lastKey() > size) {
            add(new VerificationFinding(Kind.LOG_ROLLED_BACK, size, null, "a checkpoint of size "
                    + expectedRoots.lastKey() + " was published but the log now holds only " + size
                    + " leaves: it was rolled back, first missing index is " + size));
        }
    }

    /**
     * Whether the leaf checks may start at the accepted anchor instead of index 0: there is one, and the log still
     * reaches its size (a shorter log is a rollback, found by {@link #treeSize}, and is checked from 0).
     */
    public boolean mayResumeAtAnchor() {
        requireTreeSize();
        return anchor != null && anchor.treeSize() <= treeSize && frontier.size() == 0;
    }

    /**
     * Starts the leaf checks at the anchor's size, on the right edge of the stored tree there: the hashes of the
     * perfect subtrees covering {@code [0, anchor size)}, read from the stored tile hashes. They must fold to the root
     * the anchor signs; that authenticates them, since a different edge with the same root is a SHA-256 collision.
     * The leaves below were recomputed by the earlier runs this one continues; a full run recomputes them again.
     *
     * @return false, with a finding, when the stored edge does not fold to the anchor's root: the tree below the
     *     anchor was changed since that run, so feed the leaves from index 0 instead
     */
    public boolean resumeAtAnchor(MerkleFrontier atAnchor) {
        if (!mayResumeAtAnchor()) {
            throw new IllegalStateException("no accepted anchor within the log to resume at, or leaves already fed");
        }
        if (atAnchor.size() != anchor.treeSize()) {
            throw new IllegalArgumentException("the edge must be the tree's at the anchor size " + anchor.treeSize()
                    + ", was at " + atAnchor.size());
        }
        if (!atAnchor.root().equals(anchor.rootHash())) {
            storedTreeBelowAnchorChanged("its stored subtree hashes fold to another root");
            return false;
        }
        frontier = atAnchor;
        leavesCheckedFrom = atAnchor.size();
        for (Checkpoint checkpoint : expectedRoots.getOrDefault(atAnchor.size(), List.of())) {
            if (!checkpoint.rootHash().equals(anchor.rootHash())) {
                add(new VerificationFinding(Kind.CHECKPOINT_ROOT_MISMATCH, atAnchor.size() - 1, null,
                        "checkpoint at size " + atAnchor.size() + ": root differs from the accepted anchor's"));
            }
        }
        return true;
    }

    /**
     * The stored tree at the anchor's size could not be read (hashes missing): a finding; feed the leaves from index
     * 0, which names what is missing.
     */
    public void storedTreeBelowAnchorUnreadable(String why) {
        requireTreeSize();
        storedTreeBelowAnchorChanged(why);
    }

    private void storedTreeBelowAnchorChanged(String why) {
        add(new VerificationFinding(Kind.SUBTREE_MISMATCH, null, null, "the stored tree of the "
                + anchor.treeSize() + " leaves below the checkpoint an earlier run accepted was changed since ("
                + why + "): every leaf is checked again"));
    }

    /** The first leaf this run recomputes from its event: 0, or the anchor's size once resumed there. */
    public long leavesCheckedFrom() {
        return leavesCheckedFrom;
    }

    /** Two tree sizes a consistency proof is wanted between. */
    public record ProofSizes(long fromSize, long toSize) {
    }

    /**
     * The consistency proofs a resumed run checks: every supplied checkpoint
     * below the anchor against the anchor (the rebuild starts above them), and the anchor against the largest
     * checkpoint above it, each computed from the stored tree as the log serves it to clients. Empty unless resumed.
     */
    public List<ProofSizes> consistencyProofsWanted() {
        if (leavesCheckedFrom == 0) {
            return List.of();
        }
        List<ProofSizes> wanted = new ArrayList<>();
        for (long size : expectedRoots.headMap(leavesCheckedFrom, false).keySet()) {
            wanted.add(new ProofSizes(size, leavesCheckedFrom));
        }
        Long largest = expectedRoots.lastKey();
        if (largest > leavesCheckedFrom && largest <= treeSize) {
            wanted.add(new ProofSizes(leavesCheckedFrom, largest));
        }
        return wanted;
    }

    /** Holds one of {@link #consistencyProofsWanted} against the accepted checkpoints of its two sizes. */
    public void consistencyProof(ConsistencyProof proof) {
        List<Checkpoint> from = expectedRoots.get(proof.fromSize());
        List<Checkpoint> to = expectedRoots.get(proof.toSize());
        if (leavesCheckedFrom == 0 || from == null || to == null) {
            throw new IllegalArgumentException("not resumed, or no accepted checkpoint at size " + proof.fromSize()
                    + " or " + proof.toSize());
        }
        if (proof.fromSize() == leavesCheckedFrom) {
            // The rebuild checks the newer root itself, so a proof that fails is the stored tree's fault.
            if (!proof.verify(anchor.rootHash(), to.get(0).rootHash())) {
                add(new VerificationFinding(Kind.SUBTREE_MISMATCH, null, null, "the consistency proof from the "
                        + "anchor at size " + proof.fromSize() + " to size " + proof.toSize()
                        + " that the stored tree gives clients does not verify"));
            }
            return;
        }
        for (Checkpoint older : from) {
            if (!proof.verify(older.rootHash(), anchor.rootHash())) {
                add(new VerificationFinding(Kind.CHECKPOINT_ROOT_MISMATCH,
                        proof.fromSize() == 0 ? null : proof.fromSize() - 1, null,
                        "checkpoint at size " + proof.fromSize() + " is not consistent with the anchor at size "
                                + proof.toSize() + ": the consistency proof from the stored tree does not verify"));
            }
        }
    }

    /**
     * Checks and appends the leaves {@code [from, to)}: {@code from} is where the previous chunk ended (0 first),
     * {@code rows} are the stored ones in that range (an index without a row is a deleted leaf). Every accepted
     * checkpoint whose size is reached is compared with the rebuilt root.
     *
     * @return the stored tile hashes above the leaves (tree levels 8, 16, ...) that this chunk completed, with their
     *         rebuilt hashes, in the order they completed: hold the stored ones against them with
     *         {@link #compareSubtrees}
     */
    public Map<NodeRef, Hash> rebuild(long from, long to, List<? extends StoredLeaf> rows) {
        requireTreeSize();
        if (from != frontier.size()) {
            throw new IllegalArgumentException("chunks must follow each other: expected " + frontier.size()
                    + ", was " + from);
        }
        if (to < from || to > treeSize) {
            throw new IllegalArgumentException("chunk end " + to + " must be in [" + from + ", " + treeSize + "]");
        }
        Map<Long, StoredLeaf> byIndex = new HashMap<>();
        for (StoredLeaf row : rows) {
            byIndex.put(row.leaf().index(), row);
        }
        Map<NodeRef, Hash> completedHere = new LinkedHashMap<>();
        for (long index = from; index < to; index++) {
            MerkleFrontier.Append step = frontier.append(leafHash(index, byIndex.get(index)));
            frontier = step.frontier();
            for (MerkleFrontier.CompletedSubtree subtree : step.completed()) {
                if (subtree.level() > 0 && TileLayout.isStoredLevel(subtree.level())) {
                    completedHere.put(new NodeRef(subtree.level(), subtree.index()), subtree.hash());
                }
            }
            List<Checkpoint> atSize = expectedRoots.get(frontier.size());
            if (atSize != null) {
                for (Checkpoint checkpoint : atSize) {
                    if (!checkpoint.rootHash().equals(frontier.root())) {
                        add(new VerificationFinding(Kind.CHECKPOINT_ROOT_MISMATCH, frontier.size() - 1, null,
                                "checkpoint at size " + frontier.size()
                                        + ": root does not match the tree rebuilt from the events"));
                    }
                }
            }
        }
        return completedHere;
    }

    /** Holds the stored hashes of the subtrees {@link #rebuild} completed against the rebuilt ones. */
    public void compareSubtrees(Map<NodeRef, Hash> rebuilt, Map<NodeRef, Hash> stored) {
        rebuilt.forEach((node, hash) -> {
            if (!hash.equals(stored.get(node))) {
                add(new VerificationFinding(Kind.SUBTREE_MISMATCH, node.start(), null,
                        "stored hash of leaves [" + node.start() + ", " + node.end()
                                + ") differs from the rebuilt tree"));
            }
        });
    }

    /**
     * The size of the latest checkpoint as read after the tree size: the sequencer may have published one between
     * reading the checkpoints and the tree size. Only the larger of it and the last stored one counts.
     */
    public void latestCheckpoint(long size) {
        requireTreeSize();
        publishedSize = Math.max(publishedSize, size);
    }

    /** Whether leaves beyond the last checkpoint seen exist. */
    public boolean leavesUnpublished() {
        requireTreeSize();
        return treeSize > publishedSize;
    }

    /** The first leaf no checkpoint covers; {@link #leavesUnpublished()} says whether there is one. */
    public long firstUnpublishedIndex() {
        return publishedSize;
    }

    /**
     * Integration stores leaves and their checkpoint in one transaction, so leaves no checkpoint covers were added
     * by hand: a finding naming the event of the first one ({@code first}, the leaf at
     * {@link #firstUnpublishedIndex()}). Nothing when every leaf is covered or the findings are already full.
     */
    public void unpublishedLeaves(Optional<LogLeaf> first) {
        if (!leavesUnpublished() || full()) {
            return;
        }
        add(new VerificationFinding(Kind.LEAF_UNPUBLISHED, publishedSize,
                first.map(LogLeaf::eventId).orElse(null), "leaves [" + publishedSize + ", " + treeSize
                        + ") are covered by no checkpoint; the first holds event "
                        + first.map(leaf -> leaf.eventId().toString()).orElse("(none)")));
    }

    /** An event that is stored but holds no log position and is not queued. */
    public void eventOutsideLog(EventId event) {
        add(new VerificationFinding(Kind.EVENT_OUTSIDE_LOG, null, event,
                "event " + event + " is stored but holds no log position and is not queued (inserted outside ingest)"));
    }

    /** A finding of a check made elsewhere (archive segments, retention records); kept while there is room. */
    public void add(VerificationFinding finding) {
        Objects.requireNonNull(finding, "finding");
        if (findings.size() < MAX_FINDINGS) {
            findings.add(finding);
        } else {
            truncated = true;
        }
    }

    /** Whether no further finding would be kept: the rest of a check may be skipped. */
    public boolean full() {
        return findings.size() >= MAX_FINDINGS;
    }

    /** How many more findings would be kept. */
    public int room() {
        return MAX_FINDINGS - findings.size();
    }

    /** The findings so far, in the order they were found. */
    public List<VerificationFinding> findings() {
        return List.copyOf(findings);
    }

    public VerificationReport report(UUID id, Instant startedAt, Instant finishedAt, String triggeredBy) {
        requireTreeSize();
        return new VerificationReport(id, tenant, startedAt, finishedAt, treeSize, eventsChecked, checkpointsChecked,
                anchoredAtSize, leavesCheckedFrom, triggeredBy, findings, truncated);
    }

    /** The leaf hash the rebuilt tree uses at {@code index}: the recomputed one when the event is there. */
    private Hash leafHash(long index, StoredLeaf row) {
        if (row == null) {
            add(new VerificationFinding(Kind.LEAF_MISSING, index, null,
                    "index " + index + ": no leaf is stored (row deleted)"));
            return NO_LEAF;
        }
        LogLeaf leaf = row.leaf();
        if (row.eventMatchesLeaf()) {
            // Hashed from the stored fields and equal: the same verdict as rebuilding the event, without the cost.
            eventsChecked++;
            if (!leaf.tenant().equals(tenant)) {
                add(noLongerHashes(index, leaf));
            }
            return leaf.leafHash();
        }
        AuditEvent event = row.event();
        if (row.unreadable() != null) {
            add(new VerificationFinding(Kind.LEAF_MISMATCH, index, leaf.eventId(), "index "
                    + index + ": event " + leaf.eventId() + " was altered into an invalid event: "
                    + row.unreadable()));
        } else if (row.purged()) {
            // Purged after archiving: the tree keeps the hash; the payload is checked whenever its segment is read
            // back (ArchivedEventReader).
            if (!row.archivedLeafHash().equals(leaf.leafHash())) {
                add(new VerificationFinding(Kind.LEAF_MISMATCH, index, leaf.eventId(), "index "
                        + index + ": the archive index records another leaf hash for event " + leaf.eventId()));
            }
        } else if (event == null) {
            add(new VerificationFinding(Kind.EVENT_MISSING, index, leaf.eventId(), "index "
                    + index + ": event " + leaf.eventId() + " is missing from the event store"));
        } else {
            eventsChecked++;
            Hash recomputed = event.leafHash();
            if (!recomputed.equals(leaf.leafHash()) || !event.tenant().equals(tenant)) {
                add(noLongerHashes(index, leaf));
            }
            return recomputed;
        }
        return leaf.leafHash();
    }

    private static VerificationFinding noLongerHashes(long index, LogLeaf leaf) {
        return new VerificationFinding(Kind.LEAF_MISMATCH, index, leaf.eventId(), "index " + index + ": event "
                + leaf.eventId() + " no longer hashes to its leaf (content or position changed)");
    }

    private void expect(Checkpoint checkpoint) {
        expectedRoots.computeIfAbsent(checkpoint.treeSize(), s -> new ArrayList<>()).add(checkpoint);
    }

    /** The checkpoint when its note parses, verifies with the key set and names this log; else null and a finding. */
    private Checkpoint accept(String note, String what) {
        try {
            SignedNote signed = SignedNote.parse(note);
            Checkpoint.parseBody(signed.body()); // a malformed body is its own finding, not a signature one
            Checkpoint checkpoint;
            try {
                checkpoint = keys.verify(signed);
            } catch (IllegalArgumentException e) {
                add(new VerificationFinding(Kind.CHECKPOINT_SIGNATURE, null, null,
                        what + ": signature does not verify with key " + keys.label() + ": " + e.getMessage()));
                return null;
            }
            if (!checkpoint.origin().equals(origin)) {
                add(new VerificationFinding(Kind.CHECKPOINT_SIGNATURE, null, null,
                        what + ": origin '" + checkpoint.origin() + "' is not this log's origin '" + origin + "'"));
                return null;
            }
            return checkpoint;
        } catch (IllegalArgumentException e) {
            add(new VerificationFinding(Kind.CHECKPOINT_MALFORMED, null, null, what + ": " + e.getMessage()));
            return null;
        }
    }

    private void requireBeforeTreeSize() {
        if (treeSize >= 0) {
            throw new IllegalStateException("checkpoints come before the tree size");
        }
    }

    private void requireTreeSize() {
        if (treeSize < 0) {
            throw new IllegalStateException("the tree size comes first");
        }
    }
}
