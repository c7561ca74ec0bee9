package io.stenographer.application.service;

import io.stenographer.application.port.out.ArchiveSegmentsPort;

import io.stenographer.application.port.in.ArchiveTenantOutcome;
import io.stenographer.application.port.in.JobOutcome;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.RunJobCommand;
import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.application.port.out.ArchiveSegmentsPort.StoredObject;
import io.stenographer.application.port.out.CatalogSegmentsPort.ArchivedEvent;
import io.stenographer.application.port.out.ReportArchiveProgressPort;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryArchiveCatalog;
import io.stenographer.application.service.fakes.InMemoryArchiveCatalog.Recorded;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryJobLocks;
import io.stenographer.application.service.fakes.InMemoryJobRuns;
import io.stenographer.application.service.fakes.InMemoryLegalHolds;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.InMemoryRetentionPolicies;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.archive.SegmentCheck;
import io.stenographer.domain.archive.SegmentCodec;
import io.stenographer.domain.archive.SegmentEntry;
import io.stenographer.domain.archive.SegmentKeys;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.archive.SegmentManifest.PolicyRef;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventBytes;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.LegalHold;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.PolicyMatcher;
import io.stenographer.domain.retention.RetentionPeriod;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.RetentionRules;
import io.stenographer.domain.retention.RetentionSubject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static io.stenographer.application.service.fakes.TestEvents.DEFAULT_POLICY;
import static io.stenographer.application.service.fakes.TestEvents.PAYMENTS_POLICY;
import static org.assertj.core.api.Assertions.assertThat;

class ArchiveEventsServiceTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final String SEGMENT_0 = SegmentKeys.segmentKey(ACME, 0);

    private final SplittableRandom random = new SplittableRandom(5);
    private final MutableClock clock = new MutableClock(NOW);
    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final InMemoryArchiveCatalog catalog = new InMemoryArchiveCatalog(transactions, log);
    private final InMemoryArchive archive = new InMemoryArchive(clock);
    private final InMemoryLegalHolds holds = new InMemoryLegalHolds(transactions);
    private final InMemoryJobRuns runs = new InMemoryJobRuns(transactions);
    private final InMemoryJobLocks locks = new InMemoryJobLocks();
    private ActiveRetentionPolicies policies = new ActiveRetentionPolicies(
            new InMemoryRetentionPolicies(transactions), new RetentionPolicies(DEFAULT_POLICY, List.of(PAYMENTS_POLICY)));
    private final List<String> progress = new ArrayList<>();
    private final SplittableRandom runIds = new SplittableRandom(7);
    private final SelfAudit selfAudit = new SelfAudit(events, clock, runIds, StoredIdentifiers.AS_GIVEN);
    private long maxSegmentBytes = 32L << 20;

    private ArchiveEventsService service(int maxEventsPerSegment, int maxSegmentsPerTenant) {
        return new ArchiveEventsService(log, catalog, archive, policies, holds, selfAudit,
                new JobRuns(runs, locks, transactions, clock, runIds), transactions, clock,
                new ArchiveEventsService.SegmentLimits(maxEventsPerSegment, maxSegmentBytes), maxSegmentsPerTenant, RetentionRules.DEFAULT_MINIMUM_LOCK, new ReportArchiveProgressPort() {
                    @Override
                    public void lag(TenantId tenant, Duration lag) {
                        progress.add("lag " + tenant.value() + " " + lag);
                    }

                    @Override
                    public void archived(TenantId tenant, long count) {
                        progress.add("archived " + tenant.value() + " " + count);
                    }
                });
    }

    private ArchiveEventsService service() {
        return service(100, 10);
    }

    /** Appends an event of {@code tenant} received {@code daysAgo} days before NOW. */
    private AuditEvent logged(TenantId tenant, String action, String resourceId, int daysAgo) {
        AuditEvent event = TestEvents.event(tenant, action, resourceId, NOW.minus(Duration.ofDays(daysAgo)), random);
        log.append(event);
        return event;
    }

    private AuditEvent logged(String action, int daysAgo) {
        return logged(ACME, action, "C-1", daysAgo);
    }

    private PublishedCheckpoint checkpoint(TenantId tenant) {
        return log.publishCheckpoint(tenant, NOW.minusSeconds(60));
    }

    private static List<SegmentEntry> decode(byte[] object) {
        return SegmentCodec.decode(new ByteArrayInputStream(object));
    }

    private List<AuditEvent> eventsIn(String key) {
        return decode(archive.bytes(key)).stream().map(SegmentEntry::event).toList();
    }

    private List<AuditEvent> selfAudits(String action) {
        return events.committed().stream().filter(e -> e.content().action().value().equals(action)).toList();
    }

    @Test
    void archivesOnlyTheDuePrefixInIndexOrderAndAnEventNotDueUnderAnyPolicyStopsTheSegment() {
        AuditEvent first = logged("case.view", 60);
        AuditEvent second = logged("case.view", 50);
        logged("case.view", 10); // due in 20 days
        logged("case.view", 40); // due, but behind one that is not
        checkpoint(ACME);

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(catalog.recorded()).singleElement().satisfies(r -> {
            assertThat(r.manifest().from()).isZero();
            assertThat(r.manifest().to()).isEqualTo(2);
            assertThat(r.events()).extracting(ArchivedEvent::id).containsExactly(first.id(), second.id());
        });
        assertThat(eventsIn(SEGMENT_0)).containsExactly(first, second);
        assertThat(decode(archive.bytes(SEGMENT_0))).extracting(SegmentEntry::index).containsExactly(0L, 1L);
        assertThat(transactions.inTransaction(() -> catalog.archivedUpTo(ACME))).isEqualTo(2);
        assertThat(run.outcome().eventsTotal()).isEqualTo(2);
        // Nothing waits past its archive date at index 2.
        assertThat(progress).containsExactly("archived acme 2", "lag acme PT0S");
    }

    @Test
    void anEventUnderALongerArchiveAfterIsCopiedWithTheEventsAroundItInsteadOfHoldingThemBack() {
        // case.* events stay in the hot store a year; everything else 30 days.
        RetentionPolicy cases = RetentionPolicy.create(PolicyId.of("cases"), 1,
                new PolicyMatcher(null, "case.*", null), RetentionPeriod.parse("P1Y"), RetentionPeriod.parse("P12Y"),
                "case law", "ops", NOW.minus(Duration.ofDays(400)));
        policies = new ActiveRetentionPolicies(new InMemoryRetentionPolicies(transactions),
                new RetentionPolicies(DEFAULT_POLICY, List.of(PAYMENTS_POLICY, cases)));
        logged("case.view", 60); // its own archive date is 305 days away
        logged("payment.refund", 50);
        AuditEvent lastCase = logged("case.view", 40);
        logged("payment.refund", 35);
        logged("payment.refund", 5); // not due under any policy: the segment ends before it
        checkpoint(ACME);

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(catalog.recorded()).singleElement().satisfies(r -> {
            assertThat(r.manifest().from()).isZero();
            assertThat(r.manifest().to()).isEqualTo(4);
            // The copy is locked to the latest retention end among its events: the last case event's twelve years.
            assertThat(r.manifest().retainUntil()).isEqualTo(RetentionRules.retainUntil(
                    RetentionSubject.of(lastCase), cases));
        });
        assertThat(progress).containsExactly("archived acme 4", "lag acme PT0S");
    }

    @Test
    void aRetentionThatEndedBeforeTheRunStillGetsTheMinimumLockInsteadOfBlockingArchiving() {
        // archiveAfter == retainFor: by the time the event is archived, its retention has ended.
        RetentionPolicy sameDay = RetentionPolicy.create(PolicyId.of("default"), 1, PolicyMatcher.ANY,
                RetentionPeriod.parse("P1D"), RetentionPeriod.parse("P1D"), "test", "ops", NOW.minus(Duration.ofDays(9)));
        policies = new ActiveRetentionPolicies(new InMemoryRetentionPolicies(transactions),
                RetentionPolicies.onlyDefault(sameDay));
        logged("case.view", 2);
        checkpoint(ACME);

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(catalog.recorded()).singleElement().satisfies(r -> assertThat(r.manifest().retainUntil())
                .isEqualTo(NOW.plus(RetentionRules.DEFAULT_MINIMUM_LOCK)));
    }

    @Test
    void nothingIsArchivedBeyondTheLatestSignedCheckpoint() {
        logged("case.view", 60);
        checkpoint(ACME);
        logged("case.view", 60); // integrated after the checkpoint

        service().run(RunJobCommand.scheduled());

        assertThat(catalog.recorded()).singleElement()
                .satisfies(r -> assertThat(r.manifest().to()).isEqualTo(1));
    }

    @Test
    void segmentsAreAlsoCutByBytesAndAnEventLargerThanTheLimitGetsASegmentOfItsOwn() {
        List<AuditEvent> logged = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            logged.add(logged("case.view", 60 - i));
        }
        checkpoint(ACME);
        long[] sizes = logged.stream()
                .mapToLong(e -> SealedEventBytes.leafInput(StoredEventFields.of(e)).length).toArray();
        maxSegmentBytes = sizes[0] + sizes[1] + sizes[2];

        JobRun run = service(100, 10).run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        List<SegmentManifest> segments = catalog.recorded().stream().map(r -> r.manifest()).toList();
        assertThat(segments.get(0).from()).isZero();
        assertThat(segments.get(segments.size() - 1).to()).isEqualTo(7);
        for (int s = 0; s < segments.size(); s++) {
            SegmentManifest segment = segments.get(s);
            long bytes = 0;
            for (long i = segment.from(); i < segment.to(); i++) {
                bytes += sizes[(int) i];
            }
            assertThat(bytes).as("segment %s", segment.objectKey()).isLessThanOrEqualTo(maxSegmentBytes);
            if (s + 1 < segments.size()) {
                assertThat(segments.get(s + 1).from()).isEqualTo(segment.to());
                assertThat(bytes + sizes[(int) segment.to()]).as("the next event would not have fit")
                        .isGreaterThan(maxSegmentBytes);
            }
        }
        assertThat(segments.get(0).to()).isEqualTo(3);

        // A limit below one event's size still archives, one event per segment.
        logged("case.view", 50);
        checkpoint(ACME);
        maxSegmentBytes = 1;
        service(100, 10).run(RunJobCommand.scheduled());
        assertThat(catalog.recorded().get(catalog.recorded().size() - 1).manifest())
                .satisfies(m -> assertThat(m.to() - m.from()).isEqualTo(1));
        assertThat(transactions.inTransaction(() -> catalog.archivedUpTo(ACME))).isEqualTo(8);
    }

    @Test
    void aSegmentLongerThanOneReadPageIsOneContiguousSegment() {
        for (int i = 0; i < 300; i++) {
            logged("case.view", 60);
        }
        checkpoint(ACME);

        service(1_000, 10).run(RunJobCommand.scheduled());

        assertThat(catalog.recorded()).singleElement().satisfies(r -> {
            assertThat(r.manifest().from()).isZero();
            assertThat(r.manifest().to()).isEqualTo(300);
        });
        assertThat(decode(archive.bytes(SEGMENT_0))).extracting(SegmentEntry::index)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 300).boxed().toList());
    }

    @Test
    void segmentsSplitAtMaxEventsPerSegmentUnderKeysOfTheirFirstIndex() {
        for (int i = 0; i < 5; i++) {
            logged("case.view", 60 - i);
        }
        checkpoint(ACME);

        JobRun run = service(2, 10).run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(catalog.recorded()).extracting(r -> r.manifest().objectKey() + " " + r.manifest().from() + ".."
                + r.manifest().to()).containsExactly(
                        SegmentKeys.segmentKey(ACME, 0) + " 0..2",
                        SegmentKeys.segmentKey(ACME, 2) + " 2..4",
                        SegmentKeys.segmentKey(ACME, 4) + " 4..5");
        assertThat(archive.keys()).containsExactlyInAnyOrder(
                SegmentKeys.segmentKey(ACME, 0), SegmentKeys.manifestKey(SegmentKeys.segmentKey(ACME, 0)),
                SegmentKeys.segmentKey(ACME, 2), SegmentKeys.manifestKey(SegmentKeys.segmentKey(ACME, 2)),
                SegmentKeys.segmentKey(ACME, 4), SegmentKeys.manifestKey(SegmentKeys.segmentKey(ACME, 4)));
    }

    @Test
    void aRunStopsAfterMaxSegmentsPerTenantReportsTheLagAndTheNextRunContinues() {
        for (int i = 0; i < 5; i++) {
            logged("case.view", 60);
        }
        checkpoint(ACME);

        service(2, 1).run(RunJobCommand.scheduled());

        assertThat(catalog.recorded()).hasSize(1);
        // Index 2 was due 30 days ago (received 60 days ago, archive after 30).
        assertThat(progress).containsExactly("archived acme 2", "lag acme PT720H");

        service(2, 1).run(RunJobCommand.scheduled());
        service(2, 1).run(RunJobCommand.scheduled());

        assertThat(catalog.recorded()).extracting(r -> r.manifest().from()).containsExactly(0L, 2L, 4L);
    }

    @Test
    void theManifestRecordsRangeChecksumRangeRootCheckpointPoliciesAndTheLatestRetentionEnd() {
        AuditEvent payment = logged("payment.refund", 60); // kept ten years
        AuditEvent view = logged("case.view", 40); // kept one year, but received later
        logged("case.view", 1);
        PublishedCheckpoint checkpoint = checkpoint(ACME);

        service().run(RunJobCommand.scheduled());

        Recorded recorded = catalog.recorded().get(0);
        SegmentManifest manifest = recorded.manifest();
        byte[] object = archive.bytes(SEGMENT_0);
        assertThat(manifest.tenant()).isEqualTo(ACME);
        assertThat(manifest.objectKey()).isEqualTo(SEGMENT_0);
        assertThat(manifest.from()).isZero();
        assertThat(manifest.to()).isEqualTo(2);
        assertThat(manifest.count()).isEqualTo(2);
        assertThat(manifest.objectSha256()).isEqualTo(SegmentCheck.sha256Hex(object));
        // The range starts at 0, so its root is the tree's root at size 2.
        assertThat(manifest.rangeRoot()).isEqualTo(log.root(ACME, 2));
        assertThat(manifest.checkpointTreeSize()).isEqualTo(3);
        assertThat(manifest.checkpointNote()).isEqualTo(checkpoint.signedNote());
        assertThat(manifest.policies()).containsExactlyInAnyOrder(
                new PolicyRef("payments", 2, "tax law"), new PolicyRef("default", 1, "statutory minimum"));
        Instant paymentKeptUntil = RetentionPeriod.parse("P10Y").addTo(payment.receivedAt());
        assertThat(paymentKeptUntil).isAfter(RetentionPeriod.parse("P1Y").addTo(view.receivedAt()));
        assertThat(manifest.retainUntil()).isEqualTo(paymentKeptUntil);
        assertThat(manifest.archivedAt()).isEqualTo(NOW);
        // The manifest stored beside the segment is the one recorded.
        assertThat(SegmentManifest.parse(archive.bytes(SegmentKeys.manifestKey(SEGMENT_0)))).isEqualTo(manifest);
        assertThat(recorded.lock()).isEqualTo(Lock.WRITE_ONCE);
        assertThat(recorded.confirmedRetainUntil()).isEqualTo(paymentKeptUntil);
        assertThat(recorded.events()).containsExactly(
                new ArchivedEvent(0, payment.id(), payment.leafHash(),
                        io.stenographer.domain.retention.RetentionSubject.of(payment), "success"),
                new ArchivedEvent(1, view.id(), view.leafHash(),
                        io.stenographer.domain.retention.RetentionSubject.of(view), "success"));
        assertThat(SegmentCheck.problems(manifest, object, decode(object), Map.of())).isEmpty();
    }

    @Test
    void theUploadAsksForACompliancelockUntilRetainUntilWithTheObjectsSha256() {
        logged("case.view", 60);
        checkpoint(ACME);

        service().run(RunJobCommand.scheduled());

        SegmentManifest manifest = catalog.recorded().get(0).manifest();
        byte[] manifestBytes = archive.bytes(SegmentKeys.manifestKey(SEGMENT_0));
        assertThat(archive.puts()).containsExactly(
                new InMemoryArchive.Put(SEGMENT_0, manifest.objectSha256(), manifest.retainUntil()),
                new InMemoryArchive.Put(SegmentKeys.manifestKey(SEGMENT_0), SegmentCheck.sha256Hex(manifestBytes),
                        manifest.retainUntil()));
        StoredObject stored = archive.describe(SEGMENT_0).orElseThrow();
        assertThat(stored.lock()).isEqualTo(Lock.WRITE_ONCE);
        assertThat(stored.legalHold()).isFalse();
    }

    @Test
    void aStoreThatDoesNotConfirmAWriteOnceLockFailsTheRunAndNothingIsRecorded() {
        logged("case.view", 60);
        checkpoint(ACME);
        archive.answerLock(Lock.OVERRIDABLE);

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.error()).contains("did not confirm", SEGMENT_0, "OVERRIDABLE");
        assertThat(catalog.recorded()).isEmpty();
        assertThat(runs.all()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(JobRun.Status.FAILED));
        assertThat(selfAudits("archive.run")).isEmpty();
    }

    @Test
    void aBucketWithoutObjectLockFailsTheRunBeforeAnythingIsUploaded() {
        logged("case.view", 60);
        checkpoint(ACME);
        archive.withoutObjectLock();

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(archive.puts()).isEmpty();
        assertThat(catalog.recorded()).isEmpty();
        assertThat(run.outcome()).as("no tenant was reached: only the failure is recorded")
                .isEqualTo(new JobOutcome(null, null, "ArchiveNotWormCapable"));
    }

    @Test
    void aDryRunUploadsAndRecordsNothingButReportsWhatItWouldArchive() {
        logged("case.view", 60);
        logged("case.view", 50);
        checkpoint(ACME);

        JobRun run = service().run(RunJobCommand.manual(caller("counsel", Role.COMPLIANCE_ADMIN, ACME), List.of(ACME),
                true));

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(run.dryRun()).isTrue();
        assertThat(archive.puts()).isEmpty();
        assertThat(archive.keys()).isEmpty();
        assertThat(catalog.recorded()).isEmpty();
        assertThat(progress).isEmpty();
        assertThat(run.outcome().eventsTotal()).isEqualTo(2);
        assertThat(selfAudits("archive.run")).singleElement().satisfies(audit -> {
            assertThat(audit.content().metadata().get("dryRun")).isEqualTo(JsonBoolean.TRUE);
            assertThat(audit.content().actor().id()).isEqualTo("counsel");
        });
    }

    @Test
    void whenTheStoreFailsAfterTheFirstSegmentTheRunFailsAndTheNextRunResumesAtTheSecond() {
        for (int i = 0; i < 4; i++) {
            logged("case.view", 60);
        }
        checkpoint(ACME);
        archive.goDownAfterPuts(2); // the first segment and its manifest

        JobRun failed = service(2, 10).run(RunJobCommand.scheduled());

        assertThat(failed.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(failed.error()).contains("unreachable");
        assertThat(failed.outcome().eventsTotal()).as("the run did not finish its tenants").isNull();
        assertThat(failed.outcome().failedWith()).isEqualTo("ArchiveUnavailable");
        assertThat((ArchiveTenantOutcome) failed.outcome().tenants().get(ACME)).satisfies(acme -> {
            assertThat(acme.eventsArchived()).isEqualTo(2);
            assertThat(acme.segments()).extracting(ArchiveTenantOutcome.Segment::key).containsExactly(SEGMENT_0);
            assertThat(acme.indexRange()).isEqualTo(new JobOutcome.IndexRange(0, 1));
            assertThat(acme.error()).contains("unreachable");
        });
        assertThat(catalog.recorded()).extracting(r -> r.manifest().objectKey()).containsExactly(SEGMENT_0);
        assertThat(archive.keys()).containsExactlyInAnyOrder(SEGMENT_0, SegmentKeys.manifestKey(SEGMENT_0));
        assertThat(selfAudits("archive.run")).as("the confirmed segment is recorded in the log despite the failure")
                .singleElement().satisfies(audit -> assertThat(audit.content().metadata().get("error"))
                        .isNotNull());

        archive.comeBack();
        JobRun resumed = service(2, 10).run(RunJobCommand.scheduled());

        String segment2 = SegmentKeys.segmentKey(ACME, 2);
        assertThat(resumed.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(catalog.recorded()).extracting(r -> r.manifest().objectKey()).containsExactly(SEGMENT_0, segment2);
        assertThat(archive.puts()).extracting(InMemoryArchive.Put::key).containsExactly(SEGMENT_0,
                SegmentKeys.manifestKey(SEGMENT_0), segment2, SegmentKeys.manifestKey(segment2));
        assertThat(eventsIn(segment2)).hasSize(2);
    }

    @Test
    void anOrphanedSegmentWithoutManifestIsAdoptedAfterVerificationAndNotUploadedAgain() {
        AuditEvent event = logged("case.view", 60);
        checkpoint(ACME);
        archive.goDownAfterPuts(1); // the segment is stored, the manifest is not
        assertThat(service().run(RunJobCommand.scheduled()).status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(catalog.recorded()).isEmpty();
        byte[] orphan = archive.bytes(SEGMENT_0);
        archive.comeBack();

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(archive.puts()).extracting(InMemoryArchive.Put::key)
                .containsExactly(SEGMENT_0, SegmentKeys.manifestKey(SEGMENT_0));
        assertThat(archive.bytes(SEGMENT_0)).isEqualTo(orphan);
        Recorded recorded = catalog.recorded().get(0);
        assertThat(recorded.manifest().objectSha256()).isEqualTo(SegmentCheck.sha256Hex(orphan));
        assertThat(recorded.events()).extracting(ArchivedEvent::id).containsExactly(event.id());
        ArchiveTenantOutcome acme = (ArchiveTenantOutcome) run.outcome().tenants().get(ACME);
        assertThat(acme.segmentsReused()).isEqualTo(1);
    }

    @Test
    void aSegmentAndManifestLeftUnrecordedByALostDatabaseAreAdoptedAsTheyAre() {
        logged("case.view", 60);
        logged("case.view", 60);
        checkpoint(ACME);
        catalog.failNextRecord();
        assertThat(service().run(RunJobCommand.scheduled()).status()).isEqualTo(JobRun.Status.FAILED);
        SegmentManifest uploaded = SegmentManifest.parse(archive.bytes(SegmentKeys.manifestKey(SEGMENT_0)));
        clock.advance(Duration.ofHours(1));

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(archive.puts()).hasSize(2);
        assertThat(catalog.recorded()).singleElement()
                .satisfies(r -> assertThat(r.manifest()).isEqualTo(uploaded));
    }

    @Test
    void anOrphanLeftWithoutItsRetentionIsLockedUntilItsEventsRetentionEndsBeforeItIsAdopted() {
        AuditEvent event = logged("case.view", 60);
        checkpoint(ACME);
        byte[] orphan = SegmentCodec.encode(List.of(new SegmentEntry(0, event.leafHash(), event)));
        // The upload landed but the run died before PutObjectRetention (S3Mock ignores lock headers on PUT).
        archive.plant(SEGMENT_0, orphan, null);

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(archive.describe(SEGMENT_0).orElseThrow().retainUntil())
                .as("locked until the event's retention ends under its policy")
                .isEqualTo(RetentionRules.retainUntil(RetentionSubject.of(event),
                        transactions.inTransaction(() -> policies.forTenant(ACME)).resolve(RetentionSubject.of(event))));
        assertThat(catalog.recorded()).singleElement()
                .satisfies(r -> assertThat(r.manifest().retainUntil())
                        .isEqualTo(archive.describe(SEGMENT_0).orElseThrow().retainUntil()));
        assertThat(archive.bytes(SEGMENT_0)).isEqualTo(orphan);
    }

    @Test
    void anOrphanWhoseContentDoesNotMatchTheLogIsRefusedNeverOverwrittenAndNamed() {
        logged("case.view", 60);
        checkpoint(ACME);
        // A well-formed segment at index 0, but of an event that is not in the log.
        AuditEvent stranger = TestEvents.event(ACME, "case.view", "C-9", NOW.minus(Duration.ofDays(60)), random);
        byte[] foreign = SegmentCodec.encode(List.of(new SegmentEntry(0, stranger.leafHash(), stranger)));
        archive.plant(SEGMENT_0, foreign, NOW.plus(Duration.ofDays(400)));

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.error()).contains(SEGMENT_0, "not sound");
        assertThat(archive.bytes(SEGMENT_0)).isEqualTo(foreign);
        assertThat(archive.puts()).isEmpty();
        assertThat(catalog.recorded()).isEmpty();
    }

    @Test
    void anUnreadableOrphanIsRefusedAndTheRunNamesItsKey() {
        logged("case.view", 60);
        checkpoint(ACME);
        byte[] garbage = "not a segment".getBytes(StandardCharsets.UTF_8);
        archive.plant(SEGMENT_0, garbage, NOW.plus(Duration.ofDays(400)));

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.error()).contains(SEGMENT_0);
        assertThat(archive.bytes(SEGMENT_0)).isEqualTo(garbage);
        assertThat(archive.puts()).isEmpty();
        assertThat(catalog.recorded()).isEmpty();
    }

    @Test
    void anEventWhoseStoredContentNoLongerMatchesItsLeafIsNeverArchived() {
        logged("case.view", 60);
        AuditEvent original = logged("case.view", 60);
        checkpoint(ACME);
        AuditEvent altered = AuditEvent.restore(original.id(), original.receivedAt(), "someone-else",
                original.content());
        log.replaceHotEvent(original.id(), altered);

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.error()).contains("refusing to archive", "index 1");
        assertThat(archive.puts()).isEmpty();
        assertThat(catalog.recorded()).isEmpty();
    }

    @Test
    void aSegmentHoldingAnEventUnderLegalHoldGetsTheStoresLegalHold() {
        logged(ACME, "case.view", "C-1", 60);
        logged(ACME, "case.view", "C-7", 60);
        checkpoint(ACME);
        holds.seed(LegalHold.place(new HoldId(UUID.randomUUID()), ACME,
                new HoldCriteria(null, "case", "C-7", null, null, null), "CASE-7", "litigation", "counsel",
                NOW.minus(Duration.ofDays(1))));

        JobRun run = service(1, 10).run(RunJobCommand.scheduled());

        String segment1 = SegmentKeys.segmentKey(ACME, 1);
        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(archive.legalHold(SEGMENT_0)).isFalse();
        assertThat(archive.legalHold(segment1)).isTrue();
        assertThat(archive.holdChanges()).containsExactly(segment1 + "=ON");
    }

    @Test
    void aHoldReleasedDuringARunIsNotSetOnTheSegmentsUploadedAfterIt() {
        logged(ACME, "case.view", "C-1", 60);
        logged(ACME, "case.view", "C-7", 60);
        checkpoint(ACME);
        LegalHold hold = LegalHold.place(new HoldId(UUID.randomUUID()), ACME,
                new HoldCriteria(null, "case", "C-7", null, null, null), "CASE-7", "litigation", "counsel",
                NOW.minus(Duration.ofDays(1)));
        holds.seed(hold);
        // The hold is released once the first segment is stored, while the run goes on.
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        ArchiveSegmentsPort releasingAfterFirstPut = (ArchiveSegmentsPort) java.lang.reflect.Proxy.newProxyInstance(
                ArchiveSegmentsPort.class.getClassLoader(), new Class<?>[] {ArchiveSegmentsPort.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(archive, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("put") && released.compareAndSet(false, true)) {
                        holds.seed(hold.release("counsel", NOW, "settled"));
                    }
                    return result;
                });
        ArchiveEventsService racing = new ArchiveEventsService(log, catalog, releasingAfterFirstPut, policies, holds,
                selfAudit, new JobRuns(runs, locks, transactions, clock, runIds), transactions, clock,
                new ArchiveEventsService.SegmentLimits(1, maxSegmentBytes), 10, RetentionRules.DEFAULT_MINIMUM_LOCK,
                new ReportArchiveProgressPort() {
                    @Override
                    public void lag(TenantId tenant, Duration lag) {
                    }

                    @Override
                    public void archived(TenantId tenant, long count) {
                    }
                });

        JobRun run = racing.run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(released).isTrue();
        // Its flag would stay for good: only a release clears flags, and this release came first.
        assertThat(archive.legalHold(SegmentKeys.segmentKey(ACME, 1))).isFalse();
        assertThat(archive.holdChanges()).isEmpty();
    }

    @Test
    void aHoldPlacedAfterArchivingIsAppliedToTheSegmentByTheNextRun() {
        logged(ACME, "case.view", "C-7", 60);
        checkpoint(ACME);
        service().run(RunJobCommand.scheduled());
        assertThat(archive.legalHold(SEGMENT_0)).isFalse();
        holds.seed(LegalHold.place(new HoldId(UUID.randomUUID()), ACME,
                new HoldCriteria(null, "case", "C-7", null, null, null), "CASE-7", "litigation", "counsel", NOW));

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(archive.legalHold(SEGMENT_0)).isTrue();
        ArchiveTenantOutcome acme = (ArchiveTenantOutcome) run.outcome().tenants().get(ACME);
        assertThat(acme.legalHoldsApplied()).isEqualTo(1);
    }

    @Test
    void whenAnotherInstanceHoldsTheLockTheRunIsSkippedAndTouchesNothing() {
        logged("case.view", 60);
        checkpoint(ACME);
        locks.holdElsewhere("archive");

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SKIPPED);
        assertThat(run.error()).contains("another instance");
        assertThat(archive.puts()).isEmpty();
        assertThat(catalog.recorded()).isEmpty();
        assertThat(runs.all()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(JobRun.Status.SKIPPED));
        assertThat(locks.isHeld("archive")).isTrue();
    }

    @Test
    void eachTenantWithArchivedEventsGetsAnArchiveRunEventWithItsCountsAndTheLockIsReleased() {
        logged(ACME, "case.view", "C-1", 60);
        logged(ACME, "case.view", "C-1", 59);
        logged(GLOBEX, "case.view", "C-1", 5); // nothing due
        checkpoint(ACME);
        checkpoint(GLOBEX);

        JobRun run = service().run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(run.tenants()).containsExactly(ACME, GLOBEX);
        assertThat(selfAudits("archive.run")).singleElement().satisfies(audit -> {
            assertThat(audit.tenant()).isEqualTo(ACME);
            assertThat(audit.content().actor().id()).isEqualTo(RunJobCommand.SCHEDULER);
            assertThat(audit.content().actor().type()).isEqualTo(ActorType.SERVICE);
            JsonObject metadata = audit.content().metadata();
            assertThat(metadata.get("eventsArchived")).isEqualTo(new JsonNumber(2));
            assertThat(metadata.get("indexRange")).isEqualTo(new JsonArray(List.of(new JsonNumber(0),
                    new JsonNumber(1))));
            assertThat(metadata.get("jobRunId")).isEqualTo(new JsonString(run.id().toString()));
            assertThat(metadata.get("dryRun")).isEqualTo(JsonBoolean.FALSE);
        });
        assertThat(runs.all()).singleElement().isEqualTo(run);
        assertThat(locks.acquired()).isEqualTo(1);
        assertThat(locks.isHeld("archive")).isFalse();
    }
}
