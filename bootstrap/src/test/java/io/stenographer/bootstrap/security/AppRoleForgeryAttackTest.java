package io.stenographer.bootstrap.security;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.application.port.in.IntegrateEventsUseCase;
import io.stenographer.application.port.in.ManageLegalHoldsUseCase;
import io.stenographer.application.port.in.PlaceLegalHoldCommand;
import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RecordEventsResult.Recorded;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.application.port.in.VerifyLogCommand;
import io.stenographer.application.port.in.VerifyLogUseCase;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.TestEvents;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.archive.SegmentManifest.PolicyRef;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.LogOrigins;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.log.VerificationFinding.Kind;
import io.stenographer.domain.log.VerificationReport;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.retention.HoldCriteria;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attacks by someone holding the application's database password (docs/SECURITY.md): they can read every leaf
 * hash and call every function the service calls, so each forged write must be refused by the database, or
 * deletes nothing it should keep and is then named by a verification run.
 */
@QuarkusTest
class AppRoleForgeryAttackTest {

    private static final int EVENTS = 8;

    private final RecordEventsUseCase recordEvents;
    private final IntegrateEventsUseCase integrate;
    private final VerifyLogUseCase verifyLog;
    private final ManageLegalHoldsUseCase holds;
    private final PostgresMerkleLog log;
    private final TransactionRunner transactions;
    private final SignCheckpointPort signer;
    private final LogOrigins origins;

    AppRoleForgeryAttackTest(RecordEventsUseCase recordEvents, IntegrateEventsUseCase integrate,
            VerifyLogUseCase verifyLog, ManageLegalHoldsUseCase holds, PostgresMerkleLog log,
            TransactionRunner transactions, SignCheckpointPort signer, LogOrigins origins) {
        this.signer = signer;
        this.origins = origins;
        this.recordEvents = recordEvents;
        this.integrate = integrate;
        this.verifyLog = verifyLog;
        this.holds = holds;
        this.log = log;
        this.transactions = transactions;
    }

    @Test
    void insertingCatalogRowsDirectlyIsRefused() throws SQLException {
        TenantId tenant = seededTenant();
        LogLeaf leaf = leaf(tenant, 0);
        assertRefusedAsApp("permission denied", "INSERT INTO archive_segment (object_key, tenant, from_index,"
                + " to_index, object_sha256, range_root, checkpoint_tree_size, manifest, retain_until, archived_at,"
                + " confirmed_lock_mode, confirmed_retain_until) VALUES ('forged', '" + tenant + "', 0, 1, repeat('a',"
                + " 64), '\\x" + leaf.leafHash().hex() + "', 1, '{}', now(), now(), 'COMPLIANCE', now())");
        assertRefusedAsApp("permission denied", "INSERT INTO archived_event (tenant, log_index, event_id, segment_key,"
                + " leaf_hash, actor_id, action, outcome, occurred_at, received_at) VALUES ('" + tenant + "', 0, '"
                + leaf.eventId() + "', 'forged', '\\x" + leaf.leafHash().hex() + "', 'a', 'case.view', 'success',"
                + " now(), now())");
        assertRefusedAsApp("permission denied", "INSERT INTO archive_segment_deletion (object_key, deleted_at,"
                + " job_run_id) VALUES ('forged', now(), gen_random_uuid())");
    }

    @Test
    void aSegmentWhoseRootIsNotTheTreeHashOfItsRangeIsRefused() throws SQLException {
        TenantId tenant = seededTenant();
        assertThatThrownBy(() -> recordSegment(tenant, "forged/" + UUID.randomUUID(), 0, 4,
                leaf(tenant, 0).leafHash().bytes(), eventIds(tenant, 0, 4), EVENTS))
                .hasMessageContaining("not the tree hash of leaves [0, 4)");
    }

    @Test
    void aSegmentThatLeavesAGapOrReachesPastTheCheckpointIsRefused() throws SQLException {
        TenantId tenant = seededTenant();
        assertThatThrownBy(() -> recordSegment(tenant, "forged/" + UUID.randomUUID(), 2, 4, rangeRoot(tenant, 2, 4),
                eventIds(tenant, 2, 4), EVENTS)).hasMessageContaining("catalogue of " + tenant + " ends at 0");
        // A huge to_index would block the tenant's archiving for good; no checkpoint covers it.
        assertThatThrownBy(() -> recordSegment(tenant, "forged/" + UUID.randomUUID(), 0, 1_000_000_000L,
                leaf(tenant, 0).leafHash().bytes(), eventIds(tenant, 0, 1), 1_000_000_000L))
                .hasMessageContaining("not inside signed checkpoint");
    }

