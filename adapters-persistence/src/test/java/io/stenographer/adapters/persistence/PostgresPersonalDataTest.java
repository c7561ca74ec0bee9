package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.StorePersonalDataPort.DataKeyErased;
import io.stenographer.application.port.out.StorePersonalDataPort.SealedPersonalValue;
import io.stenographer.application.port.out.StorePersonalDataPort.StoredDataKey;
import io.stenographer.domain.privacy.SubjectErasure;
import io.stenographer.application.port.out.StorePersonalDataPort.SubjectHeld;
import io.stenographer.domain.privacy.SubjectIndex;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonObject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The personal-data store against the real database (V22): values and keys the application role can only insert and
 * read, an erasure only through stenographer_erase_subject, which wants its subject.erased event and yields to a
 * covering legal hold, no value under an erased key, and one live key per subject however many writers race.
 */
class PostgresPersonalDataTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String CHECK_VIOLATION = "23514";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PostgresPersonalData store = new PostgresPersonalData(MigratedPostgres.session());
    private final TransactionRunner transactions = MigratedPostgres.transactions();
    private final TenantId tenant = new TenantId("pd-" + UUID.randomUUID().toString().substring(0, 12));

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static SubjectIndex subject() {
        return new SubjectIndex(random(32));
    }

    private StoredDataKey candidate(SubjectIndex subject) {
        return new StoredDataKey(UUID.randomUUID(), tenant, subject, new WrappedDataKey("kek-1", random(60)));
    }

    private StoredDataKey createKey(SubjectIndex subject) {
        return transactions.inTransaction(() -> store.createKeys(tenant, List.of(candidate(subject)), Instant.now()))
                .get(subject);
    }

    /** Three values of a new event under {@code key}; returns the event id. */
    private UUID storeValues(StoredDataKey key) {
        UUID eventId = UUID.randomUUID();
        transactions.inTransaction(() -> {
            store.storeValues(List.of(
                    new SealedPersonalValue(eventId, "actor.displayName", key.id(), random(70)),
                    new SealedPersonalValue(eventId, "source.ip", key.id(), random(60)),
                    new SealedPersonalValue(eventId, "source.userAgent", key.id(), random(90))));
            return null;
        });
        return eventId;
    }

    /** An event of the tenant's log, written in the running transaction. */
    private static void insertEvent(AuditEvent event) {
        MigratedPostgres.session().doWork(connection -> ScratchDatabase.insertEvents(connection, List.of(event)));
    }

    private AuditEvent event(String actorId, String action, ResourceRef resource) {
        Instant now = Timestamps.truncate(Instant.now());
        EventDraft draft = new EventDraft(tenant, new Actor(actorId, ActorType.USER, null), Action.of(action),
                resource, null, Outcome.SUCCESS, now, new Source("stenographer", null, null), null, JsonObject.EMPTY,
                null);
        return AuditEvent.record(EventId.newTimeOrdered(now, new SplittableRandom()), now, actorId, draft);
    }

    /** The subject.erased event, as EraseSubjectService's self-audit writes it: the subject by its blind index. */
    private AuditEvent erasedEvent(SubjectIndex subject) {
        return event("dpo", "subject.erased", new ResourceRef("data-subject", subject.hex()));
    }

    private SubjectErasure erase(SubjectIndex subject, String subjectId, boolean withEvent) {
        return transactions.inTransaction(() -> {
            if (withEvent) {
                insertEvent(erasedEvent(subject));
            }
            return store.erase(UUID.randomUUID(), tenant, subject, "actor.id", subjectId, "dpo");
        });
    }

    private void hold(UUID id, String actorId, String resourceType, String resourceId) throws SQLException {
        try (Connection app = MigratedPostgres.appConnection(); Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO legal_hold (id, tenant, actor_id, resource_type, resource_id, reason,"
                    + " placed_by, placed_at) VALUES ('" + id + "', '" + tenant + "', " + literal(actorId) + ", "
                    + literal(resourceType) + ", " + literal(resourceId) + ", 'litigation', 'counsel', now())");
        }
    }

    private static String literal(String text) {
        return text == null ? "NULL" : "'" + text + "'";
    }

    private static void release(UUID hold) throws SQLException {
        try (Connection superuser = MigratedPostgres.server().superuserConnection();
                Statement statement = superuser.createStatement()) {
            statement.execute("INSERT INTO legal_hold_release (hold_id, released_by, released_at, reason) VALUES ('"
                    + hold + "', 'counsel', now(), 'settled')");
        }
    }

    private static void assertRefused(Connection connection, String sql, String sqlState, String message) {
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo(sqlState);
            assertThat(e.getMessage()).as(sql).contains(message);
        });
    }

    private StoredDataKey key(UUID id) {
        return transactions.inTransaction(() -> store.keys(List.of(id))).get(id);
    }

    @Test
    void valuesAndKeysAreStoredAndReadBackAndOneSubjectHasOneLiveKey() {
        SubjectIndex subject = subject();
        StoredDataKey key = createKey(subject);
        UUID eventId = storeValues(key);

        assertThat(transactions.inTransaction(() -> store.liveKeys(tenant, List.of(subject, subject()))))
                .containsOnlyKeys(subject);
        StoredDataKey live = transactions.inTransaction(() -> store.liveKeys(tenant, List.of(subject))).get(subject);
        assertThat(live.id()).isEqualTo(key.id());
        assertThat(live.erased()).isFalse();
        assertThat(live.wrapped().keyEncryptionKeyId()).isEqualTo("kek-1");
        assertThat(live.wrapped().bytes()).isEqualTo(key.wrapped().bytes());
        assertThat(transactions.inTransaction(() -> store.values(List.of(eventId))))
                .extracting(SealedPersonalValue::field)
                .containsExactlyInAnyOrder("actor.displayName", "source.ip", "source.userAgent");
        assertThat(transactions.inTransaction(() -> store.liveKeys(new TenantId("pd-someone-else"),
                List.of(subject)))).isEmpty();

        SubjectIndex other = subject();
        Map<SubjectIndex, StoredDataKey> second = transactions.inTransaction(
                () -> store.createKeys(tenant, List.of(candidate(other), candidate(subject)), Instant.now()));
        assertThat(second).containsOnlyKeys(subject, other);
        assertThat(second.get(subject).id()).as("a second create returns the live key").isEqualTo(key.id());
        assertThat(second.get(other).wrapped().keyEncryptionKeyId()).isEqualTo("kek-1");
    }

    @Test
    void aTenantsIdentifierFormsAreRecordedOnceAndNeverChanged() throws Exception {
        Map<PersonalField, Boolean> pseudonymised = Map.of(PersonalField.ACTOR_ID, true,
                PersonalField.RESOURCE_ID, false);
        assertThat(transactions.inTransaction(() -> store.recordIdentifierForms(tenant, pseudonymised)))
                .isEqualTo(pseudonymised);
        // A second writer with another policy gets what is recorded, and records nothing.
        assertThat(transactions.inTransaction(() -> store.recordIdentifierForms(tenant,
                Map.of(PersonalField.ACTOR_ID, false, PersonalField.RESOURCE_ID, false)))).isEqualTo(pseudonymised);
        assertThat(transactions.inTransaction(store::identifierForms)).containsEntry(tenant, pseudonymised);
        try (Connection app = MigratedPostgres.appConnection()) {
            assertRefused(app, "UPDATE tenant_identifier_form SET pseudonymised = false WHERE tenant = '" + tenant
                    + "'", INSUFFICIENT_PRIVILEGE, "permission denied");
            assertRefused(app, "DELETE FROM tenant_identifier_form WHERE tenant = '" + tenant + "'",
                    INSUFFICIENT_PRIVILEGE, "permission denied");
        }
        try (Connection superuser = MigratedPostgres.server().superuserConnection()) {
            assertRefused(superuser, "UPDATE tenant_identifier_form SET pseudonymised = false WHERE tenant = '"
                    + tenant + "'", INSUFFICIENT_PRIVILEGE, "append-only");
        }
    }

    @Test
    void theApplicationRoleCannotChangeOrDeleteValuesNorEraseOrUneraseAKeyByHand() throws Exception {
        SubjectIndex subject = subject();
        StoredDataKey key = createKey(subject);
        UUID eventId = storeValues(key);
        try (Connection app = MigratedPostgres.appConnection()) {
            assertRefused(app, "UPDATE personal_value SET sealed = '\\x00' WHERE event_id = '" + eventId + "'",
                    INSUFFICIENT_PRIVILEGE, "permission denied");
            assertRefused(app, "DELETE FROM personal_value WHERE event_id = '" + eventId + "'",
                    INSUFFICIENT_PRIVILEGE, "permission denied");
            assertRefused(app, "TRUNCATE personal_value", INSUFFICIENT_PRIVILEGE, "permission denied");
            assertRefused(app, "DELETE FROM personal_data_key WHERE id = '" + key.id() + "'",
                    INSUFFICIENT_PRIVILEGE, "permission denied");
            assertRefused(app, "UPDATE personal_data_key SET erased_at = now() WHERE id = '" + key.id() + "'",
                    INSUFFICIENT_PRIVILEGE, "permission denied");
            assertRefused(app, "INSERT INTO subject_erasure (id, tenant, subject_index, requested_by, erased_at,"
                    + " keys_destroyed, events_cleared) VALUES (gen_random_uuid(), '" + tenant + "', '\\x"
                    + subject.hex() + "', 'x', now(), 0, 0)", INSUFFICIENT_PRIVILEGE, "permission denied");
            // The wrap may be replaced (rotation), but dropping it is no erasure: the key row must stay consistent.
            assertRefused(app, "UPDATE personal_data_key SET wrapped_key = NULL WHERE id = '" + key.id() + "'",
                    CHECK_VIOLATION, "personal_data_key");
            // Setting the erasure flag by hand does not open the guard either.
            try (Statement statement = app.createStatement()) {
                statement.execute("SELECT set_config('stenographer.erasing_subject', 'on', false)");
            }
            assertRefused(app, "DELETE FROM personal_value WHERE event_id = '" + eventId + "'",
                    INSUFFICIENT_PRIVILEGE, "permission denied");
            assertRefused(app, "UPDATE personal_data_key SET erased_at = now(), wrapped_key = NULL WHERE id = '"
                    + key.id() + "'", INSUFFICIENT_PRIVILEGE, "permission denied");
        }
        try (Connection superuser = MigratedPostgres.server().superuserConnection()) {
            // Even an owner's session goes through the triggers.
            assertRefused(superuser, "UPDATE personal_value SET sealed = '\\x00' WHERE event_id = '" + eventId + "'",
                    INSUFFICIENT_PRIVILEGE, "never changed");
            assertRefused(superuser, "DELETE FROM personal_value WHERE event_id = '" + eventId + "'",
                    INSUFFICIENT_PRIVILEGE, "never changed");
            assertRefused(superuser, "UPDATE personal_data_key SET erased_at = now(), wrapped_key = NULL WHERE id = '"
                    + key.id() + "'", INSUFFICIENT_PRIVILEGE, "only by stenographer_erase_subject");
            assertRefused(superuser, "DELETE FROM personal_data_key WHERE id = '" + key.id() + "'",
                    INSUFFICIENT_PRIVILEGE, "only rewrapped or erased");
        }
        assertThat(transactions.inTransaction(() -> store.values(List.of(eventId)))).hasSize(3);
        assertThat(key(key.id()).erased()).isFalse();

        erase(subject, "dana", true);
        try (Connection app = MigratedPostgres.appConnection()) {
            assertRefused(app, "UPDATE personal_data_key SET kek_id = 'kek-2', wrapped_key = '\\x01' WHERE id = '"
                    + key.id() + "'", INSUFFICIENT_PRIVILEGE, "only rewrapped or erased");
        }
        try (Connection superuser = MigratedPostgres.server().superuserConnection()) {
            assertRefused(superuser, "UPDATE personal_data_key SET erased_at = NULL, wrapped_key = '\\x01' WHERE id = '"
                    + key.id() + "'", INSUFFICIENT_PRIVILEGE, "only rewrapped or erased");
        }
        assertThat(transactions.inTransaction(() -> store.rewrap(key.id(), new WrappedDataKey("kek-2", random(60)))))
                .as("the adapter's rewrap skips an erased key").isFalse();
        assertThat(key(key.id()).erased()).isTrue();
    }

    @Test
    void theEraseFunctionRefusesWithoutItsEventInTheLog() {
        SubjectIndex subject = subject();
        StoredDataKey key = createKey(subject);
        UUID eventId = storeValues(key);

        assertThatThrownBy(() -> erase(subject, "dana", false)).hasMessageContaining("subject.erased");
        // An event naming another subject's index does not count.
        assertThatThrownBy(() -> transactions.inTransaction(() -> {
            insertEvent(erasedEvent(subject()));
            return store.erase(UUID.randomUUID(), tenant, subject, "actor.id", "dana", "dpo");
        })).hasMessageContaining("subject.erased");

        assertThat(transactions.inTransaction(() -> store.values(List.of(eventId)))).hasSize(3);
        assertThat(key(key.id()).erased()).isFalse();
        assertThat(transactions.inTransaction(() -> store.erasures(tenant, subject))).isEmpty();
    }

    @Test
    void aCoveringHoldRefusesTheErasureAndAHoldOnSomeoneElseDoesNot() throws Exception {
        SubjectIndex subject = subject();
        StoredDataKey key = createKey(subject);
        UUID eventId = storeValues(key);
        UUID other = UUID.randomUUID();
        hold(other, "somebody-else", null, null);
        UUID byActor = UUID.randomUUID();
        hold(byActor, "dana", null, null);

        assertThatThrownBy(() -> erase(subject, "dana", true)).isInstanceOfSatisfying(SubjectHeld.class,
                held -> assertThat(held.holdId()).isEqualTo(byActor.toString()));
        assertThat(transactions.inTransaction(() -> store.values(List.of(eventId)))).hasSize(3);
        assertThat(key(key.id()).erased()).isFalse();

        // A hold on a record the subject acted on covers the subject too, through its stored events.
        release(byActor);
        UUID byResource = UUID.randomUUID();
        hold(byResource, null, "case", "C-held");
        transactions.inTransaction(() -> {
            insertEvent(event("dana", "case.view", new ResourceRef("case", "C-held")));
            return null;
        });
        assertThatThrownBy(() -> erase(subject, "dana", true)).isInstanceOfSatisfying(SubjectHeld.class,
                held -> assertThat(held.holdId()).isEqualTo(byResource.toString()));
        assertThat(transactions.inTransaction(() -> store.erasures(tenant, subject))).isEmpty();

        release(byResource);
        SubjectErasure erasure = erase(subject, "dana", true);

        assertThat(erasure.keysDestroyed()).isEqualTo(1);
        assertThat(erasure.eventsCleared()).isEqualTo(1);
        assertThat(erasure.requestedBy()).isEqualTo("dpo");
        assertThat(erasure.tenant()).isEqualTo(tenant);
        assertThat(erasure.subject()).isEqualTo(subject);
    }

    @Test
    void anErasureDeletesTheSubjectsValuesAndNullsItsWrappedKeysOnly() {
        SubjectIndex dana = subject();
        SubjectIndex erin = subject();
        StoredDataKey danaKey = createKey(dana);
        StoredDataKey erinKey = createKey(erin);
        UUID danaEvent1 = storeValues(danaKey);
        UUID danaEvent2 = storeValues(danaKey);
        UUID erinEvent = storeValues(erinKey);

        SubjectErasure erasure = erase(dana, "dana", true);

        assertThat(erasure.keysDestroyed()).isEqualTo(1);
        assertThat(erasure.eventsCleared()).isEqualTo(2);
        assertThat(erasure.valuesPending()).isFalse();
        assertThat(transactions.inTransaction(() -> store.values(List.of(danaEvent1, danaEvent2)))).isEmpty();
        assertThat(transactions.inTransaction(() -> store.values(List.of(erinEvent)))).hasSize(3);
        StoredDataKey erased = key(danaKey.id());
        assertThat(erased.erased()).isTrue();
        assertThat(erased.wrapped()).isNull();
        assertThat(key(erinKey.id()).erased()).isFalse();
        assertThat(transactions.inTransaction(() -> store.liveKeys(tenant, List.of(dana, erin))))
                .containsOnlyKeys(erin);
        assertThat(transactions.inTransaction(() -> store.erasures(tenant, dana))).containsExactly(erasure);
        assertThat(transactions.inTransaction(() -> store.keysNotWrappedUnder("kek-new", 1000)))
                .extracting(StoredDataKey::id).doesNotContain(danaKey.id()).contains(erinKey.id());

        // A later key of the subject is a new live key; a second erasure destroys it and nothing else.
        StoredDataKey next = createKey(dana);
        assertThat(next.id()).isNotEqualTo(danaKey.id());
        storeValues(next);
        SubjectErasure again = erase(dana, "dana", true);
        assertThat(again.keysDestroyed()).isEqualTo(1);
        assertThat(again.eventsCleared()).isEqualTo(1);
        assertThat(transactions.inTransaction(() -> store.erasures(tenant, dana))).hasSize(2);
    }

    @Test
    void aValueUnderAnErasedKeyIsRefused() {
        SubjectIndex subject = subject();
        StoredDataKey key = createKey(subject);
        storeValues(key);
        erase(subject, "dana", true);

        assertThatThrownBy(() -> storeValues(key)).isInstanceOf(DataKeyErased.class);
        // The batch is refused whole: a value under a live key in the same batch is not kept either.
        StoredDataKey live = createKey(subject());
        UUID eventId = UUID.randomUUID();
        UUID erasedSubjectsEvent = UUID.randomUUID();
        assertThatThrownBy(() -> transactions.inTransaction(() -> {
            store.storeValues(List.of(new SealedPersonalValue(eventId, "source.ip", live.id(), random(40)),
                    new SealedPersonalValue(erasedSubjectsEvent, "actor.displayName", key.id(), random(40))));
            return null;
        })).isInstanceOf(DataKeyErased.class);
        assertThat(transactions.inTransaction(() -> store.values(List.of(eventId, erasedSubjectsEvent)))).isEmpty();
        // One event's values belong to one subject, so to one key.
        assertThatThrownBy(() -> transactions.inTransaction(() -> {
            store.storeValues(List.of(new SealedPersonalValue(eventId, "source.ip", live.id(), random(40)),
                    new SealedPersonalValue(eventId, "actor.displayName", key.id(), random(40))));
            return null;
        })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createKeysReturnsTheConcurrentWinnersKeys() throws Exception {
        SubjectIndex one = subject();
        SubjectIndex two = subject();
        List<StoredDataKey> winners = List.of(candidate(one), candidate(two));
        List<StoredDataKey> losers = List.of(candidate(two), candidate(one));
        CountDownLatch winnerInserted = new CountDownLatch(1);
        CountDownLatch commitWinner = new CountDownLatch(1);

        CompletableFuture<Map<SubjectIndex, StoredDataKey>> first = CompletableFuture.supplyAsync(
                () -> transactions.inTransaction(() -> {
                    Map<SubjectIndex, StoredDataKey> created = store.createKeys(tenant, winners, Instant.now());
                    winnerInserted.countDown();
                    try {
                        assertThat(commitWinner.await(30, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return created;
                }));
        assertThat(winnerInserted.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Map<SubjectIndex, StoredDataKey>> second = CompletableFuture.supplyAsync(
                () -> transactions.inTransaction(() -> store.createKeys(tenant, losers, Instant.now())));
        awaitInsertBlockedOnALock(Duration.ofSeconds(30));
        commitWinner.countDown();

        Map<SubjectIndex, StoredDataKey> won = first.get(30, TimeUnit.SECONDS);
        Map<SubjectIndex, StoredDataKey> lost = second.get(30, TimeUnit.SECONDS);
        assertThat(won.get(one).id()).isEqualTo(winners.get(0).id());
        assertThat(won.get(two).id()).isEqualTo(winners.get(1).id());
        assertThat(lost.get(one).id()).as("the loser gets the winner's keys").isEqualTo(winners.get(0).id());
        assertThat(lost.get(two).id()).isEqualTo(winners.get(1).id());
        assertThat(losers).allSatisfy(loser -> assertThat(key(loser.id())).as("never stored").isNull());
        assertThat(transactions.inTransaction(() -> store.liveKeys(tenant, List.of(one, two))))
                .containsOnlyKeys(one, two);
    }

    /** Waits until a session's INSERT into personal_data_key waits for a lock (the winner's uncommitted row). */
    private static void awaitInsertBlockedOnALock(Duration timeout) throws SQLException {
        Instant deadline = Instant.now().plus(timeout);
        try (Connection superuser = MigratedPostgres.server().superuserConnection();
                Statement statement = superuser.createStatement()) {
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet waiting = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO personal_data_key%'")) {
                    waiting.next();
                    if (waiting.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("the second createKey never waited for the first one's row");
    }

    @Test
    void anErasureDestroysTheKeysAtOnceAndTheSweepDeletesWhatItLeftForLater() {
        SubjectIndex subject = subject();
        String subjectId = "sweep-" + UUID.randomUUID();
        StoredDataKey key = createKey(subject);
        List<UUID> events = List.of(storeValues(key), storeValues(key), storeValues(key));
        UUID erasureId = UUID.randomUUID();

        // As the service calls it, but deleting one event's values now instead of thousands.
        Object[] outcome = transactions.inTransaction(() -> {
            insertEvent(erasedEvent(subject));
            return MigratedPostgres.session().doReturningWork(connection -> {
                try (var call = connection.prepareStatement(
                        "SELECT * FROM stenographer_erase_subject(?, ?, ?, 'actor.id', ?, 'dpo', 1)")) {
                    call.setObject(1, erasureId);
                    call.setString(2, tenant.value());
                    call.setBytes(3, subject.bytes());
                    call.setString(4, subjectId);
                    try (var rs = call.executeQuery()) {
                        rs.next();
                        return new Object[] {rs.getInt(1), rs.getLong(2), rs.getBoolean(3)};
                    }
                }
            });
        });
        assertThat(outcome).containsExactly(1, 1L, true);
        assertThat(key(key.id()).erased()).as("the key is destroyed by the erasure itself").isTrue();
        assertThat(transactions.inTransaction(() -> store.values(events))).hasSize(2 * 3);
        assertThat(transactions.inTransaction(() -> store.erasures(tenant, subject))).singleElement()
                .satisfies(e -> {
                    assertThat(e.eventsCleared()).isEqualTo(1);
                    assertThat(e.valuesPending()).isTrue();
                });

        long swept = 0;
        for (int run = 0; run < 10 && !transactions.inTransaction(() -> store.values(events)).isEmpty(); run++) {
            swept += transactions.inTransaction(() -> store.sweepErasedValues(1));
        }
        assertThat(swept).isEqualTo(2);
        assertThat(transactions.inTransaction(() -> store.values(events))).isEmpty();
        assertThat(transactions.inTransaction(() -> store.sweepErasedValues(100))).as("nothing left").isZero();
    }

    /** Three values of {@code eventId}, an event of the log, under {@code key}. */
    private void storeValuesOf(UUID eventId, StoredDataKey key) {
        transactions.inTransaction(() -> {
            store.storeValues(List.of(new SealedPersonalValue(eventId, "source.ip", key.id(), random(60))));
            return null;
        });
    }

    /** The event, moved to the archive: catalogued in a segment of its own and gone from the hot store. */
    private void archiveOnly(AuditEvent event, long logIndex) throws SQLException {
        String segment = "segments/" + tenant.value() + "/" + logIndex;
        try (Connection superuser = MigratedPostgres.server().superuserConnection();
                Statement statement = superuser.createStatement()) {
            statement.execute("INSERT INTO archive_segment (object_key, tenant, from_index, to_index, object_sha256,"
                    + " range_root, checkpoint_tree_size, manifest, retain_until, archived_at, confirmed_lock_mode,"
                    + " confirmed_retain_until) VALUES ('" + segment + "', '" + tenant + "', " + logIndex + ", "
                    + (logIndex + 1) + ", repeat('a', 64), decode(repeat('00', 32), 'hex'), " + (logIndex + 1)
                    + ", '{}', now() + interval '1 day', now(), 'COMPLIANCE', now() + interval '1 day')");
            statement.execute("INSERT INTO archived_event (tenant, log_index, event_id, segment_key, leaf_hash,"
                    + " actor_id, action, outcome, occurred_at, received_at) VALUES ('" + tenant + "', " + logIndex
                    + ", '" + event.id().value() + "', '" + segment + "', decode(repeat('00', 32), 'hex'), '"
                    + event.content().actor().id() + "', '" + event.content().action().value()
                    + "', 'success', '" + event.content().occurredAt() + "', now())");
        }
    }

    private UUID holdOnAction(String actionPattern) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection app = MigratedPostgres.appConnection(); Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO legal_hold (id, tenant, action_pattern, reason, placed_by, placed_at)"
                    + " VALUES ('" + id + "', '" + tenant + "', '" + actionPattern + "', 'litigation', 'counsel',"
                    + " now())");
        }
        return id;
    }

    @Test
    void anErasureNamingAnotherSubjectsIdIsJudgedByTheEventsWhoseValuesItDestroys() throws Exception {
        SubjectIndex dana = subject();
        StoredDataKey key = createKey(dana);
        AuditEvent danasEvent = event("dana", "case.view", new ResourceRef("case", "C-1"));
        transactions.inTransaction(() -> {
            insertEvent(danasEvent);
            return null;
        });
        storeValuesOf(danasEvent.id().value(), key);
        UUID held = UUID.randomUUID();
        hold(held, "dana", null, null);

        // The function is given dana's index but an id no hold names and no event has.
        assertThatThrownBy(() -> erase(dana, "nobody", true)).isInstanceOfSatisfying(SubjectHeld.class,
                refused -> assertThat(refused.holdId()).isEqualTo(held.toString()));
        assertThat(key(key.id()).erased()).isFalse();
        assertThat(transactions.inTransaction(() -> store.values(List.of(danasEvent.id().value())))).hasSize(1);
    }

    @Test
    void aHoldOverTheSubjectsArchivedEventsRefusesTheErasure() throws Exception {
        SubjectIndex dana = subject();
        StoredDataKey key = createKey(dana);
        // Purged from the hot store after archiving: its values stay until its archive copy is deleted (V24).
        AuditEvent archived = event("dana", "claim.view", null);
        archiveOnly(archived, 0);
        storeValuesOf(archived.id().value(), key);
        UUID held = holdOnAction("claim.*");

        assertThatThrownBy(() -> erase(dana, "dana", true)).isInstanceOfSatisfying(SubjectHeld.class,
                refused -> assertThat(refused.holdId()).isEqualTo(held.toString()));
        assertThat(key(key.id()).erased()).isFalse();

        release(held);
        assertThat(erase(dana, "dana", true).keysDestroyed()).isEqualTo(1);
    }

    @Test
    void aJunkRewrapByTheApplicationRoleLeavesTheReplacedWrapAndAnErasureTakesEveryWrap() throws Exception {
        SubjectIndex subject = subject();
        StoredDataKey key = createKey(subject);
        storeValues(key);
        try (Connection app = MigratedPostgres.appConnection(); Statement statement = app.createStatement()) {
            // The database cannot tell this from a rotation's rewrap, so it is allowed; what it replaced is kept.
            statement.execute("UPDATE personal_data_key SET kek_id = 'kek-junk', wrapped_key = '\\x00' WHERE id = '"
                    + key.id() + "'");
            assertRefused(app, "SELECT * FROM personal_data_key_wrap", INSUFFICIENT_PRIVILEGE, "permission denied");
            assertRefused(app, "DELETE FROM personal_data_key_wrap", INSUFFICIENT_PRIVILEGE, "permission denied");
        }
        List<Map.Entry<String, byte[]>> kept = keptWraps(key.id());
        assertThat(kept).extracting(Map.Entry::getKey).containsExactly("kek-1");
        assertThat(kept.get(0).getValue()).as("the wrap the junk replaced, to restore it from")
                .isEqualTo(key.wrapped().bytes());

        byte[] rotated = random(60);
        assertThat(transactions.inTransaction(() -> store.rewrap(key.id(), new WrappedDataKey("kek-2", rotated))))
                .isTrue();
        assertThat(keptWraps(key.id())).hasSize(2);

        erase(subject, "dana", true);
        assertThat(keptWraps(key.id())).as("no wrap may unwrap an erased key").isEmpty();
    }

    /** The wraps kept for a key, oldest first, as kek id and wrapped bytes (read as the superuser). */
    private static List<Map.Entry<String, byte[]>> keptWraps(UUID keyId) throws SQLException {
        try (Connection superuser = MigratedPostgres.server().superuserConnection();
                Statement statement = superuser.createStatement();
                ResultSet rows = statement.executeQuery("SELECT kek_id, wrapped_key FROM personal_data_key_wrap"
                        + " WHERE key_id = '" + keyId + "' ORDER BY id")) {
            List<Map.Entry<String, byte[]>> wraps = new java.util.ArrayList<>();
            while (rows.next()) {
                wraps.add(Map.entry(rows.getString(1), rows.getBytes(2)));
            }
            return wraps;
        }
    }

    @Test
    void theApplicationRoleCannotNameASubjectsKeyAsAReportsOwnKey() throws Exception {
        StoredDataKey subjectsKey = createKey(subject());
        storeValues(subjectsKey);
        UUID report = UUID.randomUUID();
        try (Connection app = MigratedPostgres.appConnection(); Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO report_job (id, tenant, report_type, format, parameters, requested_by,"
                    + " requested_at, tree_size) VALUES ('" + report + "', '" + tenant + "', 'foia-export', 'csv',"
                    + " '{}', 'ann', now(), 1)");
            // Its purge would destroy this key (V26), past any hold on the subject.
            assertRefused(app, "INSERT INTO report_personal_data (report_id, key_id) VALUES ('" + report + "', '"
                    + subjectsKey.id() + "')", INSUFFICIENT_PRIVILEGE, "is not a new key of report");
        }
        // The report's own new key is taken.
        StoredDataKey own = transactions.inTransaction(() -> store.reportKey(report, candidate(subject()),
                Instant.now()));
        assertThat(transactions.inTransaction(() -> store.reportKeyOf(report))).map(StoredDataKey::id)
                .contains(own.id());
    }

    @Test
    void aHoldThatKeepsAReportHoldingTheSubjectsValuesRefusesTheErasure() throws Exception {
        SubjectIndex dana = subject();
        StoredDataKey danasKey = createKey(dana);
        storeValues(danasKey);
        UUID report = UUID.randomUUID();
        try (Connection app = MigratedPostgres.appConnection(); Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO report_job (id, tenant, report_type, format, parameters, requested_by,"
                    + " requested_at, tree_size) VALUES ('" + report + "', '" + tenant + "', 'foia-export', 'csv',"
                    + " '{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-02-01T00:00:00Z\"}', 'ann', now(), 1)");
        }
        StoredDataKey reportsKey = transactions.inTransaction(() -> store.reportKey(report, candidate(subject()),
                Instant.now()));
        transactions.inTransaction(() -> store.keysForReport(report, List.of(danasKey.id()))); // it holds her values
        // A hold on someone else: it covers none of dana's events, but its period is the report's, so it keeps the
        // report's file, and destroying the file's key would destroy the file.
        UUID held = UUID.randomUUID();
        hold(held, "somebody-else", null, null);

        assertThatThrownBy(() -> erase(dana, "dana", true)).isInstanceOfSatisfying(SubjectHeld.class,
                refused -> assertThat(refused.holdId()).isEqualTo(held.toString()));
        assertThat(key(reportsKey.id()).erased()).isFalse();
        assertThat(key(danasKey.id()).erased()).isFalse();

        release(held);
        assertThat(erase(dana, "dana", true).keysDestroyed()).isEqualTo(1);
        assertThat(key(reportsKey.id()).erased()).as("the report's key goes with her values").isTrue();
    }

    @Test
    void anErasureWaitsForAHoldPlacedBeforeItAndNotYetCommittedAndThenYieldsToIt() throws Exception {
        SubjectIndex dana = subject();
        StoredDataKey key = createKey(dana);
        storeValues(key);
        UUID held = UUID.randomUUID();
        try (Connection placing = MigratedPostgres.appConnection()) {
            placing.setAutoCommit(false);
            try (Statement statement = placing.createStatement()) {
                statement.execute("INSERT INTO legal_hold (id, tenant, actor_id, reason, placed_by, placed_at) VALUES"
                        + " ('" + held + "', '" + tenant + "', 'dana', 'litigation', 'counsel', now())");
            }
            CompletableFuture<SubjectErasure> erasure = CompletableFuture.supplyAsync(() -> erase(dana, "dana", true));
            awaitBlockedOnALock("%stenographer_erase_subject%", Duration.ofSeconds(30));
            placing.commit();
            assertThatThrownBy(() -> erasure.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(SubjectHeld.class);
        }
        assertThat(key(key.id()).erased()).isFalse();
    }

    @Test
    void aSegmentDeletionIsRecordedAtTheDatabasesTimeNotAtOneTheCallerClaims() throws Exception {
        archiveOnly(event("dana", "case.view", null), 0);
        String segment = "segments/" + tenant.value() + "/0";
        try (Connection app = MigratedPostgres.appConnection()) {
            // Retained until tomorrow: a caller claiming it is ten years later may not delete it now.
            assertRefused(app, "SELECT stenographer_record_segment_deletion('" + segment + "', now() + interval"
                    + " '10 years', gen_random_uuid())", CHECK_VIOLATION, "at the database's time");
            assertRefused(app, "SELECT stenographer_record_segment_deletion('" + segment + "', now(),"
                    + " gen_random_uuid())", CHECK_VIOLATION, "is retained until");
        }
    }

    /** Waits until a session running a statement like {@code queryPattern} waits for a lock. */
    private static void awaitBlockedOnALock(String queryPattern, Duration timeout) throws SQLException {
        Instant deadline = Instant.now().plus(timeout);
        try (Connection superuser = MigratedPostgres.server().superuserConnection();
                java.sql.PreparedStatement waiting = superuser.prepareStatement("SELECT count(*) FROM"
                        + " pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?")) {
            waiting.setString(1, queryPattern);
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet count = waiting.executeQuery()) {
                    count.next();
                    if (count.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("no statement like " + queryPattern + " waited for a lock");
    }
}
