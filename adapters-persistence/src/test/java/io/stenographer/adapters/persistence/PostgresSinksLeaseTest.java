package io.stenographer.adapters.persistence;

import static io.stenographer.adapters.persistence.SinkSamples.hmac;
import static io.stenographer.adapters.persistence.SinkSamples.kafka;
import static io.stenographer.adapters.persistence.SinkSamples.now;
import static io.stenographer.adapters.persistence.SinkSamples.tenant;
import static io.stenographer.adapters.persistence.SinkSamples.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.LeaseSinksPort.SinkLease;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkProgress;
import io.stenographer.domain.sink.SinkState;
import io.stenographer.domain.sink.WebhookSecret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Delivery leases ({@code LeaseSinksPort}) against the real database (V20), each test on a database of its own (a
 * claim chooses among every sink): concurrent claimers never share a sink, an expired lease is taken over and its
 * former holder can no longer renew, save or release, a sink whose next attempt is not due is left alone, the least
 * recently served sink comes first (so an idle one cannot starve the others), and every save is fenced by owner,
 * generation and the lease's time, so an admin change in between wins.
 */
class PostgresSinksLeaseTest {

    private static final Duration LEASE = Duration.ofMinutes(1);

    private ReportsDatabase database;
    private PostgresSinks sinks;
    private TransactionRunner transactions;

    private void fresh(String name) throws SQLException {
        database = ReportsDatabase.fresh(name);
        sinks = new PostgresSinks(database.session());
        transactions = database.transactions();
    }

    private <T> T tx(Supplier<T> work) {
        return transactions.inTransaction(work);
    }

    private void run(Runnable change) {
        transactions.inTransaction(() -> {
            change.run();
            return null;
        });
    }

    private Sink active(TenantId tenant, String name, Instant at) {
        Sink sink = kafka(tenant, name, at);
        run(() -> sinks.insert(sink, List.of(), SinkProgress.startingAt(0)));
        return sink;
    }

    private List<SinkLease> claim(String owner, int max) {
        return tx(() -> sinks.claim(owner, LEASE, max));
    }

    private SinkProgress progress(Sink sink) {
        return tx(() -> sinks.find(sink.id())).orElseThrow().progress();
    }

    private SinkState state(Sink sink) {
        return tx(() -> sinks.find(sink.id())).orElseThrow().sink().state();
    }

