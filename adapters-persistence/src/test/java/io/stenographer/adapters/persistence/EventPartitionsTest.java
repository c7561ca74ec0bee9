package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.PurgeEventsPort.Deferral;
import io.stenographer.application.port.out.PurgeEventsPort.PurgeCandidate;
import io.stenographer.application.port.out.PurgeEventsPort.PurgeCursor;
import io.stenographer.application.port.out.PurgeEventsPort.RevisitKey;
import io.stenographer.application.port.out.PurgeEventsPort.Revisits;
import io.stenographer.application.port.out.PurgePartitionsPort.HotPartition;
import io.stenographer.application.port.out.PurgePartitionsPort.PartitionEvent;
import io.stenographer.application.port.out.PurgePartitionsPort.PartitionKept;
import io.stenographer.application.port.out.PurgePartitionsPort.PartitionKind;
import io.stenographer.application.port.out.PurgePartitionsPort.PurgedRange;
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
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Purge by partition against real PostgreSQL (V15): a month leaves the hot store whole only when every event in it is
 * archived in a confirmed segment and unheld, and only through the narrow function; the application role can neither
 * create, detach, drop, truncate nor read a partition; idempotency keys stay unique across months and outlive the
 * purge.
 */
class EventPartitionsTest {

    private static final TenantId ALPHA = new TenantId("part-alpha");
    private static final TenantId BETA = new TenantId("part-beta");
    private static final Random RANDOM = new Random(11);

