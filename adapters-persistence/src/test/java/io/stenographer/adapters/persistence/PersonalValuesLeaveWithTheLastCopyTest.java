package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.StorePersonalDataPort.SealedPersonalValue;
import io.stenographer.application.port.out.StorePersonalDataPort.StoredDataKey;
import io.stenographer.application.port.out.StorePersonalDataPort.ValuesKept;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.privacy.SubjectIndex;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * stenographer_delete_values_of_deleted_segment (V24) against the real database: it deletes exactly the values of the
 * events of a segment whose deletion is recorded, and refuses a segment not recorded as deleted, one an unreleased
 * hold covers, and one with an event still in the hot store; the application role still cannot delete by hand.
 */
class PersonalValuesLeaveWithTheLastCopyTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PostgresPersonalData store = new PostgresPersonalData(MigratedPostgres.session());
    private final TransactionRunner transactions = MigratedPostgres.transactions();
    private final TenantId tenant = new TenantId("lc-" + UUID.randomUUID().toString().substring(0, 12));
    private int nextIndex;

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A personal value of a new event, under a key of its own subject; returns the event id. */
    private UUID valueOf(UUID eventId) {
        SubjectIndex subject = new SubjectIndex(random(32));
        StoredDataKey key = transactions.inTransaction(() -> store.createKeys(tenant, List.of(new StoredDataKey(
                UUID.randomUUID(), tenant, subject, new WrappedDataKey("kek-1", random(60)))), Instant.now()))
                .get(subject);
        transactions.inTransaction(() -> {
            store.storeValues(List.of(new SealedPersonalValue(eventId, "source.ip", key.id(), random(60))));
            return null;
        });
        return eventId;
    }

    private UUID valueOfNewEvent() {
        return valueOf(UUID.randomUUID());
    }

    /** A segment of the catalogue holding these events (of actor {@code actorId}), as the superuser writes it. */
    private String segment(String actorId, List<UUID> events, boolean deleted) throws SQLException {
        String key = "segments/" + tenant.value() + "/" + nextIndex;
        int from = nextIndex;
        nextIndex += events.size();
        try (Connection superuser = MigratedPostgres.server().superuserConnection()) {
            try (PreparedStatement ps = superuser.prepareStatement("""
                    INSERT INTO archive_segment (object_key, tenant, from_index, to_index, object_sha256, range_root,
                        checkpoint_tree_size, manifest, retain_until, archived_at, confirmed_lock_mode,
                        confirmed_retain_until)
                    VALUES (?, ?, ?, ?, repeat('a', 64), decode(repeat('00', 32), 'hex'), ?, '{}',
                        now() - interval '1 day', now() - interval '2 days', 'COMPLIANCE',
                        now() - interval '1 day')""")) {
                ps.setString(1, key);
                ps.setString(2, tenant.value());
                ps.setLong(3, from);
                ps.setLong(4, nextIndex);
                ps.setLong(5, nextIndex);
                ps.execute();
            }
            int index = from;
            for (UUID event : events) {
                try (PreparedStatement ps = superuser.prepareStatement("""
                        INSERT INTO archived_event (tenant, log_index, event_id, segment_key, leaf_hash, actor_id,
                            action, outcome, occurred_at, received_at)
                        VALUES (?, ?, ?, ?, decode(repeat('00', 32), 'hex'), ?, 'case.view', 'success',
                            now() - interval '400 days', now() - interval '400 days')""")) {
                    ps.setString(1, tenant.value());
                    ps.setLong(2, index++);
                    ps.setObject(3, event);
                    ps.setString(4, key);
                    ps.setString(5, actorId);
                    ps.execute();
                }
            }
            if (deleted) {
                try (PreparedStatement ps = superuser.prepareStatement("INSERT INTO archive_segment_deletion"
                        + " (object_key, deleted_at, job_run_id) VALUES (?, now(), gen_random_uuid())")) {
                    ps.setString(1, key);
                    ps.execute();
                }
            }
        }
        return key;
    }

    private long deleteValuesOf(String segmentKey) {
        return transactions.inTransaction(() -> store.deleteValuesOfDeletedSegment(segmentKey));
    }

    private List<UUID> withValues(List<UUID> events) {
        return transactions.inTransaction(() -> store.values(events)).stream().map(SealedPersonalValue::eventId)
                .distinct().toList();
    }

    private UUID hold(String actorId) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection app = MigratedPostgres.appConnection(); Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO legal_hold (id, tenant, actor_id, reason, placed_by, placed_at) VALUES ('"
                    + id + "', '" + tenant + "', '" + actorId + "', 'litigation', 'counsel', now())");
        }
        return id;
    }

    private static void release(UUID hold) throws SQLException {
        try (Connection superuser = MigratedPostgres.server().superuserConnection();
                Statement statement = superuser.createStatement()) {
            statement.execute("INSERT INTO legal_hold_release (hold_id, released_by, released_at, reason) VALUES ('"
                    + hold + "', 'counsel', now(), 'settled')");
        }
    }

    @Test
    void deletesExactlyTheValuesOfTheEventsOfADeletedSegment() throws SQLException {
        UUID first = valueOfNewEvent();
        UUID second = valueOfNewEvent();
        UUID inLiveSegment = valueOfNewEvent();
        UUID notArchived = valueOfNewEvent();
        String deleted = segment("dana", List.of(first, second), true);
        segment("dana", List.of(inLiveSegment), false);

        assertThat(deleteValuesOf(deleted)).isEqualTo(2);

        assertThat(withValues(List.of(first, second, inLiveSegment, notArchived)))
                .containsExactlyInAnyOrder(inLiveSegment, notArchived);
        assertThat(deleteValuesOf(deleted)).as("nothing left to delete").isZero();
    }

    @Test
    void refusesASegmentNotRecordedAsDeleted() throws SQLException {
        UUID event = valueOfNewEvent();
        String live = segment("dana", List.of(event), false);

        assertThatThrownBy(() -> deleteValuesOf(live)).isInstanceOf(ValuesKept.class)
                .hasMessageContaining("not recorded as deleted");
        assertThatThrownBy(() -> deleteValuesOf("segments/" + tenant.value() + "/none"))
                .isInstanceOf(ValuesKept.class).hasMessageContaining("not recorded as deleted");
        assertThat(withValues(List.of(event))).containsExactly(event);
    }

    @Test
    void refusesWhileAnUnreleasedHoldCoversOneOfTheEvents() throws SQLException {
        UUID held = valueOfNewEvent();
        UUID neighbour = valueOfNewEvent();
        String segment = segment("held-actor", List.of(held), true);
        String other = segment("dana", List.of(neighbour), true);
        UUID hold = hold("held-actor");

        assertThatThrownBy(() -> deleteValuesOf(segment)).isInstanceOf(ValuesKept.class)
                .hasMessageContaining("legal hold");
        assertThat(withValues(List.of(held))).containsExactly(held);
        assertThat(deleteValuesOf(other)).as("a hold on another actor does not apply").isEqualTo(1);

        release(hold);
        assertThat(deleteValuesOf(segment)).isEqualTo(1);
        assertThat(withValues(List.of(held, neighbour))).isEmpty();
    }

    @Test
    void refusesWhileAnEventOfTheSegmentIsStillInTheHotStore() throws SQLException {
        Instant now = Timestamps.truncate(Instant.now());
        EventDraft draft = new EventDraft(tenant, new Actor("dana", ActorType.USER, null), Action.of("case.view"),
                null, null, Outcome.SUCCESS, now, new Source("stenographer", null, null), null, JsonObject.EMPTY,
                null);
        AuditEvent hot = AuditEvent.record(EventId.newTimeOrdered(now, new SplittableRandom()), now, "dana", draft);
        transactions.inTransaction(() -> {
            MigratedPostgres.session().doWork(connection -> ScratchDatabase.insertEvents(connection, List.of(hot)));
            return null;
        });
        UUID event = valueOf(hot.id().value());
        String segment = segment("dana", List.of(event), true);

        assertThatThrownBy(() -> deleteValuesOf(segment)).isInstanceOf(ValuesKept.class)
                .hasMessageContaining("hot store");
        assertThat(withValues(List.of(event))).containsExactly(event);
    }

    @Test
    void theApplicationRoleStillCannotDeleteValuesByHandNorOpenTheGuardWithTheNewFlag() throws SQLException {
        UUID event = valueOfNewEvent();
        segment("dana", List.of(event), true);
        try (Connection app = MigratedPostgres.appConnection()) {
            try (Statement statement = app.createStatement()) {
                statement.execute("SELECT set_config('stenographer.deleting_last_copy', 'on', false)");
            }
            assertRefused(app, "DELETE FROM personal_value WHERE event_id = '" + event + "'", "permission denied");
        }
        try (Connection superuser = MigratedPostgres.server().superuserConnection()) {
            // The replaced guard still refuses a delete outside the two functions, even an owner's.
            assertRefused(superuser, "DELETE FROM personal_value WHERE event_id = '" + event + "'", "never changed");
        }
        assertThat(withValues(List.of(event))).containsExactly(event);
    }

    private static void assertRefused(Connection connection, String sql, String message) {
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
