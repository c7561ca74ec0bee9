package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
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
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The binary COPY read that verification streams: every column comes back exactly as the domain sealed it (text in
 * any script, optional fields absent, timestamps before PostgreSQL's 2000 epoch and at microsecond precision), the
 * ranges cover the requested span exactly (missing leaves and purged events included), the byte bound cuts a range
 * early, and a consumer can stop the stream and leave the connection usable.
 */
class PostgresLeafFieldsTest {

    private final PostgresLeafFields adapter = new PostgresLeafFields(appDataSource());

    @Test
    void everyColumnComesBackAsTheDomainSealedIt() throws SQLException {
        TenantId tenant = new TenantId("leaf-fields-shapes");
        List<AuditEvent> events = List.of(
                event(tenant, 0, Instant.parse("1970-01-01T00:00:00.000001Z"), "李小龙", "{\"k\":\"Иван Петров 😀\"}"),
                event(tenant, 1, Instant.parse("1999-12-31T23:59:59.999999Z"), null, "{}"),
                event(tenant, 2, Instant.parse("2026-12-05T22:40:01.123456Z"), "a \"quoted\" \\ name\t",
                        "{\"a\":[1,2.5,true,null],\"b\":{\"c\":\"\\u0001\"}}"),
                event(tenant, 3, Instant.parse("9999-12-31T23:59:59Z"), "شريف", "{\"x\":\"עברית\"}"));
        store(tenant, events, List.of(0L, 1L, 2L, 3L));

        List<LeafFields> read = new ArrayList<>();
        adapter.streamLeavesWithFields(tenant, 0, 4, 10, 1 << 20, (from, to, rows) -> read.addAll(rows));

        assertThat(read).hasSize(4);
        for (int i = 0; i < 4; i++) {
            AuditEvent event = events.get(i);
            LeafFields row = read.get(i);
            assertThat(row.leaf().index()).isEqualTo(i);
            assertThat(row.leaf().eventId()).isEqualTo(event.id());
            assertThat(row.leaf().leafHash()).isEqualTo(event.leafHash());
            assertThat(row.archivedLeafHash()).isNull();
            assertThat(row.fields()).isEqualTo(StoredEventFields.of(event));
            assertThat(SealedEventBytes.leafHash(row.fields())).isEqualTo(event.leafHash());
        }
    }

    @Test
    void rangesCoverTheSpanExactlyWithMissingLeavesAndPurgedEvents() throws SQLException {
        TenantId tenant = new TenantId("leaf-fields-ranges");
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(event(tenant, i, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), "n" + i, "{}"));
        }
        // Leaves 7 and 8 are missing (a deleted leaf); leaf 12's event row is missing too.
        List<Long> leafIndices = new ArrayList<>();
        for (long i = 0; i < 25; i++) {
            if (i != 7 && i != 8) {
                leafIndices.add(i);
            }
        }
        store(tenant, events, leafIndices);
        try (Connection superuser = MigratedPostgres.server().superuserConnection();
                Statement statement = superuser.createStatement()) {
            statement.execute("ALTER TABLE audit_event DISABLE TRIGGER USER");
            try {
                statement.execute("DELETE FROM audit_event WHERE id = '" + events.get(12).id().value() + "'");
            } finally {
                statement.execute("ALTER TABLE audit_event ENABLE TRIGGER USER");
            }
        }

        List<long[]> ranges = new ArrayList<>();
        List<Long> indices = new ArrayList<>();
        List<Long> withoutFields = new ArrayList<>();
        adapter.streamLeavesWithFields(tenant, 3, 30, 10, 1 << 20, (from, to, rows) -> {
            ranges.add(new long[] {from, to});
            for (LeafFields row : rows) {
                assertThat(row.leaf().index()).isGreaterThanOrEqualTo(from).isLessThan(to);
                indices.add(row.leaf().index());
                if (row.fields() == null) {
                    withoutFields.add(row.leaf().index());
                }
            }
            return true;
        });

        assertThat(ranges).containsExactly(new long[] {3, 13}, new long[] {13, 23}, new long[] {23, 30});
        assertThat(indices).doesNotContain(7L, 8L).hasSize(20).isSorted();
        assertThat(withoutFields).containsExactly(12L);
    }

    @Test
    void theByteBoundEndsARangeEarlyAndAConsumerCanStopTheStream() throws SQLException {
        TenantId tenant = new TenantId("leaf-fields-bytes");
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(event(tenant, i, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), "n" + i,
                    "{\"pad\":\"" + "x".repeat(400) + "\"}"));
        }
        store(tenant, events, List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L));

        List<Integer> sizes = new ArrayList<>();
        long[] covered = {0};
        adapter.streamLeavesWithFields(tenant, 0, 12, 100, 1_000, (from, to, rows) -> {
            assertThat(from).isEqualTo(covered[0]);
            covered[0] = to;
            sizes.add(rows.size());
            return true;
        });
        assertThat(covered[0]).isEqualTo(12);
        assertThat(sizes).allMatch(size -> size <= 3).hasSizeGreaterThan(3);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);

        List<Long> firstRangeOnly = new ArrayList<>();
        adapter.streamLeavesWithFields(tenant, 0, 12, 4, 1 << 20, (from, to, rows) -> {
            rows.forEach(row -> firstRangeOnly.add(row.leaf().index()));
            return false;
        });
        assertThat(firstRangeOnly).containsExactly(0L, 1L, 2L, 3L);
        // The stopped COPY was cancelled: a new stream on a pooled-like connection still reads from the start.
        List<Long> again = new ArrayList<>();
        adapter.streamLeavesWithFields(tenant, 10, 12, 4, 1 << 20, (from, to, rows) -> {
            rows.forEach(row -> again.add(row.leaf().index()));
            return true;
        });
        assertThat(again).containsExactly(10L, 11L);
    }

    @Test
    void aTenantOutsideTheDomainsFormNeverReachesTheStatement() {
        TenantId tenant = new TenantId("ok-tenant");
        assertThatThrownBy(() -> adapter.streamLeavesWithFields(tenant, 5, 4, 10, 10, (f, t, r) -> true))
                .isInstanceOf(IllegalArgumentException.class);
        List<Object> none = new ArrayList<>();
        adapter.streamLeavesWithFields(tenant, 4, 4, 10, 10, (f, t, r) -> none.add(r));
        assertThat(none).isEmpty();
    }

    private static AuditEvent event(TenantId tenant, int n, Instant at, String displayName, String metadata) {
        EventDraft draft = new EventDraft(tenant, new Actor("user-" + n, ActorType.USER, displayName),
                new Action("case.view"), n % 2 == 0 ? new ResourceRef("case", "c-" + n) : null,
                n % 3 == 0 ? "reason " + n : null, Outcome.SUCCESS, at,
                new Source("portal", n % 2 == 0 ? "192.0.2." + n : null, n % 2 == 0 ? "Mozilla/5.0" : null),
                n % 2 == 1 ? "corr-" + n : null, (JsonObject) JsonParser.parse(metadata, 20),
                n % 2 == 0 ? "client-" + n : null);
        return AuditEvent.record(EventId.newTimeOrdered(at, new Random(31L * tenant.value().hashCode() + n)), at, "writer@" + tenant.value(), draft);
    }

    /** Events as the event store writes them, and leaves at the given indices in the same order. */
    private static void store(TenantId tenant, List<AuditEvent> events, List<Long> leafIndices) throws SQLException {
        try (Connection superuser = MigratedPostgres.server().superuserConnection()) {
            superuser.setAutoCommit(false);
            ScratchDatabase.insertEvents(superuser, events);
            for (long index : leafIndices) {
                ScratchDatabase.insertLeaf(superuser, tenant, index, events.get((int) index));
            }
            superuser.commit();
        }
    }

    private static PGSimpleDataSource appDataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(MigratedPostgres.server().jdbcUrl());
        dataSource.setUser(EmbeddedPostgresServer.APP_ROLE);
        dataSource.setPassword(EmbeddedPostgresServer.APP_ROLE);
        return dataSource;
    }
}
