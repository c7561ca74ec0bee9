package io.stenographer.bootstrap.log;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.adapters.persistence.PostgresSigningKeys;
import io.stenographer.application.port.in.IntegrateEventsUseCase;
import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.application.port.out.AppendEventsPort;
import io.stenographer.application.port.out.LoadPendingEventsPort;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.IntegrateEventsService;
import io.stenographer.application.service.SequencerLimits;
import io.stenographer.application.service.SelfAudit;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.TestEvents;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogOrigins;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent ingest against three sequencers at once (the scheduled one plus two independent service
 * instances, each on its own connections), with one writer that holds its transaction open so its
 * event commits after events that arrived later. Every event must end with exactly one index, the
 * indices must be exactly 0..n-1, and every checkpoint must match the leaves.
 */
@QuarkusTest
class SequencerConcurrencyTest {

    private final RecordEventsUseCase recordEvents;
    private final IntegrateEventsUseCase scheduledSequencer;
    private final PostgresMerkleLog log;
    private final SignCheckpointPort signer;
    private final TransactionRunner transactions;
    private final AppendEventsPort appendEvents;
    private final LogOrigins origins;
    private final PostgresSigningKeys keyHistory;
    private final SelfAudit selfAudit;

    SequencerConcurrencyTest(RecordEventsUseCase recordEvents, IntegrateEventsUseCase scheduledSequencer,
            PostgresMerkleLog log, SignCheckpointPort signer, TransactionRunner transactions,
            AppendEventsPort appendEvents, LogOrigins origins, PostgresSigningKeys keyHistory, SelfAudit selfAudit) {
        this.keyHistory = keyHistory;
        this.selfAudit = selfAudit;
        this.recordEvents = recordEvents;
        this.scheduledSequencer = scheduledSequencer;
        this.log = log;
        this.signer = signer;
        this.transactions = transactions;
        this.appendEvents = appendEvents;
        this.origins = origins;
    }

    @Test
    void concurrentIngestAndSequencersYieldExactlyOneGaplessIndexPerEvent() throws Exception {
        TenantId tenant = new TenantId("seq-" + UUID.randomUUID().toString().substring(0, 8));
        Caller writer = Caller.withRolesOnTenants("seq-writer", Set.of(Role.AUDIT_WRITER), Set.of(tenant));
        List<IntegrateEventsUseCase> sequencers = List.of(scheduledSequencer,
                new IntegrateEventsService(log, log, log, signer, keyHistory, selfAudit, transactions,
                        Clock.systemUTC(), origins, new SequencerLimits(37, Duration.ofMillis(1))),
                new IntegrateEventsService(log, log, log, signer, keyHistory, selfAudit, transactions,
                        Clock.systemUTC(), origins, new SequencerLimits(500, Duration.ofSeconds(1))));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicBoolean ingesting = new AtomicBoolean(true);
        CountDownLatch lateEventInserted = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        Set<EventId> accepted = ConcurrentHashMap.newKeySet();

        AuditEvent lateEvent = TestEvents.sealed(tenant, "late-writer");
        work.add(pool.submit(() -> transactions.inTransaction(() -> {
            appendEvents.append(List.of(io.stenographer.domain.event.SealedEvent.of(lateEvent)));
            lateEventInserted.countDown();
            sleep(1_500); // commits long after later arrivals were integrated
            return null;
        })));
        accepted.add(lateEvent.id());
        assertThat(lateEventInserted.await(60, TimeUnit.SECONDS)).as("the late writer's insert").isTrue();

        for (int w = 0; w < 3; w++) {
            work.add(pool.submit(() -> {
                for (int round = 0; round < 40; round++) {
                    List<io.stenographer.domain.event.EventDraft> drafts = new ArrayList<>();
                    for (int i = 0; i < 1 + round % 7; i++) {
                        drafts.add(TestEvents.draft(tenant, "actor-" + round));
                    }
                    recordEvents.record(new RecordEventsCommand(writer, drafts)).items().forEach(item ->
                            accepted.add(((io.stenographer.application.port.in.RecordEventsResult.Recorded) item)
                                    .receipt().id()));
                }
                return null;
            }));
        }
        for (IntegrateEventsUseCase sequencer : sequencers.subList(1, 3)) {
            work.add(pool.submit(() -> {
                while (ingesting.get()) {
                    sequencer.integratePending();
                    sleep(5);
                }
                return null;
            }));
        }
        for (Future<?> f : work.subList(0, 4)) {
            f.get(120, TimeUnit.SECONDS);
        }
        ingesting.set(false);
        for (Future<?> f : work) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // Drain what is left. The scheduled sequencer may be mid-round on this tenant (a round of ours then
        // integrates nothing), so wait until the tenant's checkpoint covers every accepted event.
        Await.until("a checkpoint of " + tenant + " covering all " + accepted.size() + " accepted events",
                Await.DEADLINE, () -> {
                    sequencers.get(1).integratePending();
                    return transactions.inTransaction(() -> log.latestCheckpoint(tenant))
                            .map(PublishedCheckpoint::treeSize).orElse(0L);
                }, size -> size >= accepted.size());

        assertThat(accepted).hasSizeGreaterThan(100);
        assertThat(exactLogOf(tenant, accepted)).contains(lateEvent.id());
    }

