package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.in.GenerateReportsUseCase;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.RenderReportPort;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.port.out.StoreReportFilesPort;
import io.stenographer.application.service.fakes.EmptyArchiveCatalog;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.InMemoryReportJobs;
import io.stenographer.application.service.fakes.InMemoryReportSpools;
import io.stenographer.application.service.fakes.InMemorySigningKeys;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportClaim;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportStatus;
import io.stenographer.domain.report.ReportType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two service instances sharing one store of report jobs and one report file store, time driven by a clock the test
 * moves: heartbeats keep a long report alive, a stale claim is taken over, the instance that lost its claim stops
 * early and records nothing, the taking-over attempt writes the very bytes the lost one wrote, and a report
 * interrupted at every attempt is failed. The SQL that chooses claims is tested on PostgreSQL
 * ({@code ReportClaimsPersistenceTest}).
 */
class ReportTakeoverTest {

    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    private static final Duration TAKEOVER = Duration.ofSeconds(60);
    private static final int EVENTS = 3_500;

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final InMemoryReportJobs jobs = new InMemoryReportJobs(transactions);
    private final InMemoryEventStore audit = new InMemoryEventStore(transactions);
    private final InMemoryReportSpools spools = new InMemoryReportSpools();
    private final Map<UUID, byte[]> stored = new HashMap<>();
    /** Chunks of leaves read, by every instance. */
    private final AtomicInteger chunksRead = new AtomicInteger();

    private final GenerateReportsService first = service("instance-a");
    private final GenerateReportsService second = service("instance-b");

    private GenerateReportsService service(String instance) {
        SignCheckpointPort signer = new SignCheckpointPort() {
            @Override
            public SignedNote sign(Checkpoint checkpoint) {
                return log.signer().sign(checkpoint.body());
            }

            @Override
            public NoteVerifier verifier() {
                return log.signer().verifier();
            }
        };
        return new GenerateReportsService(jobs, countingLog(), new ArchivedEventReader(new EmptyArchiveCatalog(), null,
                null), new SelfAudit(audit, clock, new SplittableRandom(5), StoredIdentifiers.AS_GIVEN), files(), spools, noPdf(),
                new TenantKeySets(signer, new InMemorySigningKeys()), manifest -> log.signer().sign(manifest.body()),
                transactions, clock, (tenant, reportId) -> new byte[32], 1_000_000, 10,
                new GenerateReportsService.Claiming(instance, TAKEOVER, 3, 1), null);
    }