    @Test
    void aSegmentNamingOtherEventsThanItsLeavesIsRefused() throws SQLException {
        TenantId tenant = seededTenant();
        List<UUID> shuffled = new ArrayList<>(eventIds(tenant, 0, 4));
        Collections.swap(shuffled, 0, 1);
        assertThatThrownBy(() -> recordSegment(tenant, "forged/" + UUID.randomUUID(), 0, 4, rangeRoot(tenant, 0, 4),
                shuffled, EVENTS)).hasMessageContaining("does not name exactly the events");
    }

    @Test
    void aWellFormedForgedSegmentThenAPurgeIsNamedByTheNextVerification() throws SQLException {
        TenantId tenant = seededTenant();
        // A sound run first, so the next one is incremental: it reads back only the segments recorded since.
        assertThat(verify(tenant).ok()).isTrue();
        String key = "forged/" + UUID.randomUUID();
        // Everything checkable from the database is right; only the archive copy does not exist.
        recordSegment(tenant, key, 0, 4, rangeRoot(tenant, 0, 4), eventIds(tenant, 0, 4), EVENTS);
        assertThat(purgeAsApp(tenant, eventIds(tenant, 0, 4))).isEqualTo(4);
        VerificationReport report = verify(tenant);
        assertThat(report.full()).isFalse();
        assertThat(report.ok()).isFalse();
        assertThat(report.findings()).anySatisfy(finding -> {
            assertThat(finding.kind()).isEqualTo(Kind.ARCHIVE_SEGMENT_UNSOUND);
            assertThat(finding.message()).contains(key).contains("missing from the archive store");
        });
    }

    @Test
    void aHeldEventIsNotPurgedEvenThroughAForgedSegment() throws SQLException {
        TenantId tenant = seededTenant();
        String heldActor = "actor-0-1";
        Caller counsel = Caller.withRolesOnTenants("counsel", Set.of(Role.COMPLIANCE_ADMIN), Set.of(tenant));
        holds.place(new PlaceLegalHoldCommand(counsel, tenant,
                new HoldCriteria(heldActor, null, null, null, null, null), "case-7", "litigation"));
        recordSegment(tenant, "forged/" + UUID.randomUUID(), 0, 4, rangeRoot(tenant, 0, 4), eventIds(tenant, 0, 4),
                EVENTS);
        assertThat(purgeAsApp(tenant, eventIds(tenant, 0, 4))).as("all but the held event").isEqualTo(3);
        assertThat(countAsSuperuser("SELECT count(*) FROM audit_event WHERE tenant = '" + tenant
                + "' AND actor_id = '" + heldActor + "'")).isEqualTo(1);
    }

    @Test
    void insertingAHoldReleaseDirectlyOrWithoutItsEventIsRefused() throws SQLException {
        TenantId tenant = seededTenant();
        Caller counsel = Caller.withRolesOnTenants("counsel", Set.of(Role.COMPLIANCE_ADMIN), Set.of(tenant));
        UUID hold = holds.place(new PlaceLegalHoldCommand(counsel, tenant, HoldCriteria.WHOLE_TENANT, "case-8",
                "litigation")).hold().id().value();
        assertRefusedAsApp("permission denied", "INSERT INTO legal_hold_release (hold_id, released_by, released_at,"
                + " reason) VALUES ('" + hold + "', 'insider', now(), 'quietly')");
        assertRefusedAsApp("needs its legal-hold.released event",
                "SELECT stenographer_release_legal_hold('" + hold + "', 'insider', now(), 'quietly')");
    }

    @Test
    void insertingAShortenedPolicyVersionDirectlyOrWithoutItsEventIsRefused() throws SQLException {
        TenantId tenant = seededTenant();
        assertRefusedAsApp("permission denied", "INSERT INTO retention_policy_version (tenant, policy_id, version,"
                + " archive_after, retain_for, legal_basis, created_by, created_at) VALUES ('" + tenant
                + "', 'short', 1, 'PT1H', 'PT1H', 'none', 'insider', now())");
        assertRefusedAsApp("needs its retention.policy.created event",
                "SELECT stenographer_add_retention_policy_version('" + tenant + "', 'short', 1, NULL, NULL, 'PT1H',"
                        + " 'PT1H', 'none', 'insider', now(), NULL, NULL, NULL)");
        assertRefusedAsApp("permission denied", "INSERT INTO retention_policy_retirement (tenant, policy_id, version,"
                + " retired_by, retired_at) VALUES ('" + tenant + "', 'short', 1, 'insider', now())");
    }

