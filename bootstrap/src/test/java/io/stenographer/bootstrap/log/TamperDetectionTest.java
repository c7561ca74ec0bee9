package io.stenographer.bootstrap.log;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.application.port.in.InclusionProofQuery;
import io.stenographer.application.port.in.IntegrateEventsUseCase;
import io.stenographer.application.port.in.LogProofsUseCase;
import io.stenographer.application.port.in.LogProofsUseCase.LeafSelector;
import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RecordEventsResult.Recorded;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.application.port.in.VerifyLogCommand;
import io.stenographer.application.port.in.VerifyLogUseCase;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.TestEvents;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.log.VerificationFinding;
import io.stenographer.domain.log.VerificationFinding.Kind;
import io.stenographer.domain.log.VerificationReport;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tampering done the way an insider with database superuser rights would: directly in PostgreSQL,
 * with the append-only triggers switched off for the session. Verification must name what changed.
 */
@QuarkusTest
class TamperDetectionTest {

    private static final int EVENTS = 24;

    private final RecordEventsUseCase recordEvents;
    private final IntegrateEventsUseCase integrate;
    private final VerifyLogUseCase verifyLog;
    private final PostgresMerkleLog log;
    private final TransactionRunner transactions;
    private final LogProofsUseCase proofs;

    TamperDetectionTest(RecordEventsUseCase recordEvents, IntegrateEventsUseCase integrate, VerifyLogUseCase verifyLog,
            PostgresMerkleLog log, TransactionRunner transactions, LogProofsUseCase proofs) {
        this.proofs = proofs;
        this.recordEvents = recordEvents;
        this.integrate = integrate;
        this.verifyLog = verifyLog;
        this.log = log;
        this.transactions = transactions;
    }

    @Test
    void anUntouchedLogVerifies() {
        TenantId tenant = seededTenant();
        VerificationReport report = verify(tenant);
        assertThat(report.findings()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.treeSize()).isEqualTo(EVENTS);
        assertThat(report.eventsChecked()).isEqualTo(EVENTS);
        assertThat(report.checkpointsChecked()).isPositive();
    }

    @Test
    void theScheduledRunChecksEveryLogAndKeepsGoingPastABrokenOne() throws SQLException {
        TenantId broken = seededTenant();
        TenantId clean = seededTenant();
        asSuperuser("UPDATE audit_event SET reason = 'rewritten' WHERE id = '" + leaf(broken, 1).eventId() + "'");
        List<VerificationReport> reports = verifyLog.verifyAll(true);
        assertThat(reports).filteredOn(r -> r.tenant().equals(broken)).singleElement()
                .satisfies(r -> assertThat(r.findings()).anySatisfy(f -> assertFinding(f, Kind.LEAF_MISMATCH, 1, null)));
        assertThat(reports).filteredOn(r -> r.tenant().equals(clean)).singleElement()
                .satisfies(r -> assertThat(r.ok()).isTrue());
    }

    @Test
    void aModifiedFieldIsNamedByIndexAndEventId() throws SQLException {
        TenantId tenant = seededTenant();
        LogLeaf victim = leaf(tenant, 7);
        asSuperuser("UPDATE audit_event SET reason = 'nothing to see here' WHERE id = '" + victim.eventId() + "'");
        assertThat(verify(tenant).findings())
                .anySatisfy(f -> assertFinding(f, Kind.LEAF_MISMATCH, 7, victim.eventId()));
    }

    @Test
    void aRowAlteredIntoAnInvalidEventIsNamedNotFatal() throws SQLException {
        TenantId tenant = seededTenant();
        LogLeaf victim = leaf(tenant, 5);
        asSuperuser("UPDATE audit_event SET action = 'DROP TABLE' WHERE id = '" + victim.eventId() + "'");
        VerificationReport report = verify(tenant);
        assertThat(report.findings()).anySatisfy(f -> {
            assertFinding(f, Kind.LEAF_MISMATCH, 5, victim.eventId());
            assertThat(f.message()).contains("invalid event");
        });
        assertThat(report.eventsChecked()).isEqualTo(EVENTS - 1);
    }

    @Test
    void aDeletedEventRowIsNamed() throws SQLException {
        TenantId tenant = seededTenant();
        LogLeaf victim = leaf(tenant, 3);
        asSuperuser("DELETE FROM audit_event WHERE id = '" + victim.eventId() + "'");
        assertThat(verify(tenant).findings())
                .anySatisfy(f -> assertFinding(f, Kind.EVENT_MISSING, 3, victim.eventId()));
    }