    private ReportJob queue(ReportFormat format) {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < EVENTS; i++) {
            log.append(TestEvents.event(ACME, "case.view", "C-" + (i % 40), NOW.minusSeconds(3600 - i / 2), random));
        }
        long size = log.publishCheckpoint(ACME, NOW).checkpoint().treeSize();
        ReportJob job = ReportJob.request(UUID.randomUUID(), ACME, ReportType.FOIA_EXPORT, format,
                ReportParameters.period(NOW.minusSeconds(7200), NOW), "auditor-1", NOW, size);
        transactions.inTransaction(() -> {
            jobs.add(job);
            return null;
        });
        return job;
    }

    @Test
    void heartbeatsKeepALongReportItsOwnAndATakeoverWaitsForTheirSilence() {
        ReportJob job = queue(ReportFormat.JSON);
        ReportClaim claim = first.claimNext().orElseThrow();
        assertThat(claim.attempt()).isEqualTo(1);
        assertThat(claim.instance()).isEqualTo("instance-a");
        // Three hours of heartbeats every 10 s: the report is neither failed nor taken over (the old rule failed it
        // after two hours, even on a healthy instance).
        for (int beat = 0; beat < 3 * 360; beat++) {
            clock.advance(Duration.ofSeconds(10));
            assertThat(first.heartbeat(claim)).isTrue();
            assertThat(second.failAbandoned()).isZero();
            assertThat(second.claimNext()).isEmpty();
        }
        clock.advance(TAKEOVER);
        assertThat(second.claimNext()).as("exactly takeover-after since the last heartbeat: not yet").isEmpty();
        clock.advance(Duration.ofMillis(1));
        ReportClaim takeover = second.claimNext().orElseThrow();
        assertThat(takeover.attempt()).isEqualTo(2);
        assertThat(takeover.instance()).isEqualTo("instance-b");
        assertThat(takeover.job().id()).isEqualTo(job.id());
        assertThat(first.heartbeat(claim)).as("the first instance's claim is lost").isFalse();
    }

    @Test
    void anInstanceWhoseClaimWasTakenOverStopsAtItsNextChunkAndRecordsNothing() {
        ReportJob job = queue(ReportFormat.JSON);
        ReportClaim claim = first.claimNext().orElseThrow();
        AtomicInteger checks = new AtomicInteger();
        ReportClaim[] takeover = new ReportClaim[1];
        // The first instance's heartbeat thread, seen from its worker: at the second chunk the instance has been silent
        // for longer than takeover-after (a long pause), the second instance took the report over, and the next beat
        // finds the claim lost.
        GenerateReportsUseCase.Outcome outcome = first.generate(claim, () -> {
            if (checks.incrementAndGet() == 2) {
                clock.advance(TAKEOVER.plusSeconds(1));
                takeover[0] = second.claimNext().orElseThrow();
                return first.heartbeat(claim);
            }
            return true;
        });

        assertThat(outcome.lost()).isTrue();
        assertThat(outcome.error()).contains("attempt 1 stopped without recording anything");
        assertThat(chunksRead.get()).as("stopped after the first of four chunks").isEqualTo(1);
        assertThat(stored).as("the first instance stored no file").doesNotContainKey(job.id());
        assertThat(spools.open()).isZero();
        assertThat(jobs.result(job.id())).isEmpty();

        GenerateReportsUseCase.Outcome done = second.generate(takeover[0], () -> true);
        assertThat(done.error()).isNull();
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.events()).isEqualTo(EVENTS);
        InMemoryReportJobs.Result result = jobs.result(job.id()).orElseThrow();
        assertThat(result.status()).isEqualTo(ReportStatus.SUCCEEDED);
        assertThat(result.attempt()).isEqualTo(2);
        assertThat(result.sha256()).isEqualTo(sha256(stored.get(job.id())));
        assertThat(audit.committed()).as("one report.generated event, from the attempt that recorded it")
                .singleElement().satisfies(event -> assertThat(event.content().action().value())
                        .isEqualTo("report.generated"));
    }

    @Test
    void aWorkerInterruptedBecauseItsInstanceStopsRecordsNothingAndLeavesTheReportToBeTakenOver() {
        ReportJob job = queue(ReportFormat.JSON);
        ReportClaim claim = first.claimNext().orElseThrow();
        AtomicInteger checks = new AtomicInteger();
        // Stopping interrupts the workers; interrupted file I/O surfaces as a closed channel.
        GenerateReportsUseCase.Outcome outcome = first.generate(claim, () -> {
            if (checks.incrementAndGet() == 2) {
                throw new java.io.UncheckedIOException(new java.nio.channels.ClosedByInterruptException());
            }
            return true;
        });

        assertThat(outcome.lost()).isTrue();
        assertThat(jobs.result(job.id())).as("not failed: it can still be completed").isEmpty();
        clock.advance(TAKEOVER.plusSeconds(1));
        assertThat(second.claimNext()).hasValueSatisfying(taken -> assertThat(taken.attempt()).isEqualTo(2));
    }

    @Test
    void theLoserCannotRecordItsResultAndTheWinnerWritesTheSameBytes() {
        ReportJob job = queue(ReportFormat.JSON);
        ReportClaim claim = first.claimNext().orElseThrow();
        ReportClaim[] takeover = new ReportClaim[1];
        AtomicInteger checks = new AtomicInteger();
        // The first instance never hears that it lost its claim (its heartbeat thread is stuck): it finishes and
        // stores its file, but may not record the result.
        GenerateReportsUseCase.Outcome late = first.generate(claim, () -> {
            if (checks.incrementAndGet() == 2) {
                clock.advance(TAKEOVER.plusSeconds(1));
                takeover[0] = second.claimNext().orElseThrow();
            }
            return true;
        });
        assertThat(late.lost()).isTrue();
        assertThat(late.events()).isEqualTo(EVENTS);
        assertThat(jobs.result(job.id())).as("the loser recorded nothing").isEmpty();
        assertThat(audit.committed()).isEmpty();
        byte[] losersFile = stored.get(job.id()).clone();

        GenerateReportsUseCase.Outcome done = second.generate(takeover[0], () -> true);

        assertThat(done.error()).as("the store refuses other bytes: the same job gave the same file").isNull();
        assertThat(jobs.result(job.id()).orElseThrow().sha256()).isEqualTo(sha256(losersFile));
        assertThat(stored.get(job.id())).isEqualTo(losersFile);
    }

    @Test
    void aStoredFileWithOtherBytesIsNeverPassedOffAsTheReport() {
        ReportJob job = queue(ReportFormat.CSV);
        stored.put(job.id(), "\"not\",\"this\"\r\n".getBytes());
        ReportClaim claim = first.claimNext().orElseThrow();

        GenerateReportsUseCase.Outcome outcome = first.generate(claim, () -> true);

        assertThat(outcome.lost()).isFalse();
        assertThat(outcome.error()).contains("a different file is already stored");
        InMemoryReportJobs.Result result = jobs.result(job.id()).orElseThrow();
        assertThat(result.status()).isEqualTo(ReportStatus.FAILED);
        assertThat(result.error()).isEqualTo(outcome.error());
    }

    @Test
    void aReportInterruptedAtEveryAttemptIsFailedSayingSo() {
        ReportJob job = queue(ReportFormat.JSON);
        GenerateReportsService third = service("instance-c");
        assertThat(first.claimNext().orElseThrow().attempt()).isEqualTo(1);
        clock.advance(TAKEOVER.plusSeconds(1));
        assertThat(second.claimNext().orElseThrow().attempt()).isEqualTo(2);
        clock.advance(TAKEOVER.plusSeconds(1));
        ReportClaim last = third.claimNext().orElseThrow();
        assertThat(last.attempt()).isEqualTo(3);
        clock.advance(TAKEOVER.plusSeconds(1));
        assertThat(service("instance-d").claimNext()).as("no fourth attempt").isEmpty();
        assertThat(service("instance-e").failAbandoned())
                .as("silent for less than twice takeover-after: maybe only its beats were held up")
                .isZero();
        clock.advance(TAKEOVER);

        assertThat(third.failAbandoned()).as("never one this instance is still generating").isZero();
        assertThat(service("instance-e").failAbandoned()).isEqualTo(1);

        InMemoryReportJobs.Result result = jobs.result(job.id()).orElseThrow();
        assertThat(result.status()).isEqualTo(ReportStatus.FAILED);
        assertThat(result.attempt()).isEqualTo(3);
        assertThat(result.error()).startsWith("interrupted 3 times: the instance generating it stopped each time");
        assertThat(third.heartbeat(last)).isFalse();
        assertThat(second.failAbandoned()).isZero();
    }

    @Test
    void anInstanceNeverClaimsAgainAReportItIsStillGenerating() {
        ReportJob job = queue(ReportFormat.JSON);
        ReportClaim claim = first.claimNext().orElseThrow();
        clock.advance(TAKEOVER.plusSeconds(1));
        // Its heartbeat stalled, but its worker still runs: another worker of the same instance leaves it alone (two
        // attempts in one instance would share its spool and file names) ...
        assertThat(first.claimNext()).isEmpty();
        // ... while another instance takes it over.
        assertThat(second.claimNext().orElseThrow().job().id()).isEqualTo(job.id());
        assertThat(first.generate(claim, () -> true).lost()).isTrue();
        assertThat(jobs.claims(job.id())).hasSize(2);
    }

    // ---- fakes ----------------------------------------------------------------------------

    /** These tests write JSON and CSV. */
    private static RenderReportPort noPdf() {
        return (RenderReportPort) Proxy.newProxyInstance(RenderReportPort.class.getClassLoader(),
                new Class<?>[] {RenderReportPort.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("no PDF here");
                });
    }

    /** The log, counting the chunks of leaves read. */
    private LoadLogPort countingLog() {
        return (LoadLogPort) Proxy.newProxyInstance(LoadLogPort.class.getClassLoader(),
                new Class<?>[] {LoadLogPort.class}, (proxy, method, args) -> {
                    if (method.getName().equals("leavesWithEventsAt")) {
                        chunksRead.incrementAndGet();
                    }
                    try {
                        return method.invoke(log, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * One store both instances write to, as the port promises it: a file is written once; writing it again with the
     * same bytes returns the stored one, with other bytes is refused and changes nothing.
     */
    private StoreReportFilesPort files() {
        return new StoreReportFilesPort() {
            @Override
            public Stored write(TenantId tenant, UUID id, ReportFormat format,
                    java.util.Optional<io.stenographer.domain.privacy.DataKey> sealedUnder, Content content)
                    throws IOException {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                content.writeTo(out);
                byte[] existing = stored.get(id);
                if (existing != null && !Arrays.equals(existing, out.toByteArray())) {
                    throw new LogIntegrityViolation("a different file is already stored for report " + id);
                }
                stored.putIfAbsent(id, out.toByteArray());
                return new Stored(stored.get(id).length, sha256(stored.get(id)));
            }

            @Override
            public InputStream open(TenantId tenant, UUID id, ReportFormat format) throws IOException {
                byte[] bytes = stored.get(id);
                if (bytes == null) {
                    throw new NoSuchFileException(id.toString());
                }
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    private static Hash sha256(byte[] bytes) {
        try {
            return new Hash(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