    @Test
    void aShortenedVersionWithItsEventButNoSecondAdminsApprovalIsRefused() throws SQLException {
        TenantId tenant = seededTenant();
        // Version 1 through the function, with its event, as the service writes it.
        forgeSelfAudit(tenant, "retention.policy.created", 1);
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            statement.execute("SELECT stenographer_add_retention_policy_version('" + tenant + "', 'cases', 1, NULL, NULL,"
                    + " 'P1D', 'P10Y', 'statute', 'admin-a', now(), NULL, NULL, NULL)");
        }
        // The insider forges the events too, and even a proposal, but cannot approve it as somebody else would.
        forgeSelfAudit(tenant, "retention.policy.created", 2);
        forgeSelfAudit(tenant, "retention.policy.shortening-approved", 2);
        assertRefusedAsApp("needs an approved proposal", "SELECT stenographer_add_retention_policy_version('" + tenant
                + "', 'cases', 2, NULL, NULL, 'P1D', 'P1D', 'statute', 'insider', now(), NULL, NULL, NULL)");
        UUID proposal = UUID.randomUUID();
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO retention_policy_proposal (id, tenant, policy_id, base_version, archive_after,"
                    + " retain_for, legal_basis, proposed_by, proposed_at) VALUES ('" + proposal + "', '" + tenant
                    + "', 'cases', 1, 'P1D', 'P1D', 'statute', 'insider', now())");
        }
        assertRefusedAsApp("needs the approval of a second admin", "SELECT stenographer_add_retention_policy_version('"
                + tenant + "', 'cases', 2, NULL, NULL, 'P1D', 'P1D', 'statute', 'insider', now(), '" + proposal
                + "', 'insider', now())");
        assertRefusedAsApp("permission denied", "INSERT INTO retention_policy_approval (proposal_id, tenant, policy_id,"
                + " version, approved_by, approved_at) VALUES ('" + proposal + "', '" + tenant + "', 'cases', 2,"
                + " 'accomplice', now())");
    }

    @Test
    void aVersionShorterFromSomeDaysThoughEqualFromTheReferenceDayNeedsAnApprovedProposal() throws SQLException {
        TenantId tenant = seededTenant();
        forgeSelfAudit(tenant, "retention.policy.created", 1);
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            statement.execute("SELECT stenographer_add_retention_policy_version('" + tenant + "', 'cases', 1, NULL, NULL,"
                    + " 'P1D', 'P31D', 'statute', 'admin-a', now(), NULL, NULL, NULL)");
        }
        forgeSelfAudit(tenant, "retention.policy.created", 2);
        // From 2000-01-01 both are 31 days; from 1 February a month is 28 or 29: some records would go sooner.
        assertRefusedAsApp("needs an approved proposal", "SELECT stenographer_add_retention_policy_version('" + tenant
                + "', 'cases', 2, NULL, NULL, 'P1D', 'P1M', 'statute', 'insider', now(), NULL, NULL, NULL)");
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            // Longer from every day: no approval needed.
            statement.execute("SELECT stenographer_add_retention_policy_version('" + tenant + "', 'cases', 2, NULL,"
                    + " NULL, 'P1D', 'P32D', 'statute', 'admin-a', now(), NULL, NULL, NULL)");
        }
    }

    @Test
    void aProposedNewIdIsStoredOnlyAsProposedAndWithASecondAdminsApproval() throws SQLException {
        // A new id can shorten retention by taking events over from a longer policy (the service's judgment, V11):
        // once proposed, the database holds the version to its proposal and to a second admin.
        TenantId tenant = seededTenant();
        forgeSelfAudit(tenant, "retention.policy.created", 1);
        forgeSelfAudit(tenant, "retention.policy.shortening-approved", 1);
        assertRefusedAsApp("must build on its latest version", "INSERT INTO retention_policy_proposal (id, tenant,"
                + " policy_id, base_version, archive_after, retain_for, legal_basis, proposed_by, proposed_at) VALUES ('"
                + UUID.randomUUID() + "', '" + tenant + "', 'cases', 3, 'P1D', 'P1D', 'statute', 'insider', now())");
        UUID proposal = UUID.randomUUID();
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO retention_policy_proposal (id, tenant, policy_id, base_version, archive_after,"
                    + " retain_for, legal_basis, proposed_by, proposed_at) VALUES ('" + proposal + "', '" + tenant
                    + "', 'cases', 0, 'P1D', 'P2D', 'statute', 'insider', now())");
        }
        assertRefusedAsApp("does not match its proposal", "SELECT stenographer_add_retention_policy_version('"
                + tenant + "', 'cases', 1, NULL, NULL, 'P1D', 'P1D', 'statute', 'insider', now(), '" + proposal
                + "', 'accomplice', now())");
        assertRefusedAsApp("needs the approval of a second admin", "SELECT stenographer_add_retention_policy_version('"
                + tenant + "', 'cases', 1, NULL, NULL, 'P1D', 'P2D', 'statute', 'insider', now(), '" + proposal
                + "', 'insider', now())");
        assertThat(countAsSuperuser("SELECT count(*) FROM retention_policy_version WHERE tenant = '" + tenant + "'"))
                .isZero();
    }

    @Test
    void aRetirementWithItsEventsButNoSecondAdminsApprovalIsRefused() throws SQLException {
        TenantId tenant = seededTenant();
        forgeSelfAudit(tenant, "retention.policy.created", 1);
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            statement.execute("SELECT stenographer_add_retention_policy_version('" + tenant + "', 'cases', 1, NULL, NULL,"
                    + " 'P1D', 'P10Y', 'statute', 'admin-a', now(), NULL, NULL, NULL)");
        }
        // Retiring hands the events to the shorter default; the insider forges every event the retirement needs.
        forgeSelfAudit(tenant, "retention.policy.retirement-approved", 1);
        forgeSelfAudit(tenant, "retention.policy.retired", 1);
        assertRefusedAsApp("does not exist", "SELECT stenographer_retire_retention_policy('" + tenant + "', 'cases', 1,"
                + " 'insider', now())");
        assertRefusedAsApp("needs a proposal approved by a second admin", "SELECT stenographer_retire_retention_policy('"
                + UUID.randomUUID() + "', 'accomplice', now())");
        UUID proposal = UUID.randomUUID();
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO retention_policy_retirement_proposal (id, tenant, policy_id, version,"
                    + " proposed_by, proposed_at) VALUES ('" + proposal + "', '" + tenant + "', 'cases', 1, 'insider',"
                    + " now())");
        }
        assertRefusedAsApp("needs the approval of a second admin", "SELECT stenographer_retire_retention_policy('"
                + proposal + "', 'insider', now())");
        assertRefusedAsApp("permission denied", "INSERT INTO retention_policy_retirement_approval (proposal_id, tenant,"
                + " policy_id, version, approved_by, approved_at) VALUES ('" + proposal + "', '" + tenant + "', 'cases',"
                + " 1, 'accomplice', now())");
        assertRefusedAsApp("permission denied", "INSERT INTO retention_policy_retirement (tenant, policy_id, version,"
                + " retired_by, retired_at) VALUES ('" + tenant + "', 'cases', 1, 'insider', now())");
        assertThat(countAsSuperuser("SELECT count(*) FROM retention_policy_retirement WHERE tenant = '" + tenant
                + "'")).isZero();
    }

    /** A self-audit event as the application role could insert it. */
    private static void forgeSelfAudit(TenantId tenant, String action, int version) throws SQLException {
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO audit_event (id, tenant, received_at, submitted_by, actor_id, actor_type,"
                    + " action, resource_type, resource_id, outcome, occurred_at, source_application, metadata,"
                    + " leaf_hash) VALUES (gen_random_uuid(), '" + tenant + "', now(), 'insider', 'insider', 'user', '"
                    + action + "', 'retention-policy', 'cases', 'success', now(), 'stenographer', '{\"version\":"
                    + version + "}', '\\x" + "00".repeat(32) + "')");
        }
    }

    @Test
    void aHoldReleaseWrittenAroundTheServiceIsNamedByVerification() throws SQLException {
        TenantId tenant = seededTenant();
        Caller counsel = Caller.withRolesOnTenants("counsel", Set.of(Role.COMPLIANCE_ADMIN), Set.of(tenant));
        UUID hold = holds.place(new PlaceLegalHoldCommand(counsel, tenant, HoldCriteria.WHOLE_TENANT, "case-9",
                "litigation")).hold().id().value();
        // Only the database superuser can still write it directly.
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO legal_hold_release (hold_id, released_by, released_at, reason) VALUES ('" + hold
                    + "', 'dba', now(), 'quietly')");
        }
        assertThat(verify(tenant).findings()).anySatisfy(finding -> {
            assertThat(finding.kind()).isEqualTo(Kind.RETENTION_CHANGE_UNTRACED);
            assertThat(finding.message()).contains("release of legal hold " + hold);
        });
    }

    @Test
    void aForgedSigningKeyEraIsRefusedOrNamedByVerification() throws SQLException {
        TenantId tenant = seededTenant();
        String appKey = signer.verifier().toVerifierKey();
        NoteSigner insider = new NoteSigner(signer.verifier().name(), Ed25519Keys.generate().getPrivate());
        String insiderKey = insider.verifier().toVerifierKey();
        assertRefusedAsApp("permission denied", "INSERT INTO log_signing_key (tenant, verifier_key, first_size)"
                + " VALUES ('" + tenant + "', '" + insiderKey + "', 0)");
        assertRefusedAsApp("permission denied", "UPDATE log_signing_key SET last_size = 0 WHERE tenant = '" + tenant
                + "'");
        assertRefusedAsApp("permission denied", "DELETE FROM log_signing_key WHERE tenant = '" + tenant + "'");
        assertRefusedAsApp("is not signed by", "SELECT stenographer_record_signing_key_rotation('" + tenant + "', '"
                + insiderKey + "', '" + appKey + "', " + EVENTS + ")");
        assertRefusedAsApp("must be its latest checkpoint", "SELECT stenographer_record_signing_key_rotation('" + tenant
                + "', '" + appKey + "', '" + insiderKey + "', 3)");
        assertRefusedAsApp("needs its log.key-rotated event", "SELECT stenographer_record_signing_key_rotation('"
                + tenant + "', '" + appKey + "', '" + insiderKey + "', " + EVENTS + ")");

        // The whole forgery the role can write: the announcement as a leaf, a checkpoint over it signed by the
        // insider's key alone (the old key's half is out of reach), and the new era.
        Hash announcementHash = new Hash(new byte[32]);
        UUID announcement = UUID.randomUUID();
        InMemoryMerkleTree tree = new InMemoryMerkleTree();
        for (long index = 0; index < EVENTS; index++) {
            tree.append(leaf(tenant, index).leafHash());
        }
        tree.append(announcementHash);
        Checkpoint forged = Checkpoint.of(origins.originOf(tenant), EVENTS + 1, tree.root());
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO audit_event (id, tenant, received_at, submitted_by, actor_id, actor_type,"
                    + " action, resource_type, resource_id, outcome, occurred_at, source_application, metadata,"
                    + " leaf_hash) VALUES ('" + announcement + "', '" + tenant + "', now(), 'insider', 'insider',"
                    + " 'service', 'log.key-rotated', 'signing-key', 'x', 'success', now(), 'stenographer',"
                    + " '{\"previousKey\":\"" + appKey + "\",\"newKey\":\"" + insiderKey + "\"}', '\\x"
                    + announcementHash.hex() + "')");
            statement.execute("DELETE FROM integration_queue WHERE event_id = '" + announcement + "'");
            statement.execute("INSERT INTO log_leaf (tenant, leaf_index, event_id, leaf_hash) VALUES ('" + tenant
                    + "', " + EVENTS + ", '" + announcement + "', '\\x" + announcementHash.hex() + "')");
            statement.execute("INSERT INTO log_checkpoint (tenant, tree_size, root_hash, signed_note, published_at)"
                    + " VALUES ('" + tenant + "', " + (EVENTS + 1) + ", '\\x" + tree.root().hex() + "', '"
                    + forged.sign(insider).serialize() + "', now())");
            statement.execute("SELECT stenographer_record_signing_key_rotation('" + tenant + "', '" + appKey + "', '"
                    + insiderKey + "', " + (EVENTS + 1) + ")");
        }
        assertThat(verify(tenant).findings()).anySatisfy(finding -> {
            assertThat(finding.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
            assertThat(finding.message()).contains("key handover").contains(signer.verifier().keyIdHex());
        });
    }

    /** As the service records a segment; the manifest is well formed and agrees with the row. */
    private void recordSegment(TenantId tenant, String key, long from, long to, byte[] root, List<UUID> ids,
            long checkpointSize) throws SQLException {
        SegmentManifest manifest = new SegmentManifest(tenant, key, from, to, "a".repeat(64), new Hash(root),
                checkpointSize, "forged checkpoint", List.of(new PolicyRef("default", 1, "none")),
                Instant.now().plus(Duration.ofDays(1)), Instant.now());
        try (Connection app = appConnection();
                PreparedStatement call = app.prepareStatement("SELECT stenographer_record_segment(?, ?, ?, ?, ?, ?, ?,"
                        + " ?, now() + interval '1 day', now(), 'COMPLIANCE', now() + interval '1 day', ?)")) {
            call.setString(1, key);
            call.setString(2, tenant.value());
            call.setLong(3, from);
            call.setLong(4, to);
            call.setString(5, "a".repeat(64));
            call.setBytes(6, root);
            call.setLong(7, checkpointSize);
            call.setString(8, new String(manifest.toCanonicalBytes(), StandardCharsets.UTF_8));
            call.setArray(9, app.createArrayOf("uuid", ids.toArray()));
            call.execute();
        }
    }

    private int purgeAsApp(TenantId tenant, List<UUID> ids) throws SQLException {
        try (Connection app = appConnection();
                PreparedStatement purge = app.prepareStatement(
                        "SELECT count(*) FROM stenographer_purge_archived_events(?, ?)")) {
            purge.setString(1, tenant.value());
            Array array = app.createArrayOf("uuid", ids.toArray());
            purge.setArray(2, array);
            try (ResultSet rs = purge.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static byte[] rangeRoot(TenantId tenant, long from, long to) throws SQLException {
        try (Connection app = appConnection();
                PreparedStatement root = app.prepareStatement("SELECT stenographer_range_root(?, ?, ?)")) {
            root.setString(1, tenant.value());
            root.setLong(2, from);
            root.setLong(3, to);
            try (ResultSet rs = root.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private List<UUID> eventIds(TenantId tenant, long from, long to) {
        List<UUID> ids = new ArrayList<>();
        for (long index = from; index < to; index++) {
            ids.add(leaf(tenant, index).eventId().value());
        }
        return ids;
    }

    private static void assertRefusedAsApp(String message, String sql) {
        assertThatThrownBy(() -> {
            try (Connection app = appConnection(); Statement statement = app.createStatement()) {
                statement.execute(sql);
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining(message);
    }

    private static long countAsSuperuser(String sql) throws SQLException {
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection appConnection() throws SQLException {
        return EmbeddedPostgresTestResource.server().connectionAs(EmbeddedPostgresServer.APP_ROLE);
    }

    private TenantId seededTenant() {
        TenantId tenant = new TenantId("forge-" + UUID.randomUUID().toString().substring(0, 8));
        Caller writer = Caller.withRolesOnTenants("forge-writer", Set.of(Role.AUDIT_WRITER), Set.of(tenant));
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            drafts.add(TestEvents.draft(tenant, "actor-0-" + i));
        }
        recordEvents.record(new RecordEventsCommand(writer, drafts)).items()
                .forEach(item -> assertThat(item).isInstanceOf(Recorded.class));
        Await.until("a checkpoint of size " + EVENTS + " for " + tenant, Await.DEADLINE, () -> {
            integrate.integratePending();
            return transactions.inTransaction(() -> log.latestCheckpoint(tenant))
                    .map(PublishedCheckpoint::treeSize).orElse(0L);
        }, size -> size == EVENTS);
        return tenant;
    }

    private VerificationReport verify(TenantId tenant) {
        Caller auditor = Caller.withRolesOnTenants("forge-auditor", Set.of(Role.AUDITOR), Set.of(tenant));
        return verifyLog.verify(new VerifyLogCommand(auditor, tenant, List.of(), false));
    }

    private LogLeaf leaf(TenantId tenant, long index) {
        return transactions.inTransaction(() -> log.leafAt(tenant, index)).orElseThrow();
    }
}