    @Test
    void aMonthLeavesWholeOnlyWhenEveryEventIsArchivedAndUnheldAndOnlyThroughTheFunction() throws Exception {
        ScratchDatabase database = ScratchDatabase.create("partitions_test", "latest");
        try (Connection app = database.app()) {
            PostgresEventPurge purge = new PostgresEventPurge(MigratedPostgres.sessionOn(() -> app));
            List<AuditEvent> alpha = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                alpha.add(event(ALPHA, n, Instant.parse("2026-10-05T10:00:00Z").plusSeconds(n)));
            }
            // One of this month between them: October's leaves of alpha are two islands, [0, 1] and [3, 4].
            alpha.add(2, event(ALPHA, 9, receivedNow()));
            List<AuditEvent> beta = List.of(event(BETA, 0, Instant.parse("2026-11-03T08:00:00Z")),
                    event(BETA, 1, Instant.parse("2026-11-03T08:00:01Z")));
            ScratchDatabase.appendWithLeaves(app, ALPHA, alpha, 0);
            ScratchDatabase.appendWithLeaves(app, BETA, beta, 0);

            // An empty store's first partition ends where this month begins: October and November are in it.
            String before = "audit_event_before_" + currentMonth().toString().replace('-', '_');
            HotPartition past = purge.partitionsEndedBefore(Instant.now()).stream()
                    .filter(partition -> partition.name().equals(before)).findFirst().orElseThrow();
            assertThat(past.fromId()).isNull();
            List<PartitionEvent> firstPage = purge.eventsOf(past, null, 4);
            List<PartitionEvent> secondPage = purge.eventsOf(past, firstPage.get(3).id(), 4);
            assertThat(purge.kindsOf(past)).containsExactlyInAnyOrder(
                    new PartitionKind(ALPHA, "case.view", "case", alpha.get(4).receivedAt(), 4),
                    new PartitionKind(BETA, "case.view", "case", beta.get(1).receivedAt(), 2));
            assertThat(firstPage).hasSize(4);
            assertThat(secondPage).hasSize(2);
            assertThat(firstPage.get(0).subject().tenant()).isEqualTo(ALPHA);
            assertThat(secondPage).allSatisfy(event -> assertThat(event.archived()).isFalse());

            // A key taken in October stays taken in this month's partition.
            assertThatThrownBy(() -> ScratchDatabase.appendWithLeaves(app, BETA, List.of(withClientId(BETA,
                    beta.get(0).content().clientEventId(), receivedNow())), 2))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("23505");
                        assertThat(e.getMessage()).contains("event_client_key_uq");
                    });

            archive(app, ALPHA, alpha, 0, 5);
            archive(app, BETA, beta, 0, 1);
            assertThatThrownBy(() -> purge.drop(past)).isInstanceOf(PartitionKept.class)
                    .hasMessageContaining("1 events of partition " + before + " are not archived or are held");

            archive(app, BETA, beta, 1, 2);
            UUID hold = UUID.randomUUID();
            try (PreparedStatement place = app.prepareStatement("INSERT INTO legal_hold (id, tenant, actor_id, reason,"
                    + " placed_by, placed_at) VALUES (?, ?, ?, 'litigation', 'counsel', now())")) {
                place.setObject(1, hold);
                place.setString(2, ALPHA.value());
                place.setString(3, alpha.get(3).content().actor().id());
                place.executeUpdate();
            }
            assertThatThrownBy(() -> purge.drop(past)).isInstanceOf(PartitionKept.class)
                    .hasMessageContaining("1 events of partition " + before);
            assertThat(count(app, "SELECT count(*) FROM audit_event WHERE tenant IN ('part-alpha', 'part-beta')"))
                    .isEqualTo(7);

            release(app, hold);
            String thisMonth = "audit_event_" + currentMonth().toString().replace('-', '_');
            HotPartition current = new HotPartition(thisMonth, idFloor(currentMonth()),
                    idFloor(currentMonth().plusMonths(1)), Instant.now().plus(Duration.ofDays(40)));
            assertThatThrownBy(() -> purge.drop(current)).isInstanceOf(PartitionKept.class)
                    .hasMessageContaining("still receives events");

            // The per-event purge's deferrals: due ones come back, held ones only when asked, in index order.
            Instant now = Instant.now();
            purge.defer(ALPHA, List.of(new Deferral(0, alpha.get(0).id(), now.minusSeconds(60), false),
                    new Deferral(2, alpha.get(2).id(), now.plusSeconds(3600), false),
                    new Deferral(3, alpha.get(3).id(), now.plusSeconds(3600), true)));
            assertThat(purge.revisits(ALPHA, false, now, RevisitKey.START, 10)).satisfies(revisits -> {
                assertThat(revisits.inHotStore()).extracting(PurgeCandidate::index).containsExactly(0L);
                assertThat(revisits.inHotStore().get(0).subject().receivedAt()).isEqualTo(alpha.get(0).receivedAt());
                assertThat(revisits.gone()).isEmpty();
                assertThat(revisits.last().index()).isZero();
            });
            assertThat(purge.revisits(ALPHA, false, null, RevisitKey.START, 1).inHotStore())
                    .extracting(PurgeCandidate::index).as("by revisit time first").containsExactly(0L);
            Revisits second = purge.revisits(ALPHA, false, null,
                    purge.revisits(ALPHA, false, null, RevisitKey.START, 1).last(), 1);
            assertThat(second.inHotStore()).extracting(PurgeCandidate::index).containsExactly(2L);
            assertThat(purge.revisits(ALPHA, false, null, second.last(), 1).isEmpty()).isTrue();
            assertThat(purge.revisits(ALPHA, true, null, RevisitKey.START, 10).inHotStore())
                    .extracting(PurgeCandidate::index).containsExactly(3L);
            assertThat(purge.revisits(BETA, false, null, RevisitKey.START, 10).isEmpty()).isTrue();
            purge.saveCursor(ALPHA, 5, "holds-a");
            purge.saveCursor(ALPHA, 3, "holds-b");
            assertThat(purge.cursor(ALPHA)).as("never moved back").isEqualTo(new PurgeCursor(5, "holds-b"));

            List<PurgedRange> purged = purge.drop(past);

            // Deferred events the dropped month took are reported gone, to be forgotten; this month's stays.
            Revisits afterDrop = purge.revisits(ALPHA, false, null, RevisitKey.START, 10);
            assertThat(afterDrop.gone()).containsExactly(0L);
            assertThat(afterDrop.inHotStore()).extracting(PurgeCandidate::index).containsExactly(2L);
            assertThat(purge.revisits(ALPHA, true, null, RevisitKey.START, 10).gone()).containsExactly(3L);
            purge.forget(ALPHA, List.of(0L, 3L));
            assertThat(purge.revisits(ALPHA, true, null, RevisitKey.START, 10).isEmpty()).isTrue();
            assertThat(purge.revisits(ALPHA, false, now, RevisitKey.START, 10).isEmpty()).isTrue();

            assertThat(purged).containsExactly(new PurgedRange(ALPHA, 0, 1), new PurgedRange(ALPHA, 3, 4),
                    new PurgedRange(BETA, 0, 1));
            assertThat(count(app, "SELECT count(*) FROM audit_event WHERE tenant IN ('part-alpha', 'part-beta')"
                    + " AND received_at < '2026-12-01'")).isZero();
            assertThat(count(app, "SELECT count(*) FROM log_leaf WHERE tenant IN ('part-alpha', 'part-beta')"))
                    .as("every leaf stays, the release's included").isEqualTo(8);
            assertThat(count(app, "SELECT count(*) FROM archived_event")).isEqualTo(7);
            assertThat(count(app, "SELECT count(*) FROM audit_event WHERE id = '" + alpha.get(2).id() + "'"))
                    .as("this month's event stays").isEqualTo(1);
            assertThat(count(app, "SELECT count(*) FROM pg_class WHERE relname = '" + before + "'")).isZero();
            assertThat(count(app, "SELECT events FROM event_partition_drop WHERE name = '" + before + "'"))
                    .isEqualTo(6);
            assertThat(purge.partitionsEndedBefore(Instant.now())).extracting(HotPartition::name)
                    .doesNotContain(before);
            // The key outlives its event.
            assertThatThrownBy(() -> ScratchDatabase.appendWithLeaves(app, BETA, List.of(withClientId(BETA,
                    beta.get(0).content().clientEventId(), receivedNow())), 2))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));

            refusedToTheApplication(app, thisMonth);
        }
        try (Connection owner = database.owner(); Statement statement = owner.createStatement()) {
            // Even the owner, outside the purge function, meets the triggers on every partition.
            String thisMonth = "audit_event_" + currentMonth().toString().replace('-', '_');
            assertThatThrownBy(() -> statement.execute("TRUNCATE " + thisMonth)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.execute("DELETE FROM audit_event")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }
    }

    private static void refusedToTheApplication(Connection app, String partition) throws SQLException {
        Map<String, String> attempts = Map.of(
                "DROP TABLE " + partition, "must be owner",
                "ALTER TABLE audit_event DETACH PARTITION " + partition, "must be owner",
                "TRUNCATE " + partition, "permission denied",
                "SELECT count(*) FROM " + partition, "permission denied",
                "CREATE TABLE audit_event_2099_01 PARTITION OF audit_event FOR VALUES FROM "
                        + "('f0000000-0000-0000-0000-000000000000') TO ('f1000000-0000-0000-0000-000000000000')",
                        "permission denied",
                "INSERT INTO event_client_key VALUES ('part-beta', 'forged', gen_random_uuid())", "permission denied",
                "SELECT stenographer_ensure_event_partitions(now() + interval '5 years')", "at most two years ahead",
                "SELECT * FROM stenographer_drop_event_partition('log_leaf')", "is not a partition");
        for (Map.Entry<String, String> attempt : attempts.entrySet()) {
            try (Statement statement = app.createStatement()) {
                assertThatThrownBy(() -> statement.execute(attempt.getKey())).as(attempt.getKey())
                        .isInstanceOf(SQLException.class).hasMessageContaining(attempt.getValue());
            }
        }
        try (Statement statement = app.createStatement();
                ResultSet again = statement.executeQuery(
                        "SELECT stenographer_ensure_event_partitions(now() + interval '1 month')")) {
            again.next();
            assertThat(again.getInt(1)).as("already created by the migration").isZero();
        }
    }

    /** Records a confirmed segment of leaves [from, to) through the narrow function, under a checkpoint at to. */
    private static void archive(Connection app, TenantId tenant, List<AuditEvent> events, int from, int to)
            throws SQLException {
        List<Hash> leaves = events.stream().map(AuditEvent::leafHash).toList();
        Hash root = InMemoryMerkleTree.of(leaves.subList(0, to)).root();
        Hash rangeRoot = InMemoryMerkleTree.of(leaves.subList(from, to)).root();
        try (PreparedStatement checkpoint = app.prepareStatement("INSERT INTO log_checkpoint (tenant, tree_size,"
                + " root_hash, signed_note, published_at) VALUES (?, ?, ?, 'note', now()) ON CONFLICT DO NOTHING")) {
            checkpoint.setString(1, tenant.value());
            checkpoint.setLong(2, to);
            checkpoint.setBytes(3, root.bytes());
            checkpoint.executeUpdate();
        }
        String key = tenant.value() + "/" + from + "-" + to;
        String sha = "ab".repeat(32);
        String manifest = "{\"objectKey\":\"" + key + "\",\"tenant\":\"" + tenant.value() + "\",\"from\":" + from
                + ",\"to\":" + to + ",\"objectSha256\":\"" + sha + "\",\"rangeRoot\":\"" + rangeRoot.hex()
                + "\",\"checkpointTreeSize\":" + to + "}";
        Timestamp retainUntil = Timestamp.from(Instant.now().plus(Duration.ofDays(3650)));
        try (PreparedStatement record = app.prepareStatement(
                "SELECT stenographer_record_segment(?, ?, ?, ?, ?, ?, ?, ?, ?, now(), 'COMPLIANCE', ?, ?)")) {
            record.setString(1, key);
            record.setString(2, tenant.value());
            record.setLong(3, from);
            record.setLong(4, to);
            record.setString(5, sha);
            record.setBytes(6, rangeRoot.bytes());
            record.setLong(7, to);
            record.setString(8, manifest);
            record.setTimestamp(9, retainUntil);
            record.setTimestamp(10, retainUntil);
            record.setArray(11, app.createArrayOf("uuid",
                    events.subList(from, to).stream().map(event -> event.id().value()).toArray()));
            record.execute();
        }
    }

    /** A release needs its self-audit event in the tenant's log first (V8). */
    private static void release(Connection app, UUID hold) throws SQLException {
        EventDraft draft = new EventDraft(ALPHA, new Actor("counsel", ActorType.USER, null),
                new Action("legal-hold.released"), new ResourceRef("legal-hold", hold.toString()), null,
                Outcome.SUCCESS, receivedNow(), new Source("stenographer", null, null), null, JsonObject.EMPTY, null);
        Instant now = receivedNow();
        AuditEvent released = AuditEvent.record(EventId.newTimeOrdered(now, RANDOM), now, "stenographer", draft);
        ScratchDatabase.appendWithLeaves(app, ALPHA, List.of(released), 5);
        try (PreparedStatement call = app.prepareStatement(
                "SELECT stenographer_release_legal_hold(?, 'counsel', now(), 'settled')")) {
            call.setObject(1, hold);
            call.execute();
        }
    }

    private static AuditEvent event(TenantId tenant, int n, Instant at) {
        return withClientId(tenant, "client-" + tenant.value() + "-" + n, at);
    }

    private static AuditEvent withClientId(TenantId tenant, String clientEventId, Instant at) {
        EventDraft draft = new EventDraft(tenant, new Actor("user-" + at.getEpochSecond(), ActorType.USER, "User"),
                new Action("case.view"), new ResourceRef("case", "c-1"), null, Outcome.SUCCESS, at,
                new Source("portal", "192.0.2.1", "Mozilla/5.0"), null, JsonObject.EMPTY, clientEventId);
        return AuditEvent.record(EventId.newTimeOrdered(at, RANDOM), at, "writer", draft);
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Now, at the microsecond precision events carry. */
    private static Instant receivedNow() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static YearMonth currentMonth() {
        return YearMonth.now(ZoneOffset.UTC);
    }

    private static EventId idFloor(YearMonth month) {
        long millis = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        return new EventId(new UUID(millis << 16, 0));
    }
}
