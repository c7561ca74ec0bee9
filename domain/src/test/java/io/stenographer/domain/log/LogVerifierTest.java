package io.stenographer.domain.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.log.VerificationFinding.Kind;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.merkle.MerkleFrontier;
import io.stenographer.domain.merkle.MerkleHashes;
import io.stenographer.domain.merkle.NodeRef;
import io.stenographer.domain.merkle.SubtreeHashSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rebuild-and-compare of a full log verification, fed with an in-memory log the way the service feeds it from
 * the database: checkpoints, then the tree size, then the leaves chunk by chunk with the stored subtree hashes.
 */
class LogVerifierTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId OTHER = TenantId.of("other");
    private static final String ORIGIN = "stenographer.test/acme";
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    private final SplittableRandom random = new SplittableRandom(7);
    private final NoteSigner key = new NoteSigner("stenographer.test/log", Ed25519Keys.generate().getPrivate());
    private KeySet keys = KeySet.single(key.verifier());

    /** What storage holds: events, leaf rows (index to row, absent = deleted), subtree hashes, checkpoints. */
    private final List<AuditEvent> events = new ArrayList<>();
    private final InMemoryMerkleTree tree = new InMemoryMerkleTree();
    private final Map<Long, Row> rows = new HashMap<>();
    private final Map<NodeRef, Hash> subtreeOverrides = new HashMap<>();
    private final List<NodeRef> subtreesDeleted = new ArrayList<>();
    private final List<PublishedCheckpoint> stored = new ArrayList<>();
    private final List<String> supplied = new ArrayList<>();
    /** What the previous run with no findings left, as the service passes it: null for a first run. */
    private String anchor;
    private long treeSize = -1;

    record Row(LogLeaf leaf, AuditEvent event, String unreadable, Hash archivedLeafHash) implements StoredLeaf {
    }

    // ---- the log ----

    private AuditEvent event(TenantId tenant, int i) {
        Instant at = NOW.plusSeconds(i);
        EventDraft draft = new EventDraft(tenant, new Actor("alice", ActorType.USER, "Alice"), Action.of("case.view"),
                new ResourceRef("case", "C-" + i), null, Outcome.SUCCESS, at.minusSeconds(1),
                new Source("portal", "192.0.2.10", "test"), "corr-" + i, new JsonObject(Map.of()), null);
        return AuditEvent.record(EventId.newTimeOrdered(at, random), at, "svc-writer", draft);
    }

    private void append(int count) {
        for (int i = 0; i < count; i++) {
            AuditEvent event = event(ACME, events.size());
            long index = tree.append(event.leafHash());
            events.add(event);
            rows.put(index, new Row(new LogLeaf(ACME, index, event.id(), event.leafHash()), event, null, null));
        }
    }

    private SignedNote checkpoint(long size, NoteSigner... signers) {
        return note(Checkpoint.of(ORIGIN, size, tree.root(size)), signers);
    }

    private static SignedNote note(Checkpoint checkpoint, NoteSigner... signers) {
        SignedNote note = signers[0].sign(checkpoint.body());
        for (int i = 1; i < signers.length; i++) {
            note = note.withSignature(signers[i].signature(checkpoint.body()));
        }
        return note;
    }

    private void store(SignedNote note) {
        stored.add(new PublishedCheckpoint(ACME, Checkpoint.parseBody(note.body()), note.serialize(), NOW));
    }

    /** Publishes a checkpoint of the whole log, signed by the given keys (the log's key when none). */
    private void publish(NoteSigner... signers) {
        store(checkpoint(tree.size(), signers.length == 0 ? new NoteSigner[] {key} : signers));
    }

    private LogLeaf leaf(long index) {
        return rows.get(index).leaf();
    }

    // ---- the driver: the order and chunking of VerifyLogService ----

    private LogVerifier verifier() {
        return new LogVerifier(ACME, keys, ORIGIN);
    }

    private LogVerifier feed(int chunk) {
        return feed(chunk, false);
    }

    /** An incremental run resumes at the anchor on the stored tree's edge and checks the proofs it asks for. */
    private LogVerifier feedIncrementally(int chunk) {
        return feed(chunk, true);
    }

    private LogVerifier feed(int chunk, boolean incremental) {
        LogVerifier verifier = verifier();
        if (anchor != null) {
            verifier.anchorFromEarlierRun(anchor);
        }
        stored.stream().filter(c -> c.treeSize() > verifier.anchoredAtSize()).forEach(verifier::storedCheckpoint);
        supplied.forEach(verifier::suppliedCheckpoint);
        long size = treeSize >= 0 ? treeSize : tree.size();
        verifier.treeSize(size);
        if (incremental && verifier.mayResumeAtAnchor()
                && verifier.resumeAtAnchor(MerkleFrontier.of(verifier.anchoredAtSize(), storedTree()))) {
            for (LogVerifier.ProofSizes sizes : verifier.consistencyProofsWanted()) {
                verifier.consistencyProof(ConsistencyProof.compute(sizes.fromSize(), sizes.toSize(), storedTree()));
            }
        }
        for (long from = verifier.leavesCheckedFrom(); from < size && !verifier.full(); from += chunk) {
            long to = Math.min(size, from + chunk);
            List<Row> chunkRows = new ArrayList<>();
            for (long index = from; index < to; index++) {
                if (rows.containsKey(index)) {
                    chunkRows.add(rows.get(index));
                }
            }
            Map<NodeRef, Hash> rebuilt = verifier.rebuild(from, to, chunkRows);
            verifier.compareSubtrees(rebuilt, storedSubtrees(rebuilt.keySet()));
        }
        return verifier;
    }

    /** The stored tree as proofs read it: perfect subtrees, with the overrides an insider wrote. */
    private SubtreeHashSource storedTree() {
        return (start, end) -> {
            int level = Long.numberOfTrailingZeros(end - start);
            return subtreeOverrides.getOrDefault(new NodeRef(level, start >>> level), tree.subtreeHash(start, end));
        };
    }

    private Map<NodeRef, Hash> storedSubtrees(Iterable<NodeRef> nodes) {
        Map<NodeRef, Hash> found = new HashMap<>();
        for (NodeRef node : nodes) {
            if (node.end() <= tree.size() && !subtreesDeleted.contains(node)) {
                found.put(node, subtreeOverrides.getOrDefault(node, tree.subtreeHash(node.start(), node.end())));
            }
        }
        return found;
    }

    private VerificationReport report(LogVerifier verifier) {
        return verifier.report(UUID.randomUUID(), NOW, NOW.plusSeconds(1), "auditor-1");
    }

    private VerificationReport verify() {
        return report(feed(3));
    }

    private static List<Kind> kinds(VerificationReport report) {
        return report.findings().stream().map(VerificationFinding::kind).toList();
    }

    // ---- checkpoints checked incrementally ----

    @Test
    void aRunAnchoredOnThePreviousRunsNewestCheckpointChecksItAgainAndOnlyTheNewerOnes() {
        append(3);
        publish();
        append(4);
        publish();
        LogVerifier first = feed(3);
        assertThat(report(first).checkpointsChecked()).isEqualTo(2);
        assertThat(report(first).anchoredAtSize()).isZero();
        anchor = first.newestAcceptedCheckpoint().orElseThrow();
        assertThat(Checkpoint.parseBody(SignedNote.parse(anchor).body()).treeSize()).isEqualTo(7);

        append(2);
        publish();
        append(1);
        publish();
        LogVerifier second = feed(3);
        VerificationReport report = report(second);

        assertThat(report.findings()).isEmpty();
        assertThat(report.anchoredAtSize()).isEqualTo(7);
        assertThat(report.checkpointsChecked()).as("the anchor and the two newer ones").isEqualTo(3);
        assertThat(Checkpoint.parseBody(SignedNote.parse(second.newestAcceptedCheckpoint().orElseThrow()).body())
                .treeSize()).isEqualTo(10);
    }

    @Test
    void aLogRewrittenOrRolledBackBelowTheAnchorIsStillCaught() {
        append(6);
        publish();
        anchor = feed(3).newestAcceptedCheckpoint().orElseThrow();
        append(2);
        publish();

        Row original = rows.get(2L);
        AuditEvent other = event(ACME, 99);
        rows.put(2L, new Row(original.leaf(), other, null, null));
        assertThat(kinds(verify())).contains(Kind.LEAF_MISMATCH, Kind.CHECKPOINT_ROOT_MISMATCH);

        rows.put(2L, original);
        stored.clear(); // the insider removed every checkpoint above the leaves kept: the anchor remains
        treeSize = 4;
        assertThat(kinds(verify())).containsExactly(Kind.LOG_ROLLED_BACK);
    }

    // ---- leaves checked incrementally ----

    @Test
    void anIncrementalRunRecomputesOnlyTheLeavesAboveTheAnchorAndAFullRunStillRecomputesThemAll() {
        append(6);
        publish();
        anchor = feed(3).newestAcceptedCheckpoint().orElseThrow();
        append(3);
        publish();
        append(2);
        publish();
        // Rewritten below the anchor: beyond an incremental run's reach, which is why a full run is scheduled too.
        Row original = rows.get(2L);
        rows.put(2L, new Row(original.leaf(), event(ACME, 99), null, null));

        LogVerifier incremental = feedIncrementally(3);
        VerificationReport report = report(incremental);
        assertThat(report.findings()).isEmpty();
        assertThat(report.full()).isFalse();
        assertThat(report.leavesCheckedFrom()).isEqualTo(6);
        assertThat(report.eventsChecked()).isEqualTo(5);
        assertThat(Checkpoint.parseBody(SignedNote.parse(incremental.newestAcceptedCheckpoint().orElseThrow())
                .body()).treeSize()).isEqualTo(11);

        VerificationReport full = report(feed(3));
        assertThat(full.full()).isTrue();
        assertThat(full.eventsChecked()).isEqualTo(11);
        assertThat(kinds(full)).contains(Kind.LEAF_MISMATCH);
    }

    @Test
    void aNewLeafThatNoLongerMatchesIsCaughtAboveTheAnchor() {
        append(6);
        publish();
        anchor = feed(3).newestAcceptedCheckpoint().orElseThrow();
        append(4);
        publish();
        Row original = rows.get(8L);
        rows.put(8L, new Row(original.leaf(), event(ACME, 99), null, null));

        VerificationReport report = report(feedIncrementally(2));

        assertThat(report.leavesCheckedFrom()).isEqualTo(6);
        assertThat(kinds(report)).contains(Kind.LEAF_MISMATCH, Kind.CHECKPOINT_ROOT_MISMATCH);
    }

    @Test
    void aStoredTreeChangedBelowTheAnchorIsAFindingAndEveryLeafIsCheckedAgain() {
        append(6);
        publish();
        anchor = feed(3).newestAcceptedCheckpoint().orElseThrow();
        append(2);
        publish();
        subtreeOverrides.put(new NodeRef(2, 0), new Hash(new byte[32])); // leaves [0, 4), on the edge at size 6

        VerificationReport report = report(feedIncrementally(3));

        assertThat(kinds(report)).containsExactly(Kind.SUBTREE_MISMATCH);
        assertThat(report.findings().get(0).message()).contains("6 leaves below", "every leaf is checked again");
        assertThat(report.full()).isTrue();
        assertThat(report.eventsChecked()).isEqualTo(8);
    }

    @Test
    void aStoredTreeGivingABadConsistencyProofAboveTheAnchorIsAFinding() {
        append(6);
        publish();
        anchor = feed(3).newestAcceptedCheckpoint().orElseThrow();
        append(2);
        publish();
        // Leaves [6, 8): on the proof from 6 to 8, not on the edge at 6, and level 1 is no stored tile level.
        subtreeOverrides.put(new NodeRef(1, 3), new Hash(new byte[32]));

        VerificationReport report = report(feedIncrementally(3));

        assertThat(kinds(report)).containsExactly(Kind.SUBTREE_MISMATCH);
        assertThat(report.findings().get(0).message()).contains("consistency proof from the anchor at size 6 to "
                + "size 8");
        assertThat(report.leavesCheckedFrom()).isEqualTo(6);
    }

    @Test
    void aSuppliedCheckpointBelowTheAnchorIsProvedConsistentWithIt() {
        append(3);
        publish();
        String kept = stored.get(0).signedNote();
        append(3);
        publish();
        anchor = feed(3).newestAcceptedCheckpoint().orElseThrow();
        append(2);
        publish();

        supplied.add(kept);
        VerificationReport consistent = report(feedIncrementally(3));
        assertThat(consistent.findings()).isEmpty();
        assertThat(consistent.leavesCheckedFrom()).isEqualTo(6);
        assertThat(consistent.checkpointsChecked()).as("the anchor, the stored one above, the supplied one")
                .isEqualTo(3);

        // A note the log's key signed over another history of three leaves: a fork the log must not be consistent with.
        supplied.set(0, note(Checkpoint.of(ORIGIN, 3, InMemoryMerkleTree.of(List.of(
                event(ACME, 97).leafHash(), event(ACME, 98).leafHash(), event(ACME, 99).leafHash())).root()), key)
                .serialize());
        VerificationReport forked = report(feedIncrementally(3));
        assertThat(kinds(forked)).containsExactly(Kind.CHECKPOINT_ROOT_MISMATCH);
        assertThat(forked.findings().get(0).message()).contains("size 3 is not consistent with the anchor at size 6");
    }

    @Test
    void aLogRolledBackBelowTheAnchorIsNotResumedButCheckedFromIndexZero() {
        append(6);
        publish();
        anchor = feed(3).newestAcceptedCheckpoint().orElseThrow();
        stored.clear();
        treeSize = 4;

        LogVerifier verifier = feedIncrementally(2);

        assertThat(verifier.leavesCheckedFrom()).isZero();
        assertThat(kinds(report(verifier))).containsExactly(Kind.LOG_ROLLED_BACK);
    }

    @Test
    void anAnchorThatDoesNotVerifyIsAFindingAndEveryStoredCheckpointIsChecked() {
        append(5);
        publish();
        append(1);
        publish();
        NoteSigner stranger = new NoteSigner("stenographer.test/log", Ed25519Keys.generate().getPrivate());
        anchor = checkpoint(5, stranger).serialize();

        VerificationReport report = verify();

        assertThat(report.anchoredAtSize()).isZero();
        assertThat(report.checkpointsChecked()).isEqualTo(3);
        assertThat(kinds(report)).containsExactly(Kind.CHECKPOINT_SIGNATURE);
    }

    @Test
    void aRunWithFindingsLeavesNoAnchorSoTheNextOneChecksEverything() {
        append(4);
        publish();
        rows.remove(1L);
        LogVerifier broken = feed(3);
        assertThat(report(broken).ok()).isFalse();
        assertThat(broken.newestAcceptedCheckpoint()).isEmpty();
    }

    // ---- an intact log ----

    @Test
    void anIntactLogWithStoredAndSuppliedCheckpointsHasNoFindings() {
        append(3);
        publish();
        append(4);
        publish();
        supplied.add(checkpoint(5, key).serialize());

        VerificationReport report = verify();

        assertThat(report.findings()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.findingsTruncated()).isFalse();
        assertThat(report.tenant()).isEqualTo(ACME);
        assertThat(report.treeSize()).isEqualTo(7);
        assertThat(report.eventsChecked()).isEqualTo(7);
        assertThat(report.checkpointsChecked()).isEqualTo(3);
        assertThat(report.triggeredBy()).isEqualTo("auditor-1");
    }

    @Test
    void theChunkSizeDoesNotChangeTheOutcome() {
        append(600);
        publish();
        rows.put(300L, new Row(leaf(300), event(ACME, 9_999), null, null));
        for (int chunk : new int[] {1, 7, 255, 256, 300, 600, 1_000}) {
            VerificationReport report = report(feed(chunk));
            // Subtrees are compared at the end of each chunk, so only the order depends on the chunking.
            assertThat(report.findings()).as("chunk %d", chunk)
                    .containsExactlyInAnyOrderElementsOf(report(feed(600)).findings());
            assertThat(kinds(report)).containsOnly(Kind.LEAF_MISMATCH, Kind.SUBTREE_MISMATCH,
                    Kind.CHECKPOINT_ROOT_MISMATCH).hasSize(3);
            assertThat(report.findings()).contains(new VerificationFinding(Kind.SUBTREE_MISMATCH, 256L, null,
                    "stored hash of leaves [256, 512) differs from the rebuilt tree"));
            assertThat(report.eventsChecked()).isEqualTo(600);
        }
    }

    @Test
    void rebuildReturnsTheStoredTileHashesThatTheChunkCompleted() {
        append(600);
        LogVerifier verifier = verifier();
        verifier.treeSize(600);

        assertThat(verifier.rebuild(0, 255, rowsIn(0, 255))).isEmpty();
        assertThat(verifier.rebuild(255, 300, rowsIn(255, 300)))
                .containsExactly(Map.entry(new NodeRef(8, 0), tree.subtreeHash(0, 256)));
        // 512 also completes the level-9 node [0, 512): no tile holds that level, so it is not compared.
        assertThat(verifier.rebuild(300, 600, rowsIn(300, 600)))
                .containsExactly(Map.entry(new NodeRef(8, 1), tree.subtreeHash(256, 512)));
    }

    private List<Row> rowsIn(long from, long to) {
        List<Row> chunk = new ArrayList<>();
        for (long i = from; i < to; i++) {
            chunk.add(rows.get(i));
        }
        return chunk;
    }

    // ---- leaves ----

    @Test
    void aTamperedEventIsNamedByIndexAndEventIdAndBreaksTheRootAboveIt() {
        append(4);
        publish();
        AuditEvent original = events.get(2);
        AuditEvent altered = AuditEvent.restore(original.id(), original.receivedAt(), "mallory", original.content());
        rows.put(2L, new Row(leaf(2), altered, null, null));

        VerificationReport report = report(feed(4));

        assertThat(report.findings()).containsExactly(
                new VerificationFinding(Kind.LEAF_MISMATCH, 2L, original.id(), "index 2: event " + original.id()
                        + " no longer hashes to its leaf (content or position changed)"),
                new VerificationFinding(Kind.CHECKPOINT_ROOT_MISMATCH, 3L, null,
                        "checkpoint at size 4: root does not match the tree rebuilt from the events"));
        assertThat(report.eventsChecked()).isEqualTo(4);
    }

    @Test
    void anEventMovedToAnotherTenantNoLongerMatchesItsLeaf() {
        append(2);
        AuditEvent foreign = event(OTHER, 1);
        // The stored leaf hash is the foreign event's own: only the tenant gives it away.
        rows.put(1L, new Row(new LogLeaf(ACME, 1, foreign.id(), foreign.leafHash()), foreign, null, null));

        assertThat(verify().findings()).extracting(VerificationFinding::kind, VerificationFinding::index)
                .contains(tuple(Kind.LEAF_MISMATCH, 1L));
    }

    @Test
    void aDeletedLeafRowIsMissingAndCountsAsAZeroHash() {
        append(4);
        publish();
        rows.remove(1L);

        VerificationReport report = verify();

        assertThat(report.findings().get(0)).isEqualTo(new VerificationFinding(Kind.LEAF_MISSING, 1L, null,
                "index 1: no leaf is stored (row deleted)"));
        assertThat(kinds(report)).containsExactly(Kind.LEAF_MISSING, Kind.CHECKPOINT_ROOT_MISMATCH);
        assertThat(report.eventsChecked()).isEqualTo(3);
    }

    @Test
    void aMissingEventIsNamedButTheTreeKeepsTheStoredLeafHash() {
        append(4);
        publish();
        rows.put(3L, new Row(leaf(3), null, null, null));

        VerificationReport report = verify();

        assertThat(report.findings()).containsExactly(new VerificationFinding(Kind.EVENT_MISSING, 3L,
                events.get(3).id(), "index 3: event " + events.get(3).id() + " is missing from the event store"));
        assertThat(report.eventsChecked()).isEqualTo(3);
    }

    @Test
    void anEventAlteredIntoAnInvalidOneIsALeafMismatch() {
        append(2);
        rows.put(0L, new Row(leaf(0), null, "submittedBy is required", null));

        assertThat(verify().findings()).containsExactly(new VerificationFinding(Kind.LEAF_MISMATCH, 0L,
                events.get(0).id(), "index 0: event " + events.get(0).id()
                        + " was altered into an invalid event: submittedBy is required"));
    }

    @Test
    void aPurgedEventIsCheckedAgainstTheArchiveIndexOnly() {
        append(3);
        publish();
        rows.put(0L, new Row(leaf(0), null, null, leaf(0).leafHash()));
        rows.put(1L, new Row(leaf(1), null, null, MerkleHashes.leafHash(new byte[] {1})));

        VerificationReport report = verify();

        assertThat(report.findings()).containsExactly(new VerificationFinding(Kind.LEAF_MISMATCH, 1L,
                events.get(1).id(), "index 1: the archive index records another leaf hash for event "
                        + events.get(1).id()));
        assertThat(report.eventsChecked()).isEqualTo(1);
    }

    @Test
    void aStoredSubtreeThatDiffersOrIsMissingIsNamedByItsRange() {
        append(768);
        publish();
        subtreeOverrides.put(new NodeRef(8, 1), MerkleHashes.leafHash(new byte[] {2}));
        subtreesDeleted.add(new NodeRef(8, 0));

        assertThat(verify().findings()).containsExactlyInAnyOrder(
                new VerificationFinding(Kind.SUBTREE_MISMATCH, 0L, null,
                        "stored hash of leaves [0, 256) differs from the rebuilt tree"),
                new VerificationFinding(Kind.SUBTREE_MISMATCH, 256L, null,
                        "stored hash of leaves [256, 512) differs from the rebuilt tree"));
    }

    // ---- checkpoints ----

    @Test
    void aCheckpointWithAWrongRootIsNamedAtItsSize() {
        append(5);
        store(note(Checkpoint.of(ORIGIN, 3, tree.root(2)), key));
        publish();

        VerificationReport report = verify();

        assertThat(report.findings()).containsExactly(new VerificationFinding(Kind.CHECKPOINT_ROOT_MISMATCH, 2L,
                null, "checkpoint at size 3: root does not match the tree rebuilt from the events"));
        assertThat(report.checkpointsChecked()).isEqualTo(2);
    }

    @Test
    void aCheckpointByAnotherKeyIsASignatureFindingAndItsRootIsNotTrusted() {
        append(3);
        NoteSigner stranger = new NoteSigner("stenographer.test/log", Ed25519Keys.generate().getPrivate());
        store(note(Checkpoint.of(ORIGIN, 3, tree.root(1)), stranger));

        VerificationReport report = verify();

        assertThat(report.findings()).containsExactly(new VerificationFinding(Kind.CHECKPOINT_SIGNATURE, null, null,
                "stored checkpoint at size 3: signature does not verify with key " + keys.label()
                        + ": checkpoint carries no signature by a key in the key set"));
    }

    @Test
    void aSignatureThatDoesNotVerifyIsAFinding() {
        append(3);
        SignedNote good = checkpoint(3, key);
        // The log's key line over another body: a signature moved onto this checkpoint.
        SignedNote moved = new SignedNote(good.body(), key.sign(Checkpoint.of(ORIGIN, 2, tree.root(2)).body())
                .signatures());
        supplied.add(moved.serialize());

        assertThat(verify().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
            assertThat(f.message()).startsWith("supplied checkpoint: signature does not verify with key "
                    + keys.label()).contains("does not verify");
        });
    }

    @Test
    void aCheckpointOfAnotherOriginIsASignatureFinding() {
        append(2);
        supplied.add(note(Checkpoint.of("stenographer.test/other", 2, tree.root(2)), key).serialize());

        assertThat(verify().findings()).containsExactly(new VerificationFinding(Kind.CHECKPOINT_SIGNATURE, null, null,
                "supplied checkpoint: origin 'stenographer.test/other' is not this log's origin '" + ORIGIN + "'"));
    }

    @Test
    void malformedNotesAndBodiesAreMalformedNotSignatureFindings() {
        append(2);
        supplied.add("not a signed note");
        supplied.add(key.sign("just some text\n").serialize());

        VerificationReport report = verify();

        assertThat(kinds(report)).containsExactly(Kind.CHECKPOINT_MALFORMED, Kind.CHECKPOINT_MALFORMED);
        assertThat(report.findings()).allSatisfy(f -> assertThat(f.message()).startsWith("supplied checkpoint: "));
        assertThat(report.checkpointsChecked()).isEqualTo(2);
    }

    @Test
    void unreadableStoredCheckpointsAreOneMalformedFinding() {
        append(1);
        LogVerifier verifier = verifier();
        verifier.checkpointsUnreadable("checkpoint row 3 does not match its columns");
        verifier.treeSize(1);

        assertThat(verifier.findings()).containsExactly(new VerificationFinding(Kind.CHECKPOINT_MALFORMED, null, null,
                "checkpoint row 3 does not match its columns"));
    }

    @Test
    void aCheckpointLargerThanTheLogMeansItWasRolledBack() {
        append(9);
        supplied.add(checkpoint(9, key).serialize());
        treeSize = 7;

        VerificationReport report = verify();

        assertThat(report.findings()).containsExactly(new VerificationFinding(Kind.LOG_ROLLED_BACK, 7L, null,
                "a checkpoint of size 9 was published but the log now holds only 7 leaves: it was rolled back,"
                        + " first missing index is 7"));
        assertThat(report.treeSize()).isEqualTo(7);
    }

    // ---- key rotation ----

    private final NoteSigner newKey = new NoteSigner("stenographer.test/log", Ed25519Keys.generate().getPrivate());

    @Test
    void checkpointsOfEveryKeyEraVerifyWithTheKeyValidAtTheirSize() {
        keys = KeySet.single(key.verifier()).rotatedTo(newKey.verifier(), 3);
        append(2);
        publish(key);
        append(1);
        publish(key, newKey);
        append(2);
        publish(newKey);

        VerificationReport report = verify();

        assertThat(report.findings()).isEmpty();
        assertThat(report.checkpointsChecked()).isEqualTo(3);
    }

    @Test
    void aKeyUsedOutsideItsEraIsASignatureFinding() {
        keys = KeySet.single(key.verifier()).rotatedTo(newKey.verifier(), 3);
        append(2);
        publish(newKey);
        append(1);
        publish(key, newKey);
        append(1);
        publish(key);

        VerificationReport report = verify();

        assertThat(kinds(report)).containsExactly(Kind.CHECKPOINT_SIGNATURE, Kind.CHECKPOINT_SIGNATURE);
        assertThat(report.findings().get(0).message()).startsWith("stored checkpoint at size 2:")
                .contains("valid only for sizes 3..");
        assertThat(report.findings().get(1).message()).startsWith("stored checkpoint at size 4:")
                .contains("valid only for sizes 0..3");
    }

    @Test
    void aHandoverSignedByTheNewKeyAloneIsASignatureFinding() {
        keys = KeySet.single(key.verifier()).rotatedTo(newKey.verifier(), 3);
        append(3);
        publish(newKey);

        assertThat(verify().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
            assertThat(f.message()).contains("size 3").contains("key handover");
        });
    }

    // ---- unpublished leaves, other checks ----

    @Test
    void leavesBeyondTheLastCheckpointAreUnpublishedUnlessALaterCheckpointCoversThem() {
        append(5);
        publish();
        append(2);

        LogVerifier verifier = feed(3);
        assertThat(verifier.leavesUnpublished()).isTrue();
        verifier.latestCheckpoint(4); // an older size never lowers what is covered
        assertThat(verifier.firstUnpublishedIndex()).isEqualTo(5);
        verifier.unpublishedLeaves(Optional.of(leaf(5)));
        assertThat(verifier.findings()).containsExactly(new VerificationFinding(Kind.LEAF_UNPUBLISHED, 5L,
                events.get(5).id(), "leaves [5, 7) are covered by no checkpoint; the first holds event "
                        + events.get(5).id()));

        LogVerifier raced = feed(3);
        raced.latestCheckpoint(7); // published by the sequencer after the checkpoints were read
        assertThat(raced.leavesUnpublished()).isFalse();
        raced.unpublishedLeaves(Optional.of(leaf(5)));
        assertThat(raced.findings()).isEmpty();
    }

    @Test
    void aLogWithoutCheckpointsIsUnpublishedFromIndexZero() {
        append(2);
        LogVerifier verifier = feed(3);
        verifier.latestCheckpoint(0);
        verifier.unpublishedLeaves(Optional.empty());

        assertThat(verifier.findings()).containsExactly(new VerificationFinding(Kind.LEAF_UNPUBLISHED, 0L, null,
                "leaves [0, 2) are covered by no checkpoint; the first holds event (none)"));
    }

    @Test
    void eventsOutsideTheLogAndOtherChecksFindingsAreAdded() {
        append(1);
        publish();
        LogVerifier verifier = feed(3);
        EventId outside = event(ACME, 50).id();
        verifier.add(new VerificationFinding(Kind.RETENTION_CHANGE_UNTRACED, null, null, "hold H-1 released"));
        verifier.eventOutsideLog(outside);

        assertThat(report(verifier).findings()).containsExactly(
                new VerificationFinding(Kind.RETENTION_CHANGE_UNTRACED, null, null, "hold H-1 released"),
                new VerificationFinding(Kind.EVENT_OUTSIDE_LOG, null, outside, "event " + outside
                        + " is stored but holds no log position and is not queued (inserted outside ingest)"));
    }

    // ---- the findings cap ----

    /** The events of leaves [from, to) are gone from the event store: one finding each. */
    private void eventsMissing(long from, long to) {
        for (long index = from; index < to; index++) {
            rows.put(index, new Row(leaf(index), null, null, null));
        }
    }

    @Test
    void findingsStopAtTheCapTheReportSaysItWasTruncatedAndNoFurtherChunkIsRead() {
        append(1500);
        eventsMissing(1, 1200); // 1,199 findings in the first two chunks; the third chunk is intact
        publish();

        LogVerifier verifier = feed(600);

        assertThat(verifier.full()).isTrue();
        assertThat(verifier.room()).isZero();
        VerificationReport report = report(verifier);
        assertThat(report.findings()).hasSize(LogVerifier.MAX_FINDINGS);
        assertThat(report.findings()).allSatisfy(f -> assertThat(f.kind()).isEqualTo(Kind.EVENT_MISSING));
        assertThat(report.findings().get(LogVerifier.MAX_FINDINGS - 1).index()).isEqualTo(LogVerifier.MAX_FINDINGS);
        assertThat(report.findingsTruncated()).isTrue();
        assertThat(report.eventsChecked()).as("only index 0: leaves [1200, 1500) were never read").isEqualTo(1);

        verifier.unpublishedLeaves(Optional.empty()); // skipped when full
        verifier.eventOutsideLog(event(ACME, 1).id());
        assertThat(report(verifier).findings()).hasSize(LogVerifier.MAX_FINDINGS);
    }

    @Test
    void belowTheCapNothingIsTruncated() {
        append(LogVerifier.MAX_FINDINGS);
        eventsMissing(1, LogVerifier.MAX_FINDINGS);
        publish();

        LogVerifier verifier = feed(100);

        assertThat(verifier.findings()).hasSize(LogVerifier.MAX_FINDINGS - 1);
        assertThat(verifier.room()).isEqualTo(1);
        assertThat(verifier.full()).isFalse();
        verifier.eventOutsideLog(event(ACME, 1).id());
        assertThat(verifier.full()).isTrue();
        assertThat(report(verifier).findingsTruncated()).isFalse();
        verifier.eventOutsideLog(event(ACME, 2).id());
        assertThat(report(verifier).findingsTruncated()).isTrue();
    }

    // ---- the order it is fed in ----

    @Test
    void checkpointsComeBeforeTheTreeSizeAndChunksFollowEachOther() {
        append(4);
        publish();
        LogVerifier verifier = verifier();
        assertThatThrownBy(() -> verifier.rebuild(0, 1, List.of())).isInstanceOf(IllegalStateException.class);
        verifier.treeSize(4);
        assertThatThrownBy(() -> verifier.storedCheckpoint(stored.get(0)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> verifier.suppliedCheckpoint(checkpoint(4, key).serialize()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> verifier.rebuild(1, 2, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 0");
        assertThatThrownBy(() -> verifier.rebuild(0, 5, List.of())).isInstanceOf(IllegalArgumentException.class);
        verifier.rebuild(0, 2, List.of(rows.get(0L), rows.get(1L)));
        verifier.rebuild(2, 4, List.of(rows.get(2L), rows.get(3L)));
        assertThat(report(verifier).findings()).isEmpty();
    }
}