    @Test
    void aClaimLeasesDueActiveSinksByTheDatabasesClockWithTheirSecretsLeastRecentlyServedFirst() throws SQLException {
        fresh("sinks_claim");
        TenantId tenant = tenant();
        Instant at = now();
        WebhookSecret secret = hmac();
        Sink hook = webhook(tenant, "hook", List.of(secret), at);
        run(() -> sinks.insert(hook, List.of(secret), SinkProgress.startingAt(3)));
        Sink bus = active(tenant, "bus", at);
        Sink paused = active(tenant, "paused", at);
        run(() -> sinks.changeState(paused.id(), SinkState.PAUSED));

        List<SinkLease> leases = claim("instance-a", 10);

        assertThat(leases).extracting(SinkLease::id).containsExactly(hook.id(), bus.id());
        SinkLease lease = leases.get(0);
        assertThat(lease.owner()).isEqualTo("instance-a");
        assertThat(lease.tenant()).isEqualTo(tenant);
        assertThat(lease.sink()).isEqualTo(hook);
        assertThat(lease.progress()).isEqualTo(SinkProgress.startingAt(3));
        assertThat(lease.secrets()).containsExactly(secret);
        assertThat(leases.get(1).secrets()).isEmpty();
        assertThat(lease.generation()).isEqualTo(leases.get(1).generation()).isZero();
        assertThat(leaseLeft(hook)).as("a minute from now, by the database's clock")
                .isBetween(Duration.ofSeconds(55), LEASE);
        assertThat(claim("instance-b", 10)).as("held, and the paused one is not delivered").isEmpty();
        assertThat(tx(() -> sinks.renew(lease, Duration.ofMinutes(5)))).isTrue();
        assertThat(leaseLeft(hook)).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));
        assertThatThrownBy(() -> claim("instance-b", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tx(() -> sinks.claim("instance-b", Duration.ZERO, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSinkJustServedGoesToTheBackSoACaughtUpSinkCannotStarveTheOthers() throws SQLException {
        fresh("sinks_round_robin");
        TenantId tenant = tenant();
        Instant at = now();
        Sink idle = active(tenant, "idle", at);
        Sink busy = active(tenant, "busy", at);

        SinkLease first = claim("worker", 1).get(0);
        assertThat(first.id()).isEqualTo(idle.id());
        run(() -> sinks.release(first)); // caught up: nothing to send, nothing to save
        SinkLease second = claim("worker", 1).get(0);
        assertThat(second.id()).as("not the idle sink again").isEqualTo(busy.id());
        assertThat(tx(() -> sinks.save(second, second.progress().attempting(new SinkProgress.Inflight(0, 5, -1)),
                null))).isTrue();
        run(() -> sinks.release(second));

        assertThat(claim("worker", 1)).extracting(SinkLease::id).containsExactly(idle.id());
    }

    @Test
    void aClaimSkipsWhatAnotherUncommittedClaimHoldsAndNeverSharesASink() throws Exception {
        fresh("sinks_claim_concurrent_pair");
        TenantId tenant = tenant();
        Instant at = now();
        List<SinkId> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(active(tenant, "s" + i, at).id());
        }
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            List<List<SinkLease>> claims = tx(() -> {
                List<SinkLease> first = sinks.claim("instance-a", LEASE, 3);
                // The second claimer runs on its own connection while the first claim is not committed: it neither
                // waits for the locked rows nor takes them.
                Future<List<SinkLease>> second = other.submit(() -> claim("instance-b", 10));
                try {
                    return List.of(first, second.get(30, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });

            assertThat(claims.get(0)).hasSize(3);
            assertThat(claims.get(1)).hasSize(2);
            List<SinkId> claimed = new ArrayList<>();
            claims.forEach(leases -> leases.forEach(lease -> claimed.add(lease.id())));
            assertThat(claimed).containsExactlyInAnyOrderElementsOf(all);
            assertThat(claim("instance-c", 10)).isEmpty();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void concurrentClaimersNeverShareASink() throws Exception {
        fresh("sinks_claim_concurrent");
        TenantId tenant = tenant();
        Instant at = now();
        for (int i = 0; i < 40; i++) {
            active(tenant, "s" + i, at);
        }
        int claimers = 6;
        CyclicBarrier start = new CyclicBarrier(claimers);
        List<SinkLease> claimed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < claimers; c++) {
                String owner = "instance-" + c;
                done.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (List<SinkLease> leases = claim(owner, 3); !leases.isEmpty(); leases = claim(owner, 3)) {
                        claimed.addAll(leases);
                    }
                    return null;
                }));
            }
            for (Future<?> claimer : done) {
                claimer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<SinkId> distinct = new HashSet<>();
        for (SinkLease lease : claimed) {
            assertThat(distinct.add(lease.id())).as("claimed twice: " + lease.id()).isTrue();
        }
        assertThat(distinct).hasSize(40);
        // Each sink's lease is held by the owner that claimed it.
        for (SinkLease lease : claimed) {
            assertThat(tx(() -> sinks.renew(lease, LEASE))).isTrue();
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsFormerHolderCanNeitherRenewNorSaveNorRelease() throws SQLException {
        fresh("sinks_takeover");
        Sink bus = active(tenant(), "bus", now());
        SinkLease first = claim("instance-a", 1).get(0);
        SinkProgress attempting = first.progress().attempting(new SinkProgress.Inflight(0, 10, -1));
        assertThat(tx(() -> sinks.save(first, attempting, null))).isTrue();
        setAndCheck("UPDATE stream_sink SET lease_until = now() - interval '1 second' WHERE id = ?", bus.id());
        assertThat(tx(() -> sinks.renew(first, LEASE))).as("expired, even before anyone took it").isFalse();

        SinkLease second = claim("instance-b", 1).get(0);

        assertThat(second.id()).isEqualTo(bus.id());
        assertThat(second.generation()).as("a takeover is no admin change: the batch keeps its message id")
                .isEqualTo(first.generation());
        assertThat(second.progress()).as("the new holder retries the same batch").isEqualTo(attempting);
        assertThat(tx(() -> sinks.save(first, attempting.acknowledged(now()), null))).isFalse();
        run(() -> sinks.release(first));
        assertThat(progress(bus)).isEqualTo(attempting);
        assertThat(claim("instance-c", 1)).as("the former holder's release let nothing go").isEmpty();
        assertThat(tx(() -> sinks.renew(second, LEASE))).isTrue();
        assertThat(tx(() -> sinks.save(second, attempting.acknowledged(now()), null))).isTrue();
        assertThat(progress(bus).cursor()).isEqualTo(10);
        run(() -> sinks.release(second));
        assertThat(claim("instance-c", 1)).as("released: due again at once").hasSize(1);
    }

    @Test
    void aSinkWhoseNextAttemptIsNotDueIsNotClaimed() throws SQLException {
        fresh("sinks_backoff");
        Instant at = now();
        Sink bus = active(tenant(), "bus", at);
        SinkLease lease = claim("instance-a", 1).get(0);
        SinkProgress failed = lease.progress().attempting(new SinkProgress.Inflight(0, 4, -1))
                .failedAttempt("connection refused", at, Duration.ofMinutes(10));
        assertThat(tx(() -> sinks.save(lease, failed, null))).isTrue();
        run(() -> sinks.release(lease));

        assertThat(claim("instance-b", 1)).as("released, but backing off").isEmpty();
        assertThat(progress(bus).retryAfter()).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
        setAndCheck("UPDATE stream_sink SET next_attempt_at = now() - interval '1 millisecond' WHERE id = ?",
                bus.id());
        SinkLease retry = claim("instance-b", 1).get(0);
        assertThat(retry.progress()).usingRecursiveComparison().ignoringFields("retryAfter").isEqualTo(failed);
        assertThat(retry.progress().retryAfter()).isZero();
    }

    @Test
    void everyAdminChangeEndsTheLeaseAndTheFormerHolderSavesNothing() throws SQLException {
        fresh("sinks_fenced");
        Instant at = now();
        WebhookSecret secret = hmac();
        Sink hook = webhook(tenant(), "hook", List.of(secret), at);
        run(() -> sinks.insert(hook, List.of(secret), SinkProgress.startingAt(0)));
        List<Runnable> changes = List.of(
                () -> sinks.changeState(hook.id(), SinkState.ACTIVE),
                () -> sinks.replaceSecrets(hook.id(), List.of(hmac())),
                () -> sinks.restart(hook.id(), SinkProgress.startingAt(0)));
        long generation = 0;
        for (Runnable change : changes) {
            SinkLease lease = claim("instance-a", 1).get(0);
            assertThat(lease.generation()).isEqualTo(generation);
            SinkProgress before = progress(hook);

            run(change);

            assertThat(tx(() -> sinks.save(lease, before.attempting(new SinkProgress.Inflight(0, 3, -1)), null)))
                    .isFalse();
            assertThat(tx(() -> sinks.renew(lease, LEASE))).isFalse();
            assertThat(progress(hook)).isEqualTo(before);
            SinkLease again = claim("instance-a", 1).get(0);
            assertThat(again.generation()).as("same owner, new generation").isEqualTo(++generation);
            assertThat(tx(() -> sinks.save(lease, before, null))).as("the old generation saves nothing").isFalse();
            run(() -> sinks.release(lease));
            assertThat(tx(() -> sinks.renew(again, LEASE))).as("the old lease released nothing").isTrue();
            run(() -> sinks.release(again));
        }
    }

    @Test
    void aPauseBetweenClaimAndSaveWins() throws SQLException {
        fresh("sinks_pause_wins");
        Sink bus = active(tenant(), "bus", now());
        SinkLease lease = claim("instance-a", 1).get(0);

        run(() -> sinks.changeState(bus.id(), SinkState.PAUSED));

        SinkProgress moved = lease.progress().attempting(new SinkProgress.Inflight(0, 2, -1));
        assertThat(tx(() -> sinks.save(lease, moved, null))).isFalse();
        assertThat(tx(() -> sinks.save(lease, moved, SinkState.DEAD))).as("dead only from active").isFalse();
        assertThat(state(bus)).isEqualTo(SinkState.PAUSED);
        assertThat(progress(bus)).isEqualTo(lease.progress());
        assertThat(claim("instance-b", 1)).isEmpty();
    }

    @Test
    void aHolderMovesItsActiveSinkToDeadOrDisabledAndTheLeaseEndsWithIt() throws SQLException {
        fresh("sinks_dead");
        Instant at = now();
        Sink dying = active(tenant(), "dying", at);
        Sink gone = active(tenant(), "gone", at.plusMillis(1));
        List<SinkLease> leases = claim("instance-a", 2);
        SinkLease dyingLease = leases.stream().filter(l -> l.id().equals(dying.id())).findFirst().orElseThrow();
        SinkLease goneLease = leases.stream().filter(l -> l.id().equals(gone.id())).findFirst().orElseThrow();
        SinkProgress failed = dyingLease.progress().attempting(new SinkProgress.Inflight(0, 1, -1))
                .failedAttempt("failing for 24 h", at, Duration.ofMinutes(1));
        assertThatThrownBy(() -> tx(() -> sinks.save(dyingLease, failed, SinkState.PAUSED)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tx(() -> sinks.save(dyingLease, failed, SinkState.ACTIVE)))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(tx(() -> sinks.save(dyingLease, failed, SinkState.DEAD))).isTrue();
        assertThat(tx(() -> sinks.save(goneLease, goneLease.progress(), SinkState.DISABLED))).isTrue();

        assertThat(state(dying)).isEqualTo(SinkState.DEAD);
        assertThat(progress(dying)).usingRecursiveComparison().ignoringFields("retryAfter").isEqualTo(failed);
        assertThat(state(gone)).isEqualTo(SinkState.DISABLED);
        assertThat(tx(() -> sinks.renew(dyingLease, LEASE))).as("the lease ended with delivery").isFalse();
        assertThat(tx(() -> sinks.save(dyingLease, failed, SinkState.DISABLED))).isFalse();
        assertThat(state(dying)).isEqualTo(SinkState.DEAD);
        setAndCheck("UPDATE stream_sink SET next_attempt_at = now() - interval '1 hour' WHERE id = ?", dying.id());
        assertThat(claim("instance-b", 10)).as("neither is delivered any more").isEmpty();
        run(() -> sinks.changeState(dying.id(), SinkState.ACTIVE));
        assertThat(claim("instance-b", 10)).extracting(SinkLease::id).containsExactly(dying.id());
    }

    /** Runs an update of one sink as the superuser (a clock moved on, for the test). */
    private void setAndCheck(String sql, SinkId id) throws SQLException {
        try (Connection superuser = database.superuser(); PreparedStatement update = superuser.prepareStatement(sql)) {
            update.setObject(1, id.value());
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    /** How long the sink's lease still runs, by the database's clock. */
    private Duration leaseLeft(Sink sink) throws SQLException {
        try (Connection superuser = database.superuser();
                PreparedStatement query = superuser.prepareStatement(
                        "SELECT (extract(epoch FROM lease_until - now()) * 1000)::bigint FROM stream_sink WHERE id = ?")) {
            query.setObject(1, sink.id().value());
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return Duration.ofMillis(rs.getLong(1));
            }
        }
    }
}
