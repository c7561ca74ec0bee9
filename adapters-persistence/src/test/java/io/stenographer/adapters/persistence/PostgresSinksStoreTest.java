package io.stenographer.adapters.persistence;

import static io.stenographer.adapters.persistence.SinkSamples.hmac;
import static io.stenographer.adapters.persistence.SinkSamples.ed25519;
import static io.stenographer.adapters.persistence.SinkSamples.kafka;
import static io.stenographer.adapters.persistence.SinkSamples.now;
import static io.stenographer.adapters.persistence.SinkSamples.sqlState;
import static io.stenographer.adapters.persistence.SinkSamples.syslog;
import static io.stenographer.adapters.persistence.SinkSamples.tenant;
import static io.stenographer.adapters.persistence.SinkSamples.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.LeaseSinksPort.SinkLease;
import io.stenographer.application.port.out.StoreSinksPort.StoredSink;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkProgress;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkState;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.WebhookSecret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The administration side of stored sinks ({@code StoreSinksPort}) against the real database (V20): every target
 * shape, settings and progress round-trip, listing is per tenant without deleted sinks, secrets come back only through
 * a lease, names are unique per tenant among sinks that exist, and deleting keeps the row and wipes the secrets.
 */
class PostgresSinksStoreTest {

    private static final Duration LEASE = Duration.ofMinutes(1);

    private ReportsDatabase database;
    private PostgresSinks sinks;
    private TransactionRunner transactions;

    private void fresh(String name) throws SQLException {
        database = ReportsDatabase.fresh(name);
        sinks = new PostgresSinks(database.session());
        transactions = database.transactions();
    }

    private void insert(Sink sink, List<WebhookSecret> secrets, SinkProgress progress) {
        transactions.inTransaction(() -> {
            sinks.insert(sink, secrets, progress);
            return null;
        });
    }

    private StoredSink find(Sink sink) {
        return transactions.inTransaction(() -> sinks.find(sink.id())).orElseThrow();
    }

    private List<Sink> list(TenantId tenant) {
        return transactions.inTransaction(() -> sinks.list(tenant)).stream().map(StoredSink::sink).toList();
    }

    private void run(Runnable change) {
        transactions.inTransaction(() -> {
            change.run();
            return null;
        });
    }

    @Test
    void everyTargetSettingsAndProgressRoundTripWithTheirNullFields() throws SQLException {
        fresh("sinks_round_trip");
        TenantId tenant = tenant();
        Instant at = now();
        WebhookSecret first = hmac();
        WebhookSecret second = ed25519();
        SinkSettings settings = new SinkSettings(17, 250, Duration.ofMillis(2_500), Duration.ofMinutes(90), 4_096,
                "# auth\n*.login 3002\naccount.* 3001\n");
        Sink hook = Sink.create(SinkSamples.id(at), tenant, "Splunk HEC_1.a",
                SinkTarget.Webhook.parse("https://[2001:db8::1]:8443/services/collector?channel=a%20b"),
                SinkFormat.NATIVE, settings, List.of(first, second), at, "ann@example.com");
        Sink bus = kafka(tenant, "bus", at.plusMillis(1));
        Sink syslog = syslog(tenant, "qradar", at.plusMillis(2));
        // Every progress field set, an inflight batch with a checkpoint, and a retry an hour away.
        SinkProgress failing = new SinkProgress(120, 100, 20, at.minusSeconds(30), 120, 3, "HTTP 503 from receiver",
                at.minusSeconds(5), at.minusSeconds(60), 3, Duration.ofHours(1),
                new SinkProgress.Inflight(120, 170, 170));
        // Nulls everywhere they may be, and an inflight batch without a checkpoint.
        SinkProgress fresh = new SinkProgress(0, 0, 0, null, 0, 0, null, null, null, 0, Duration.ZERO,
                new SinkProgress.Inflight(0, 5, -1));
        SinkProgress started = SinkProgress.startingAt(42);

        insert(hook, List.of(first, second), failing);
        insert(bus, List.of(), fresh);
        insert(syslog, List.of(), started);

        StoredSink storedHook = find(hook);
        assertThat(storedHook.sink()).isEqualTo(hook);
        assertThat(storedHook.sink().secretFingerprints()).containsExactly(first.fingerprint(), second.fingerprint());
        assertThat(storedHook.progress()).usingRecursiveComparison().ignoringFields("retryAfter").isEqualTo(failing);
        assertThat(storedHook.progress().retryAfter()).as("what is left of the hour, by the database's clock")
                .isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
        assertThat(find(bus)).isEqualTo(new StoredSink(bus, fresh));
        assertThat(find(bus).sink().target()).isEqualTo(new SinkTarget.Kafka(List.of(
                new HostPort("kafka-1.example.com", 9092), new HostPort("2001:db8::7", 9093)), "audit.stream", true));
        assertThat(find(syslog)).isEqualTo(new StoredSink(syslog, started));
        assertThat(transactions.inTransaction(() -> sinks.find(SinkSamples.id(at)))).isEmpty();
    }