    /**
     * Three sequencers that integrate tenants in groups (the scheduled one and two more, with other group sizes and
     * worker counts) run against writers whose batches mix sixteen tenants. Groups overlap, so a group often gets
     * only some of its tenants' locks. Every tenant's log must still be exactly its accepted events, gapless, with
     * every checkpoint the root of its prefix.
     */
    @Test
    void groupedSequencersTakeOnlyTheTenantsTheyLockAndEveryLogIsExact() throws Exception {
        String prefix = "groups-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        List<TenantId> tenants = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            tenants.add(new TenantId(prefix + t));
        }
        Caller writer = Caller.withRolesOnTenants("groups-writer", Set.of(Role.AUDIT_WRITER), Set.copyOf(tenants));
        List<IntegrateEventsUseCase> sequencers = List.of(
                new IntegrateEventsService(log, log, log, signer, keyHistory, selfAudit, transactions,
                        Clock.systemUTC(), origins, new SequencerLimits(500, Duration.ofSeconds(1), 2, 5)),
                new IntegrateEventsService(log, log, log, signer, keyHistory, selfAudit, transactions,
                        Clock.systemUTC(), origins, new SequencerLimits(7, Duration.ofSeconds(1), 3, 4)));
        Map<TenantId, Set<EventId>> accepted = new ConcurrentHashMap<>();
        tenants.forEach(tenant -> accepted.put(tenant, ConcurrentHashMap.newKeySet()));
        ExecutorService pool = Executors.newFixedThreadPool(5);
        AtomicBoolean ingesting = new AtomicBoolean(true);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int first = w;
            writers.add(pool.submit(() -> {
                for (int round = 0; round < 30; round++) {
                    List<io.stenographer.domain.event.EventDraft> drafts = new ArrayList<>();
                    List<TenantId> tenantOfDraft = new ArrayList<>();
                    for (int i = 0; i < 1 + round % 9; i++) {
                        TenantId tenant = tenants.get((first * 5 + round + i * 3) % tenants.size());
                        drafts.add(TestEvents.draft(tenant, "actor-" + round));
                        tenantOfDraft.add(tenant);
                    }
                    var items = recordEvents.record(new RecordEventsCommand(writer, drafts)).items();
                    for (int i = 0; i < items.size(); i++) {
                        var receipt = ((io.stenographer.application.port.in.RecordEventsResult.Recorded) items.get(i))
                                .receipt();
                        accepted.get(tenantOfDraft.get(i)).add(receipt.id());
                    }
                }
                return null;
            }));
        }
        List<Future<?>> running = new ArrayList<>();
        for (IntegrateEventsUseCase sequencer : sequencers) {
            running.add(pool.submit(() -> {
                while (ingesting.get()) {
                    sequencer.integratePending();
                }
                return null;
            }));
        }
        for (Future<?> f : writers) {
            f.get(120, TimeUnit.SECONDS);
        }
        ingesting.set(false);
        for (Future<?> f : running) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (TenantId tenant : tenants) {
            Await.until("a checkpoint of " + tenant + " covering its " + accepted.get(tenant).size() + " events",
                    Await.DEADLINE, () -> {
                        sequencers.get(0).integratePending();
                        return transactions.inTransaction(() -> log.latestCheckpoint(tenant))
                                .map(PublishedCheckpoint::treeSize).orElse(0L);
                    }, size -> size >= accepted.get(tenant).size());
            assertThat(accepted.get(tenant)).isNotEmpty();
            exactLogOf(tenant, accepted.get(tenant));
        }
    }

    /**
     * Checks that the tenant's log holds exactly {@code accepted}, once each, at indices 0..n-1, and that every
     * stored checkpoint is signed and has the root of that prefix of the leaves; returns the events in log order.
     */
    private List<EventId> exactLogOf(TenantId tenant, Set<EventId> accepted) throws SQLException {
        List<Long> indexes = new ArrayList<>();
        List<EventId> eventsInOrder = new ArrayList<>();
        List<Hash> leafHashes = new ArrayList<>();
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement ps = db.prepareStatement(
                        "SELECT leaf_index, event_id, leaf_hash FROM log_leaf WHERE tenant = ? ORDER BY leaf_index")) {
            ps.setString(1, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.add(rs.getLong(1));
                    eventsInOrder.add(new EventId(rs.getObject(2, UUID.class)));
                    leafHashes.add(new Hash(rs.getBytes(3)));
                }
            }
        }
        assertThat(eventsInOrder).doesNotHaveDuplicates();
        assertThat(new HashSet<>(eventsInOrder)).isEqualTo(accepted);
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < accepted.size(); i++) {
            expected.add(i);
        }
        assertThat(indexes).isEqualTo(expected);
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leafHashes);
        var checkpoints = transactions.inTransaction(() -> log.checkpointsAbove(tenant, 0));
        assertThat(checkpoints).isNotEmpty();
        assertThat(checkpoints.get(checkpoints.size() - 1).treeSize()).isEqualTo(accepted.size());
        for (var checkpoint : checkpoints) {
            assertThat(checkpoint.checkpoint().rootHash()).isEqualTo(tree.root(checkpoint.treeSize()));
            assertThat(signer.verifier().verify(
                    io.stenographer.domain.checkpoint.SignedNote.parse(checkpoint.signedNote()))).isTrue();
        }
        return eventsInOrder;
    }

    /**
     * Workers integrate several tenants at once: the first worker's tenant waits, inside its transaction, until a
     * second worker has started another tenant, so the round can only finish if two ran at the same time. Every
     * tenant's log is then exactly its events, gapless, with a checkpoint of their root.
     */
    @Test
    void workersIntegrateSeveralTenantsAtOnceAndEachLogIsExact() throws Exception {
        String prefix = "workers-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        List<TenantId> tenants = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            TenantId tenant = new TenantId(prefix + t);
            tenants.add(tenant);
            Caller writer = Caller.withRolesOnTenants("workers-writer", Set.of(Role.AUDIT_WRITER), Set.of(tenant));
            List<io.stenographer.domain.event.EventDraft> drafts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                drafts.add(TestEvents.draft(tenant, "actor-" + i));
            }
            recordEvents.record(new RecordEventsCommand(writer, drafts));
        }
        CountDownLatch secondWorkerStarted = new CountDownLatch(1);
        Set<String> workerThreads = ConcurrentHashMap.newKeySet();
        AtomicBoolean overlapped = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger workerStarts = new java.util.concurrent.atomic.AtomicInteger();
        TransactionRunner watching = new TransactionRunner() {
            @Override
            public <T> T inTransaction(java.util.function.Supplier<T> work) {
                String thread = Thread.currentThread().getName();
                // The first new worker is told by its own add, atomically: two workers adding at once must not both
                // see a size of 2 and leave nobody waiting.
                if (thread.startsWith("stenographer-sequencer-") && workerThreads.add(thread)) {
                    if (workerStarts.incrementAndGet() == 1) {
                        try {
                            overlapped.set(secondWorkerStarted.await(30, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    } else {
                        secondWorkerStarted.countDown();
                    }
                }
                return transactions.inTransaction(work);
            }
        };
        // These tenants are due in every round even once the scheduled sequencer, which may take some of them
        // first, has emptied their queues: the workers start either way.
        LoadPendingEventsPort theseTenants = new LoadPendingEventsPort() {
            @Override
            public List<TenantId> tenantsWithPendingEvents(Optional<TenantId> after, int max) {
                return tenants;
            }

            @Override
            public Set<TenantId> tryLockSequencers(Collection<TenantId> group) {
                return log.tryLockSequencers(group);
            }

            @Override
            public Map<TenantId, List<PendingLeaf>> pendingLeaves(Collection<TenantId> group, int limitEach) {
                return log.pendingLeaves(group, limitEach);
            }
        };
        IntegrateEventsService sequencer = new IntegrateEventsService(theseTenants, log, log, signer, keyHistory,
                selfAudit, watching, Clock.systemUTC(), origins, new SequencerLimits(1_000, Duration.ofMinutes(5), 4));

        Await.until("every worker tenant's checkpoint at 5", Await.DEADLINE, () -> {
            sequencer.integratePending();
            return tenants.stream().filter(tenant -> transactions.inTransaction(() -> log.latestCheckpoint(tenant))
                    .map(PublishedCheckpoint::treeSize).orElse(0L) == 5).count();
        }, complete -> complete == tenants.size());

        assertThat(overlapped).as("a second worker started a tenant while the first was inside its own").isTrue();
        assertThat(workerThreads).hasSizeGreaterThan(1);
        for (TenantId tenant : tenants) {
            List<Hash> leafHashes = new ArrayList<>();
            try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                    PreparedStatement ps = db.prepareStatement("SELECT leaf_index, leaf_hash FROM log_leaf"
                            + " WHERE tenant = ? ORDER BY leaf_index")) {
                ps.setString(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        assertThat(rs.getLong(1)).isEqualTo(leafHashes.size());
                        leafHashes.add(new Hash(rs.getBytes(2)));
                    }
                }
            }
            assertThat(leafHashes).hasSize(5);
            PublishedCheckpoint latest = transactions.inTransaction(() -> log.latestCheckpoint(tenant)).orElseThrow();
            assertThat(latest.checkpoint().rootHash()).isEqualTo(InMemoryMerkleTree.of(leafHashes).root());
        }
        // The group reads say of each tenant what its own reads say, and a tenant never seen is still answered.
        TenantId unseen = new TenantId(prefix + "unseen");
        List<TenantId> asked = new ArrayList<>(tenants);
        asked.add(unseen);
        var heads = transactions.inTransaction(() -> log.heads(asked));
        assertThat(heads).containsOnlyKeys(asked);
        assertThat(heads.get(unseen).treeSize()).isZero();
        assertThat(heads.get(unseen).latest()).isEmpty();
        for (TenantId tenant : tenants) {
            assertThat(heads.get(tenant).treeSize()).isEqualTo(5);
            assertThat(heads.get(tenant).latest()).isEqualTo(transactions.inTransaction(
                    () -> log.latestCheckpoint(tenant)));
        }
        var keySets = transactions.inTransaction(() -> keyHistory.keySets(asked));
        assertThat(keySets).containsOnlyKeys(tenants);
        tenants.forEach(tenant -> assertThat(Optional.of(keySets.get(tenant)))
                .isEqualTo(transactions.inTransaction(() -> keyHistory.keySet(tenant))));
    }

    /**
     * A group whose writes all reached the database and then failed keeps nothing of any of its tenants; each is then
     * tried alone, so the healthy ones end with exactly their events and one checkpoint, and the failing one with
     * nothing. The events are appended inside the sequencer's own transaction, so no other sequencer (the scheduled
     * one runs all along) can integrate them first, and a rolled-back attempt leaves them unstored as well.
     */
    @Test
    void aGroupThatFailsAfterItsWritesKeepsNothingAndItsHealthyTenantsAreIntegratedAlone() throws Exception {
        String prefix = "rollback-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        TenantId first = new TenantId(prefix + "a");
        TenantId failing = new TenantId(prefix + "b");
        TenantId last = new TenantId(prefix + "c");
        List<TenantId> tenants = List.of(first, failing, last);
        Map<TenantId, List<io.stenographer.domain.event.SealedEvent>> events = new ConcurrentHashMap<>();
        for (TenantId tenant : tenants) {
            List<io.stenographer.domain.event.SealedEvent> sealed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sealed.add(io.stenographer.domain.event.SealedEvent.of(TestEvents.sealed(tenant, "actor-" + i)));
            }
            events.put(tenant, sealed);
        }
        LoadPendingEventsPort appendingFirst = new LoadPendingEventsPort() {
            @Override
            public List<TenantId> tenantsWithPendingEvents(Optional<TenantId> after, int max) {
                return tenants;
            }

            @Override
            public Set<TenantId> tryLockSequencers(Collection<TenantId> group) {
                Set<TenantId> locked = log.tryLockSequencers(group);
                locked.forEach(tenant -> appendEvents.append(events.get(tenant)));
                return locked;
            }

            @Override
            public Map<TenantId, List<PendingLeaf>> pendingLeaves(Collection<TenantId> group, int limitEach) {
                return log.pendingLeaves(group, limitEach);
            }
        };
        List<Map<TenantId, Long>> sizesWrittenBeforeFailing = new ArrayList<>();
        io.stenographer.application.port.out.AppendLogPort failingAfterWrites = extensions -> {
            log.extendLogs(extensions);
            List<TenantId> written = extensions.stream()
                    .map(io.stenographer.application.port.out.AppendLogPort.LogExtension::tenant).toList();
            if (written.contains(failing)) {
                Map<TenantId, Long> sizes = new java.util.HashMap<>();
                log.heads(written).forEach((tenant, head) -> sizes.put(tenant, head.treeSize()));
                sizesWrittenBeforeFailing.add(sizes);
                throw new IllegalStateException("the disk filled up after the writes");
            }
        };
        IntegrateEventsService sequencer = new IntegrateEventsService(appendingFirst, log, failingAfterWrites, signer,
                keyHistory, selfAudit, transactions, Clock.systemUTC(), origins,
                new SequencerLimits(1_000, Duration.ofMinutes(5), 1, 64));

        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        IntegrateEventsUseCase.IntegrationRound round = sequencer.integratePending();
        java.time.Instant after = java.time.Instant.now().plusMillis(1);

        assertThat(sizesWrittenBeforeFailing).as("the group's writes, then the failing tenant's alone").containsExactly(
                Map.of(first, 5L, failing, 5L, last, 5L), Map.of(failing, 5L));
        assertThat(round.failed()).containsOnlyKeys(failing);
        assertThat(round.integrated()).isEqualTo(10);
        for (TenantId healthy : List.of(first, last)) {
            Set<EventId> ids = new HashSet<>();
            events.get(healthy).forEach(event -> ids.add(event.event().id()));
            exactLogOf(healthy, ids);
            var checkpoints = transactions.inTransaction(() -> log.checkpointsAbove(healthy, 0));
            assertThat(checkpoints).hasSize(1);
            assertThat(checkpoints.get(0).publishedAt()).as("stored as the instant it was, whatever the zone")
                    .isBetween(before, after);
        }
        var failingHead = transactions.inTransaction(() -> log.heads(List.of(failing))).get(failing);
        assertThat(failingHead.treeSize()).isZero();
        assertThat(failingHead.latest()).isEmpty();
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM audit_event WHERE tenant = ?")) {
            ps.setString(1, failing.value());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("the failing tenant's events went with its transactions").isZero();
            }
        }
    }

    /** A history with a closed era and an open one reads the same for a group as for the tenant alone. */
    @Test
    void aGroupReadOfKeyHistoriesKeepsOpenErasOpen() throws Exception {
        String prefix = "keys-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        TenantId rotated = new TenantId(prefix + "rotated");
        TenantId single = new TenantId(prefix + "single");
        String retired = new NoteSigner("retired.example", Ed25519Keys.generate().getPrivate()).verifier()
                .toVerifierKey();
        String current = signer.verifier().toVerifierKey();
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement ps = db.prepareStatement("INSERT INTO log_signing_key"
                        + " (tenant, verifier_key, first_size, last_size) VALUES (?, ?, ?, ?)")) {
            Object[][] rows = {{rotated, retired, 0L, 7L}, {rotated, current, 7L, null}, {single, current, 0L, null}};
            for (Object[] row : rows) {
                ps.setString(1, ((TenantId) row[0]).value());
                ps.setString(2, (String) row[1]);
                ps.setLong(3, (Long) row[2]);
                ps.setObject(4, row[3], java.sql.Types.BIGINT);
                ps.executeUpdate();
            }
        }

        var keySets = transactions.inTransaction(() -> keyHistory.keySets(List.of(rotated, single)));

        assertThat(keySets.get(rotated).current().key()).isEqualTo(signer.verifier());
        assertThat(keySets.get(rotated).current().lastSize()).isEmpty();
        assertThat(keySets.get(single).current().key()).isEqualTo(signer.verifier());
        for (TenantId tenant : List.of(rotated, single)) {
            assertThat(Optional.of(keySets.get(tenant)))
                    .isEqualTo(transactions.inTransaction(() -> keyHistory.keySet(tenant)));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
