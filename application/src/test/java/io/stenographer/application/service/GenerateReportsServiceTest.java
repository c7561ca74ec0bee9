package io.stenographer.application.service;

import io.stenographer.application.port.in.GenerateReportsUseCase;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.port.out.StoreReportFilesPort;
import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.application.service.fakes.InMemoryReportSpools;
import io.stenographer.application.service.fakes.InMemorySigningKeys;
import io.stenographer.application.service.fakes.EmptyArchiveCatalog;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.tiles.Tile;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.report.ReportClaim;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportType;
import io.stenographer.domain.report.bundle.ReportBundleVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static org.assertj.core.api.Assertions.assertThat;

/** The report worker with fakes of its ports: success, refusals, integrity failures, interrupted runs. */
class GenerateReportsServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore appended = new InMemoryEventStore(transactions);
    private final MutableClock clock = new MutableClock(NOW);
    private final NoteSigner key = new NoteSigner("test", Ed25519Keys.generate().getPrivate());
    private final List<AuditEvent> log = new ArrayList<>();
    private final Map<UUID, ReportJob> jobs = new LinkedHashMap<>();
    private final Map<UUID, String> statuses = new HashMap<>();
    private final Map<UUID, ByteArrayOutputStream> files = new HashMap<>();
    private final java.util.Set<UUID> sealedFiles = new java.util.HashSet<>();
    private boolean dropLeaf;
    /** Every leaf index the worker read. */
    private final List<Long> read = new ArrayList<>();
    private final InMemoryReportSpools spools = new InMemoryReportSpools();

    private GenerateReportsService service(long maxEvents) {
        SplittableRandom random = new SplittableRandom(3);
        return new GenerateReportsService(jobsPort(), logPort(),
                new ArchivedEventReader(new EmptyArchiveCatalog(), null, null), new SelfAudit(appended, clock, random, StoredIdentifiers.AS_GIVEN),
                filesPort(), spools, (doc, events, bundle, out) -> {
                    throw new UnsupportedOperationException("no PDF here");
                }, new TenantKeySets(signer(), new InMemorySigningKeys()), manifest -> key.sign(manifest.body()), transactions, clock,
                (tenant, reportId) -> new byte[32], maxEvents, 10,
                new GenerateReportsService.Claiming("instance-1", Duration.ofSeconds(60), 3, 1), null);
    }

    private void seed(int count) {
        for (int i = 0; i < count; i++) {
            Instant at = NOW.minusSeconds(3000).plusMillis(100L * i);
            log.add(AuditEvent.record(EventId.newTimeOrdered(at, new SplittableRandom(i)), at, "svc",
                    new EventDraft(ACME, new Actor("u-" + (i % 2), ActorType.USER, null), Action.of("case.view"), null,
                            i % 2 == 0 ? "why" : null, i % 3 == 0 ? Outcome.DENIED : Outcome.SUCCESS, at,
                            new Source("portal", null, null), null, null, null)));
        }
    }

    private ReportJob queue(ReportType type, ReportFormat format) {
        ReportJob job = ReportJob.request(UUID.randomUUID(), ACME, type, format,
                ReportParameters.period(NOW.minusSeconds(3600), NOW), "ann", NOW, log.size());
        jobs.put(job.id(), job);
        return job;
    }

    @Test
    void aQueuedReportIsGeneratedStoredAndLogged() throws Exception {
        seed(2_500);
        ReportJob job = queue(ReportType.FOIA_EXPORT, ReportFormat.BUNDLE);
        GenerateReportsUseCase.Outcome outcome = service(1_000_000).generateNext().orElseThrow();
        assertThat(outcome.error()).isNull();
        assertThat(outcome.events()).isEqualTo(2_500);
        assertThat(statuses.get(job.id())).isEqualTo("succeeded");
        var verification = new ReportBundleVerifier(key.verifier(), "test/acme")
                .verify(new ByteArrayInputStream(files.get(job.id()).toByteArray()));
        assertThat(verification.failures()).isEmpty();
        assertThat(verification.events()).isEqualTo(2_500);
        assertThat(verification.redacted()).isEqualTo(2_500); // pseudonymised by default
        assertThat(read).as("pass 2 writes from the spool, so every leaf is read once").hasSize(2_500)
                .doesNotHaveDuplicates();
        assertThat(spools.created()).isEqualTo(1);
        assertThat(spools.open()).isZero();
        assertThat(appended.committed()).singleElement().satisfies(event -> {
            assertThat(event.content().action().value()).isEqualTo("report.generated");
            assertThat(event.content().actor().id()).isEqualTo("ann");
        });
        assertThat(service(1_000_000).generateNext()).isEmpty();
    }

    @Test
    void aSelectionAboveTheLimitFailsWithAMessageAndKeepsNoFile() {
        seed(30);
        ReportJob job = queue(ReportType.FOIA_EXPORT, ReportFormat.CSV);
        GenerateReportsUseCase.Outcome outcome = service(29).generateNext().orElseThrow();
        assertThat(outcome.error()).contains("selects 30 events, more than the limit of 29");
        assertThat(outcome.cause()).isNull();
        assertThat(statuses.get(job.id())).isEqualTo("failed: " + outcome.error());
        assertThat(files).doesNotContainKey(job.id());
        assertThat(appended.committed()).isEmpty();
        assertThat(spools.open()).as("a failed report's spool is gone too").isZero();
    }

    @Test
    void aPeriodHoldingMoreThanTenTimesTheLimitFailsBeforeAnyEventIsRead() {
        seed(30);
        ReportJob job = queue(ReportType.FOIA_EXPORT, ReportFormat.CSV);

        GenerateReportsUseCase.Outcome outcome = service(2).generateNext().orElseThrow();

        // The period's indices are held in memory and its events spooled before the filters choose: bounded first.
        assertThat(outcome.error()).contains("period holds more than 20 events");
        assertThat(statuses.get(job.id())).isEqualTo("failed: " + outcome.error());
        assertThat(spools.open()).isZero();
    }

    @Test
    void aMissingLeafFailsTheReportAsAnIntegrityProblem() {
        seed(30);
        dropLeaf = true;
        ReportJob job = queue(ReportType.DENIED_ACCESS, ReportFormat.JSON);
        GenerateReportsUseCase.Outcome outcome = service(1_000).generateNext().orElseThrow();
        assertThat(outcome.error()).contains("are missing; run a verification");
        assertThat(outcome.cause()).isNotNull();
        assertThat(statuses.get(job.id())).startsWith("failed: ");
    }

    @Test
    void aReportReadsOnlyTheLeavesOfItsPeriod() {
        for (int i = 0; i < 10; i++) {
            // Received during the report's hour, but they occurred two days before it: outside its period.
            Instant received = NOW.minusSeconds(3000).plusMillis(100L * i);
            log.add(AuditEvent.record(EventId.newTimeOrdered(received, new SplittableRandom(100 + i)), received,
                    "svc", new EventDraft(ACME, new Actor("u-old", ActorType.USER, null), Action.of("case.view"),
                            null, null, Outcome.SUCCESS, received.minus(Duration.ofDays(2)),
                            new Source("portal", null, null), null, null, null)));
        }
        seed(10);
        ReportJob job = queue(ReportType.FOIA_EXPORT, ReportFormat.JSON);

        GenerateReportsUseCase.Outcome outcome = service(1_000).generateNext().orElseThrow();

        assertThat(outcome.error()).isNull();
        assertThat(outcome.events()).isEqualTo(10);
        assertThat(read).hasSize(10).doesNotHaveDuplicates()
                .allSatisfy(index -> assertThat(index).isBetween(10L, 19L));
        assertThat(files.get(job.id()).toString(StandardCharsets.UTF_8)).doesNotContain("u-old");
    }

    @Test
    void theCsvHoldsTheSelectedEventsOnly() {
        seed(12);
        ReportJob job = queue(ReportType.DENIED_ACCESS, ReportFormat.CSV);
        assertThat(service(1_000).generateNext().orElseThrow().events()).isEqualTo(4);
        String csv = files.get(job.id()).toString(StandardCharsets.UTF_8);
        assertThat(csv.split("\r\n")).hasSize(5);
        assertThat(csv).doesNotContain(",\"success\",").contains(",\"denied\",");
    }

    // ---- fakes ----------------------------------------------------------------------------

    private SignCheckpointPort signer() {
        return new SignCheckpointPort() {
            @Override
            public SignedNote sign(Checkpoint checkpoint) {
                return checkpoint.sign(key);
            }

            @Override
            public NoteVerifier verifier() {
                return key.verifier();
            }
        };
    }

    /** The leaf at {@code index} with its event; none for the leaf a test dropped. */
    private Optional<LoadLogPort.LeafWithEvent> row(long index) {
        if (dropLeaf && index == 17) {
            return Optional.empty();
        }
        AuditEvent event = log.get((int) index);
        return Optional.of(new LoadLogPort.LeafWithEvent(new LogLeaf(ACME, index, event.id(), event.leafHash()), event,
                null));
    }

    private LoadLogPort logPort() {
        return (LoadLogPort) Proxy.newProxyInstance(LoadLogPort.class.getClassLoader(),
                new Class<?>[] {LoadLogPort.class}, (proxy, method, args) -> {
                    assertThat(transactions.current()).as(method.getName() + " inside a transaction").isPositive();
                    InMemoryMerkleTree tree = new InMemoryMerkleTree();
                    log.forEach(event -> tree.append(event.leafHash()));
                    switch (method.getName()) {
                        case "checkpointAt": {
                            Checkpoint checkpoint = Checkpoint.of("test/acme", (long) args[1], tree.root((long) args[1]));
                            return Optional.of(new PublishedCheckpoint(ACME, checkpoint,
                                    checkpoint.sign(key).serialize(), NOW));
                        }
                        case "leafIndicesOccurredIn": {
                            Instant from = (Instant) args[1];
                            Instant to = (Instant) args[2];
                            long treeSize = (long) args[3];
                            List<Long> found = new ArrayList<>();
                            for (int i = 0; i < Math.min(treeSize, log.size()); i++) {
                                Instant at = log.get(i).content().occurredAt();
                                if (!at.isBefore(from) && at.isBefore(to)) {
                                    found.add((long) i);
                                }
                            }
                            return found.stream().mapToLong(Long::longValue).limit((int) args[4]).toArray();
                        }
                        case "leavesWithEventsAt": {
                            long[] indices = (long[]) args[1];
                            assertThat(indices.length).isLessThanOrEqualTo(GenerateReportsService.CHUNK);
                            List<LoadLogPort.LeafWithEvent> rows = new ArrayList<>();
                            for (long i : indices) {
                                read.add(i);
                                row(i).ifPresent(rows::add);
                            }
                            return rows;
                        }
                        case "leavesWithEvents": {
                            long from = (long) args[1];
                            long to = (long) args[2];
                            assertThat(to - from).isLessThanOrEqualTo(GenerateReportsService.CHUNK);
                            List<LoadLogPort.LeafWithEvent> rows = new ArrayList<>();
                            for (long i = from; i < to; i++) {
                                row(i).ifPresent(rows::add);
                            }
                            return rows;
                        }
                        case "tiles": {
                            Map<Tile, List<Hash>> found = new HashMap<>();
                            for (Object o : (Collection<?>) args[1]) {
                                Tile tile = (Tile) o;
                                long span = 1L << tile.treeLevel();
                                List<Hash> hashes = new ArrayList<>();
                                for (long i = tile.firstHash(); i < tile.firstHash() + tile.width(); i++) {
                                    hashes.add(tree.subtreeHash(i * span, (i + 1) * span));
                                }
                                found.put(tile, hashes);
                            }
                            return found;
                        }
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private StoreReportFilesPort filesPort() {
        return new StoreReportFilesPort() {
            @Override
            public Stored write(io.stenographer.domain.event.TenantId tenant, UUID id, ReportFormat format,
                    java.util.Optional<io.stenographer.domain.privacy.DataKey> sealedUnder, Content content)
                    throws IOException {
                // Sealing is ReportFiles' part (ReportFilesTest); here only whether the generator asked for it.
                sealedUnder.ifPresent(key -> sealedFiles.add(id));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                content.writeTo(out);
                files.put(id, out);
                return new Stored(out.size(), new Hash(new byte[32]));
            }

            @Override
            public InputStream open(io.stenographer.domain.event.TenantId tenant, UUID id,
                    ReportFormat format) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private TrackReportJobsPort jobsPort() {
        return new TrackReportJobsPort() {
            @Override
            public void lockTenant(io.stenographer.domain.event.TenantId tenant) {
            }

            @Override
            public long active(io.stenographer.domain.event.TenantId tenant) {
                return 0;
            }

            @Override
            public void add(ReportJob job) {
                jobs.put(job.id(), job);
            }

            @Override
            public Optional<ReportJob> find(UUID id) {
                return Optional.ofNullable(jobs.get(id));
            }

            @Override
            public List<ReportJob> recent(io.stenographer.domain.event.TenantId tenant, int limit) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void lockClaims() {
            }

            /** One attempt per report here; takeovers are ReportTakeoverTest's. */
            @Override
            public Optional<ReportClaim> claimNext(String instance, Instant now, Instant staleBefore, int maxRunning,
                    int maxAttempts, Set<UUID> excluded) {
                return jobs.values().stream().filter(job -> !statuses.containsKey(job.id())).findFirst()
                        .map(job -> {
                            statuses.put(job.id(), "running");
                            return new ReportClaim(job, 1, instance);
                        });
            }

            @Override
            public List<ReportClaim> abandoned(Instant staleBefore, int maxAttempts) {
                return List.of();
            }

            @Override
            public boolean heartbeat(ReportClaim claim, Instant at) {
                return "running".equals(statuses.get(claim.job().id()));
            }

            @Override
            public boolean markSucceeded(ReportClaim claim, Instant at, long eventCount, long bytes, Hash sha256) {
                return finish(claim.job().id(), "succeeded");
            }

            @Override
            public boolean markFailed(ReportClaim claim, Instant at, String error) {
                return finish(claim.job().id(), "failed: " + error);
            }

            private boolean finish(UUID id, String status) {
                if (!"running".equals(statuses.get(id))) {
                    return false;
                }
                statuses.put(id, status);
                return true;
            }
        };
    }

}
