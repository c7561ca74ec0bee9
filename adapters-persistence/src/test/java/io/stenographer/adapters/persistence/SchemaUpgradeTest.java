package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.LoadLeafFieldsPort.LeafFields;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.SealedEventBytes;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Upgrading a populated store to the partitioned schema (V15): nothing is copied or lost, the existing rows become
 * the first partition, every leaf still recomputes from its stored event and every tree keeps its root, idempotency
 * keys carried over stay taken, new events are queued for integration exactly once with their arrival order
 * continuing, and the migrated rows are exactly as append-only as before.
 */
class SchemaUpgradeTest {

    private static final Instant FIRST = Instant.parse("2026-08-01T00:00:00Z");

    @Test
    void aPopulatedStoreBecomesTheFirstPartitionAndItsLogsStillVerify() throws Exception {
        ScratchDatabase database = ScratchDatabase.create("upgrade_test", "14");
        Map<TenantId, List<AuditEvent>> logs = new LinkedHashMap<>();
        Random random = new Random(5);
        long lastArrival;
        try (Connection app = database.app()) {
            for (String name : List.of("up-acme", "up-initech", "up-globex")) {
                TenantId tenant = new TenantId(name);
                List<AuditEvent> events = new ArrayList<>();
                for (int n = 0; n < 150; n++) {
                    // Spread over August to now, so the rows span several months.
                    Instant at = FIRST.plusSeconds((long) n * (Instant.now().getEpochSecond() - FIRST.getEpochSecond())
                            / 150).truncatedTo(ChronoUnit.MILLIS);
                    events.add(event(tenant, n, at, random));
                }
                ScratchDatabase.appendWithLeaves(app, tenant, events, 0);
                logs.put(tenant, events);
            }
            lastArrival = single(app, "SELECT max(ingest_seq) FROM audit_event");
        }
        Map<TenantId, Hash> roots = new LinkedHashMap<>();
        logs.forEach((tenant, events) -> roots.put(tenant,
                InMemoryMerkleTree.of(events.stream().map(AuditEvent::leafHash).toList()).root()));

        database.migrate("latest");

        try (Connection app = database.app(); Statement statement = app.createStatement()) {
            String first = "audit_event_before_" + YearMonth.now(ZoneOffset.UTC).plusMonths(1).toString()
                    .replace('-', '_');
            try (ResultSet where = statement.executeQuery(
                    "SELECT tableoid::regclass::text, count(*) FROM audit_event GROUP BY 1")) {
                assertThat(where.next()).isTrue();
                assertThat(where.getString(1)).isEqualTo(first);
                assertThat(where.getLong(2)).isEqualTo(450);
                assertThat(where.next()).as("every migrated row is in the first partition").isFalse();
            }

            PostgresLeafFields leaves = new PostgresLeafFields(database.appDataSource());
            for (Map.Entry<TenantId, List<AuditEvent>> log : logs.entrySet()) {
                List<Hash> recomputed = new ArrayList<>();
                leaves.streamLeavesWithFields(log.getKey(), 0, 150, 64, 1 << 20, (from, to, rows) -> {
                    for (LeafFields row : rows) {
                        Hash fromFields = SealedEventBytes.leafHash(row.fields());
                        assertThat(fromFields).isEqualTo(row.leaf().leafHash());
                        recomputed.add(fromFields);
                    }
                    return true;
                });
                assertThat(recomputed).hasSize(150);
                assertThat(InMemoryMerkleTree.of(recomputed).root()).isEqualTo(roots.get(log.getKey()));
            }

            TenantId acme = new TenantId("up-acme");
            AuditEvent old = logs.get(acme).get(0);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            AuditEvent reused = AuditEvent.record(EventId.newTimeOrdered(now, random), now, "writer",
                    draft(acme, 999, now, old.content().clientEventId()));
            assertThatThrownBy(() -> ScratchDatabase.appendWithLeaves(app, acme, List.of(reused), 150))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("23505");
                        assertThat(e.getMessage()).contains("event_client_key_uq");
                    });

            long queuedBefore = single(app, "SELECT count(*) FROM integration_queue");
            AuditEvent fresh = AuditEvent.record(EventId.newTimeOrdered(now, random), now, "writer",
                    draft(acme, 1000, now, "after-upgrade"));
            ScratchDatabase.appendWithLeaves(app, acme, List.of(fresh), 150);
            assertThat(single(app, "SELECT count(*) FROM integration_queue")).isEqualTo(queuedBefore + 1);
            assertThat(single(app, "SELECT ingest_seq FROM audit_event WHERE id = '" + fresh.id() + "'"))
                    .as("arrival order continues after the migrated rows").isGreaterThan(lastArrival);
            assertThat(single(app, "SELECT count(*) FROM event_client_key WHERE tenant = 'up-acme'"))
                    .isEqualTo(76);

            assertThatThrownBy(() -> statement.execute(
                    "UPDATE audit_event SET reason = 'edited' WHERE id = '" + old.id() + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
        try (Connection owner = database.owner(); Statement statement = owner.createStatement()) {
            assertThatThrownBy(() -> statement.execute(
                    "UPDATE audit_event SET reason = 'edited' WHERE tenant = 'up-acme'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
    }

    private static AuditEvent event(TenantId tenant, int n, Instant at, Random random) {
        return AuditEvent.record(EventId.newTimeOrdered(at, random), at, "writer@" + tenant.value(),
                draft(tenant, n, at, n % 2 == 0 ? "client-" + n : null));
    }

    private static EventDraft draft(TenantId tenant, int n, Instant at, String clientEventId) {
        return new EventDraft(tenant, new Actor("user-" + n % 7, ActorType.USER, "Zoë " + n),
                new Action("case.view"), new ResourceRef("case", "c-" + n % 11), null, Outcome.SUCCESS, at,
                new Source("portal", "192.0.2." + n % 250, "Mozilla/5.0"), null,
                new JsonObject(Map.of("n", new JsonString("Иван " + n))), clientEventId);
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