    @Test
    void aTenantListsItsOwnSinksThatExistOldestFirst() throws SQLException {
        fresh("sinks_list");
        TenantId tenant = tenant();
        TenantId other = tenant();
        Instant at = now();
        // Inserted newest first: the order comes from their creation times.
        Sink newest = syslog(tenant, "c", at.plusSeconds(2));
        Sink middle = kafka(tenant, "b", at.plusSeconds(1));
        WebhookSecret secret = hmac();
        Sink oldest = webhook(tenant, "a", List.of(secret), at);
        Sink gone = kafka(tenant, "gone", at.minusSeconds(1));
        Sink foreign = kafka(other, "a", at.minusSeconds(2));
        for (Sink sink : List.of(newest, middle, gone, foreign)) {
            insert(sink, List.of(), SinkProgress.startingAt(0));
        }
        insert(oldest, List.of(secret), SinkProgress.startingAt(0));
        run(() -> sinks.changeState(middle.id(), SinkState.PAUSED));
        run(() -> sinks.delete(gone.id()));

        assertThat(list(tenant)).extracting(Sink::name).containsExactly("a", "b", "c");
        assertThat(list(tenant).get(1).state()).as("paused sinks are listed").isEqualTo(SinkState.PAUSED);
        assertThat(list(other)).containsExactly(foreign);
        assertThat(list(tenant())).isEmpty();
        assertThat(find(gone).sink().state()).as("found, deleted").isEqualTo(SinkState.DELETED);
    }