    @Test
    void aDeletedLeafRowIsNamed() throws SQLException {
        TenantId tenant = seededTenant();
        asSuperuser("DELETE FROM log_leaf WHERE tenant = '" + tenant + "' AND leaf_index = 11");
        List<VerificationFinding> findings = verify(tenant).findings();
        assertThat(findings).anySatisfy(f -> assertFinding(f, Kind.LEAF_MISSING, 11, null));
        assertThat(findings).anySatisfy(f -> assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_ROOT_MISMATCH));
    }

    @Test
    void anInsertedEventRowIsNamed() throws SQLException {
        TenantId tenant = seededTenant();
        LogLeaf template = leaf(tenant, 0);
        UUID forged = UUID.randomUUID();
        asSuperuser(insertCopyOf(template, forged));
        assertThat(verify(tenant).findings())
                .anySatisfy(f -> assertFinding(f, Kind.EVENT_OUTSIDE_LOG, null, new EventId(forged)));
    }

    @Test
    void anAppendedLeafOutsideIntegrationIsNamed() throws SQLException {
        TenantId tenant = seededTenant();
        LogLeaf template = leaf(tenant, 0);
        UUID forged = UUID.randomUUID();
        asSuperuser("INSERT INTO log_leaf (tenant, leaf_index, event_id, leaf_hash) VALUES ('" + tenant + "', "
                + EVENTS + ", '" + forged + "', '\\x" + template.leafHash().hex() + "')");
        assertThat(verify(tenant).findings())
                .anySatisfy(f -> assertFinding(f, Kind.LEAF_UNPUBLISHED, EVENTS, new EventId(forged)));
    }

    @Test
    void swappedEventRowsAreNamedAtBothIndexes() throws SQLException {
        TenantId tenant = seededTenant();
        LogLeaf first = leaf(tenant, 4);
        LogLeaf second = leaf(tenant, 9);
        UUID parked = UUID.randomUUID();
        asSuperuser("UPDATE audit_event SET id = '" + parked + "' WHERE id = '" + first.eventId() + "'",
                "UPDATE audit_event SET id = '" + first.eventId() + "' WHERE id = '" + second.eventId() + "'",
                "UPDATE audit_event SET id = '" + second.eventId() + "' WHERE id = '" + parked + "'");
        List<VerificationFinding> findings = verify(tenant).findings();
        assertThat(findings).anySatisfy(f -> assertFinding(f, Kind.LEAF_MISMATCH, 4, first.eventId()));
        assertThat(findings).anySatisfy(f -> assertFinding(f, Kind.LEAF_MISMATCH, 9, second.eventId()));
    }

    @Test
    void swappedLeafPositionsBreakTheRebuiltTree() throws SQLException {
        TenantId tenant = seededTenant();
        asSuperuser("UPDATE log_leaf SET leaf_index = 999999 WHERE tenant = '" + tenant + "' AND leaf_index = 2",
                "UPDATE log_leaf SET leaf_index = 2 WHERE tenant = '" + tenant + "' AND leaf_index = 5",
                "UPDATE log_leaf SET leaf_index = 5 WHERE tenant = '" + tenant + "' AND leaf_index = 999999");
        List<VerificationFinding> findings = verify(tenant).findings();
        // Leaf rows and events moved together, so only the signed roots give it away: every checkpoint that
        // covers index 2 (the first one moved) and none before it.
        assertThat(findings).isNotEmpty().allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_ROOT_MISMATCH);
            assertThat(f.index()).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void aProofOverADeletedLeafRowFailsLoudlyInsteadOfProvingSomethingElse() throws SQLException {
        TenantId tenant = seededTenant();
        asSuperuser("DELETE FROM log_leaf WHERE tenant = '" + tenant + "' AND leaf_index = 3");
        for (long index : new long[] {2, 9}) {
            assertThatThrownBy(() -> proofs.proveInclusion(new InclusionProofQuery(auditor(tenant), tenant,
                    LeafSelector.atIndex(index), (long) EVENTS)))
                    .isInstanceOf(LogIntegrityViolation.class).hasMessageContaining("lacks the stored hashes");
        }
    }

    @Test
    void aStoredTileHashThatDiffersFromTheRebuiltTreeIsNamedByItsRange() throws SQLException {
        TenantId tenant = seededTenant(300);
        asSuperuser("UPDATE merkle_subtree SET hash = '\\x" + "ab".repeat(32) + "' WHERE tenant = '" + tenant
                + "' AND level = 8 AND node_index = 0");
        assertThat(verify(tenant).findings()).singleElement().satisfies(f -> {
            assertFinding(f, Kind.SUBTREE_MISMATCH, 0, null);
            assertThat(f.message()).contains("[0, 256)");
        });
    }

    @Test
    void anIncrementalRunChecksWhatCameAfterTheLastSoundRunAndOnlyAFullRunRecomputesWhatCameBefore()
            throws SQLException {
        TenantId tenant = seededTenant(300);
        VerificationReport first = verify(tenant);
        assertThat(first.ok()).isTrue();
        assertThat(first.full()).as("no earlier run to continue").isTrue();
        LogLeaf below = leaf(tenant, 7);
        asSuperuser("UPDATE audit_event SET reason = 'rewritten' WHERE id = '" + below.eventId() + "'");
        UUID outside = EventId.newTimeOrdered(Instant.now(), new SplittableRandom()).value();
        asSuperuser(insertCopyOf(below, outside));
        // The first run's own audit.verify event, at least; the background sequencer may have integrated it already.
        long size = awaitCheckpointAbove(tenant, 300);

        VerificationReport incremental = verify(tenant);
        assertThat(incremental.leavesCheckedFrom()).isEqualTo(300);
        assertThat(incremental.anchoredAtSize()).isEqualTo(300);
        assertThat(incremental.treeSize()).isGreaterThanOrEqualTo(size);
        assertThat(incremental.eventsChecked()).isEqualTo(incremental.treeSize() - 300);
        assertThat(incremental.findings()).as("an event received since the last run is still looked at")
                .singleElement().satisfies(f -> assertFinding(f, Kind.EVENT_OUTSIDE_LOG, null, new EventId(outside)));

        VerificationReport full = verifyLog.verify(new VerifyLogCommand(auditor(tenant), tenant, List.of(), true));
        assertThat(full.full()).isTrue();
        assertThat(full.findings()).anySatisfy(f -> assertFinding(f, Kind.LEAF_MISMATCH, 7, below.eventId()));
    }

    @Test
    void aStoredTileHashRewrittenBelowTheLastSoundRunMakesTheIncrementalRunCheckEveryLeaf() throws SQLException {
        TenantId tenant = seededTenant(300);
        assertThat(verify(tenant).ok()).isTrue();
        // Leaves [0, 256) are on the stored tree's edge at 300, the size the run accepted.
        asSuperuser("UPDATE merkle_subtree SET hash = '\\x" + "ab".repeat(32) + "' WHERE tenant = '" + tenant
                + "' AND level = 8 AND node_index = 0");

        VerificationReport report = verify(tenant);

        assertThat(report.full()).isTrue();
        assertThat(report.findings()).first().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.SUBTREE_MISMATCH);
            assertThat(f.message()).contains("300 leaves below", "every leaf is checked again");
        });
        assertThat(report.findings()).anySatisfy(f -> assertFinding(f, Kind.SUBTREE_MISMATCH, 0, null));
    }

    private static String insertCopyOf(LogLeaf template, UUID id) {
        return "INSERT INTO audit_event (id, tenant, received_at, submitted_by, actor_id, actor_type, action, "
                + "outcome, occurred_at, source_application, metadata, leaf_hash) "
                + "SELECT '" + id + "', tenant, received_at, submitted_by, 'mallory', actor_type, action, outcome, "
                + "occurred_at, source_application, metadata, leaf_hash FROM audit_event WHERE id = '"
                + template.eventId() + "'";
    }

    /** Integrates what is pending until the tenant has a checkpoint above the size, and returns its size. */
    private long awaitCheckpointAbove(TenantId tenant, long treeSize) {
        return Await.until("a checkpoint above " + treeSize + " for " + tenant, Await.DEADLINE, () -> {
            integrate.integratePending();
            return latestTreeSize(tenant);
        }, size -> size > treeSize);
    }

    @Test
    void aForgedCheckpointIsRejected() throws SQLException {
        TenantId tenant = seededTenant();
        var latest = transactions.inTransaction(() -> log.latestCheckpoint(tenant)).orElseThrow();
        NoteSigner impostor = new NoteSigner("stenographer.local", Ed25519Keys.generate().getPrivate());
        String forged = Checkpoint.of(latest.checkpoint().origin(), latest.treeSize(),
                leaf(tenant, 0).leafHash()).sign(impostor).serialize();
        asSuperuser("UPDATE log_checkpoint SET signed_note = '" + forged + "' WHERE tenant = '" + tenant
                + "' AND tree_size = " + latest.treeSize());
        assertThat(verify(tenant).findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
            assertThat(f.message()).contains("size " + latest.treeSize());
        });
    }

    @Test
    void aRolledBackLogIsCaughtByACheckpointPublishedBefore() throws SQLException {
        TenantId tenant = seededTenant();
        String published = transactions.inTransaction(() -> log.latestCheckpoint(tenant)).orElseThrow().signedNote();
        // Roll back the last four events completely, checkpoints and subtrees included.
        asSuperuser("DELETE FROM audit_event WHERE id IN (SELECT event_id FROM log_leaf WHERE tenant = '" + tenant
                        + "' AND leaf_index >= " + (EVENTS - 4) + ")",
                "DELETE FROM log_leaf WHERE tenant = '" + tenant + "' AND leaf_index >= " + (EVENTS - 4),
                "DELETE FROM log_checkpoint WHERE tenant = '" + tenant + "' AND tree_size > " + (EVENTS - 4));
        VerificationReport report = transactions.inTransaction(() -> verifyLog.verify(new VerifyLogCommand(
                auditor(tenant), tenant, List.of(published), false)));
        assertThat(report.findings()).anySatisfy(f -> assertFinding(f, Kind.LOG_ROLLED_BACK, EVENTS - 4, null));
    }

    private static void assertFinding(VerificationFinding finding, Kind kind, Integer index, EventId eventId) {
        assertThat(finding.kind()).isEqualTo(kind);
        if (index != null) {
            assertThat(finding.index()).isEqualTo(index.longValue());
        }
        if (eventId != null) {
            assertThat(finding.eventId()).isEqualTo(eventId);
            assertThat(finding.message()).contains(eventId.toString());
        }
    }

    private TenantId seededTenant() {
        return seededTenant(EVENTS);
    }

    private TenantId seededTenant(int events) {
        TenantId tenant = new TenantId("tamper-" + UUID.randomUUID().toString().substring(0, 8));
        Caller writer = Caller.withRolesOnTenants("tamper-writer", Set.of(Role.AUDIT_WRITER), Set.of(tenant));
        // Three separate requests, so the log has several checkpoints.
        for (int batch = 0; batch < 3; batch++) {
            List<EventDraft> drafts = new ArrayList<>();
            for (int i = 0; i < events / 3; i++) {
                drafts.add(TestEvents.draft(tenant, "actor-" + batch + "-" + i));
            }
            recordEvents.record(new RecordEventsCommand(writer, drafts)).items()
                    .forEach(item -> assertThat(item).isInstanceOf(Recorded.class));
            long expected = (batch + 1L) * (events / 3);
            // The scheduled sequencer runs as well and may hold this tenant's lock, so a round of our own can
            // integrate nothing while its round has not committed: wait for this tenant's checkpoint instead.
            Await.until("a checkpoint of size " + expected + " for " + tenant, Await.DEADLINE, () -> {
                integrate.integratePending();
                return latestTreeSize(tenant);
            }, size -> size == expected);
        }
        assertThat(latestTreeSize(tenant)).isEqualTo(events);
        return tenant;
    }

    private long latestTreeSize(TenantId tenant) {
        return transactions.inTransaction(() -> log.latestCheckpoint(tenant)).map(PublishedCheckpoint::treeSize).orElse(0L);
    }

    private VerificationReport verify(TenantId tenant) {
        return verifyLog.verify(new VerifyLogCommand(auditor(tenant), tenant, List.of(), false));
    }

    private static Caller auditor(TenantId tenant) {
        return Caller.withRolesOnTenants("tamper-auditor", Set.of(Role.AUDITOR), Set.of(tenant));
    }

    private LogLeaf leaf(TenantId tenant, long index) {
        return transactions.inTransaction(() -> log.leafAt(tenant, index)).orElseThrow();
    }

    private static void asSuperuser(String... statements) throws SQLException {
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                Statement sql = db.createStatement()) {
            sql.execute("SET session_replication_role = replica"); // switches the append-only triggers off
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }
}