    @Test
    void aSinkAndItsSecretsMustAgree() throws SQLException {
        fresh("sinks_secrets_agree");
        TenantId tenant = tenant();
        WebhookSecret secret = hmac();
        Sink hook = webhook(tenant, "hook", List.of(secret), now());

        assertThatThrownBy(() -> insert(hook, List.of(hmac()), SinkProgress.startingAt(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fingerprints");
        insert(hook, List.of(secret), SinkProgress.startingAt(0));
        assertThatThrownBy(() -> run(() -> sinks.replaceSecrets(hook.id(), List.of())))
                .as("a webhook is always signed").hasMessageContaining("signing secrets");
        Sink bus = kafka(tenant, "bus", now());
        insert(bus, List.of(), SinkProgress.startingAt(0));
        assertThatThrownBy(() -> run(() -> sinks.replaceSecrets(bus.id(), List.of(hmac()))))
                .hasMessageContaining("only webhook sinks");
        assertThat(secretsInTable(hook)).containsExactly(secret.serialize());
    }

    @Test
    void secretsAreReadOnlyThroughALeaseAndRotateInPlace() throws SQLException {
        fresh("sinks_secrets");
        TenantId tenant = tenant();
        WebhookSecret old = hmac();
        WebhookSecret next = ed25519();
        Sink hook = webhook(tenant, "hook", List.of(old), now());
        insert(hook, List.of(old), SinkProgress.startingAt(0));

        for (Object shown : List.of(find(hook), transactions.inTransaction(() -> sinks.list(tenant)))) {
            assertThat(shown.toString()).as("find and list carry fingerprints only")
                    .contains(old.fingerprint()).doesNotContain(old.serialize())
                    .doesNotContain(old.serialize().substring("whsec_".length()));
        }
        assertThat(claimOne().secrets()).containsExactly(old);

        // Rotation: both while the receiver switches, then the new one alone.
        run(() -> sinks.replaceSecrets(hook.id(), List.of(next, old)));
        assertThat(find(hook).sink().secretFingerprints()).containsExactly(next.fingerprint(), old.fingerprint());
        assertThat(claimOne().secrets()).containsExactly(next, old);
        run(() -> sinks.replaceSecrets(hook.id(), List.of(next)));

        assertThat(find(hook).sink().secretFingerprints()).containsExactly(next.fingerprint());
        assertThat(claimOne().secrets()).containsExactly(next);
        assertThat(secretsInTable(hook)).as("the dropped secret is wiped, not deleted")
                .containsExactly(next.serialize(), null);
    }

    /** Claims the only sink of this test's database (each admin change ended the previous lease). */
    private SinkLease claimOne() {
        List<SinkLease> leases = transactions.inTransaction(() -> sinks.claim("worker", LEASE, 10));
        assertThat(leases).hasSize(1);
        return leases.get(0);
    }

    @Test
    void aNameIsUniquePerTenantAmongSinksThatExist() throws SQLException {
        fresh("sinks_unique_name");
        TenantId tenant = tenant();
        Sink first = kafka(tenant, "siem", now());
        insert(first, List.of(), SinkProgress.startingAt(0));

        assertThatThrownBy(() -> insert(syslog(tenant, "siem", now()), List.of(), SinkProgress.startingAt(0)))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23505"));
        insert(syslog(tenant(), "siem", now()), List.of(), SinkProgress.startingAt(0));
        insert(syslog(tenant, "SIEM", now()), List.of(), SinkProgress.startingAt(0));
        run(() -> sinks.delete(first.id()));
        Sink again = kafka(tenant, "siem", now());
        insert(again, List.of(), SinkProgress.startingAt(0));

        assertThat(list(tenant)).extracting(Sink::name).containsExactly("SIEM", "siem");
        assertThat(find(first).sink().name()).isEqualTo("siem");
    }

    @Test
    void deletingKeepsTheRowWipesTheSecretsAndIsFinal() throws SQLException {
        fresh("sinks_delete");
        TenantId tenant = tenant();
        WebhookSecret a = hmac();
        WebhookSecret b = ed25519();
        Sink hook = webhook(tenant, "hook", List.of(a, b), now());
        insert(hook, List.of(a, b), SinkProgress.startingAt(5));
        long generation = generation(hook);

        run(() -> sinks.delete(hook.id()));

        StoredSink deleted = find(hook);
        assertThat(deleted.sink()).isEqualTo(hook.withState(SinkState.DELETED));
        assertThat(deleted.sink().secretFingerprints()).as("kept for the record")
                .containsExactly(a.fingerprint(), b.fingerprint());
        assertThat(deleted.progress().cursor()).isEqualTo(5);
        assertThat(secretsInTable(hook)).containsExactly(null, null);
        assertThat(generation(hook)).isEqualTo(generation + 1);
        assertThat(list(tenant)).isEmpty();
        assertThat(transactions.inTransaction(() -> sinks.claim("worker", LEASE, 10))).isEmpty();
        for (Runnable change : List.<Runnable>of(() -> sinks.delete(hook.id()),
                () -> sinks.changeState(hook.id(), SinkState.ACTIVE),
                () -> sinks.replaceSecrets(hook.id(), List.of(a)),
                () -> sinks.restart(hook.id(), SinkProgress.startingAt(0)))) {
            assertThatThrownBy(() -> run(change)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not deleted");
        }
        assertThat(find(hook)).isEqualTo(deleted);
        assertThat(secretsInTable(hook)).containsExactly(null, null);
        // Not even a direct write brings a secret back.
        try (Connection app = database.app();
                PreparedStatement write = app.prepareStatement(
                        "UPDATE stream_sink_secret SET secret = ? WHERE sink_id = ?")) {
            write.setString(1, a.serialize());
            write.setObject(2, hook.id().value());
            assertThatThrownBy(write::executeUpdate).satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
        }
    }

    @Test
    void resumingForgetsTheFailureRunAndIsDueAtOnce() throws SQLException {
        fresh("sinks_resume");
        Instant at = now();
        Sink bus = kafka(tenant(), "bus", at);
        SinkProgress failing = SinkProgress.startingAt(7).attempting(new SinkProgress.Inflight(7, 9, -1))
                .failedAttempt("broker down", at, Duration.ofHours(2));
        insert(bus, List.of(), failing);
        run(() -> sinks.changeState(bus.id(), SinkState.DEAD));
        assertThat(find(bus).sink().state()).isEqualTo(SinkState.DEAD);

        run(() -> sinks.changeState(bus.id(), SinkState.ACTIVE));

        StoredSink resumed = find(bus);
        assertThat(resumed.sink().state()).isEqualTo(SinkState.ACTIVE);
        assertThat(resumed.progress()).isEqualTo(failing.resumed());
        assertThat(resumed.progress().failed()).as("counts stay").isEqualTo(1);
        assertThat(resumed.progress().lastError()).isEqualTo("broker down");
        assertThat(transactions.inTransaction(() -> sinks.claim("worker", LEASE, 1))).as("due at once").hasSize(1);
        assertThatThrownBy(() -> run(() -> sinks.changeState(bus.id(), SinkState.DELETED)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRestartWritesTheReplayedProgressWithNothingInFlightAndIsDueAtOnce() throws SQLException {
        fresh("sinks_restart");
        Instant at = now();
        Sink bus = kafka(tenant(), "bus", at);
        SinkProgress far = new SinkProgress(500, 400, 100, at, 500, 2, "timeout", at, at, 2, Duration.ofHours(1),
                new SinkProgress.Inflight(500, 600, -1));
        insert(bus, List.of(), far);
        long generation = generation(bus);

        SinkProgress replay = far.replayingFrom(10);
        run(() -> sinks.restart(bus.id(), replay.attempting(new SinkProgress.Inflight(10, 20, -1))));

        assertThat(find(bus).progress()).isEqualTo(replay);
        assertThat(generation(bus)).isEqualTo(generation + 1);
        assertThat(transactions.inTransaction(() -> sinks.claim("worker", LEASE, 1))).singleElement()
                .satisfies(lease -> assertThat(lease.progress().cursor()).isEqualTo(10));
    }

    private long generation(Sink sink) throws SQLException {
        try (Connection superuser = database.superuser();
                PreparedStatement query = superuser.prepareStatement("SELECT generation FROM stream_sink WHERE id = ?")) {
            query.setObject(1, sink.id().value());
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The sink's secret column by position, as stored. */
    private List<String> secretsInTable(Sink sink) throws SQLException {
        List<String> secrets = new ArrayList<>();
        try (Connection superuser = database.superuser();
                PreparedStatement query = superuser.prepareStatement(
                        "SELECT secret FROM stream_sink_secret WHERE sink_id = ? ORDER BY position")) {
            query.setObject(1, sink.id().value());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    secrets.add(rs.getString(1));
                }
            }
        }
        return secrets;
    }
}
