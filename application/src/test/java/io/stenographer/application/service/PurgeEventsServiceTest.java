package io.stenographer.application.service;

import io.stenographer.application.port.in.JobOutcome;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.PurgeTenantOutcome;
import io.stenographer.application.port.in.RunJobCommand;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.application.port.out.PurgeEventsPort;
import io.stenographer.application.port.out.PurgePartitionsPort;
import io.stenographer.application.port.out.StorePersonalDataPort;
import io.stenographer.application.port.out.StorePersonalDataPort.SealedPersonalValue;
import io.stenographer.application.port.out.StorePersonalDataPort.StoredDataKey;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryArchiveCatalog;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryJobLocks;
import io.stenographer.application.service.fakes.InMemoryJobRuns;
import io.stenographer.application.service.fakes.InMemoryLegalHolds;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.InMemoryPersonalData;
import io.stenographer.application.service.fakes.InMemoryRetentionPolicies;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.application.service.fakes.TestSegments;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.archive.SegmentKeys;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.privacy.SubjectIndex;
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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static io.stenographer.application.service.fakes.TestEvents.DEFAULT_POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PurgeEventsServiceTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant KEEP = NOW.plus(Duration.ofDays(365));
    private static final Instant EXPIRED = NOW.minus(Duration.ofDays(1));

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
    private final TestSegments segments = new TestSegments(transactions, log, archive, catalog);
    private final List<String> counted = new ArrayList<>();
    private final SplittableRandom runIds = new SplittableRandom(7);
    private final SelfAudit selfAudit = new SelfAudit(events, clock, runIds, StoredIdentifiers.AS_GIVEN);

    private final InMemoryPersonalData personalData = new InMemoryPersonalData();

    {
        catalog.checkHoldsIn(holds::active);
        personalData.lastCopiesIn(catalog::eventsOfDeletedSegment);
    }

    private PurgeEventsService service(int batchSize) {
        return service(batchSize, RetentionPolicies.onlyDefault(DEFAULT_POLICY), catalog, catalog);
    }

    private PurgeEventsService service(int batchSize, RetentionPolicies configured, CatalogSegmentsPort segmentCatalog,
            PurgeEventsPort purgePort) {
        ActiveRetentionPolicies policies = new ActiveRetentionPolicies(new InMemoryRetentionPolicies(transactions),
                configured);
        return new PurgeEventsService(segmentCatalog, purgePort, catalog, archive, personalData, policies, holds, log,
                selfAudit,
                new JobRuns(runs, locks, transactions, clock, runIds), transactions, clock, batchSize,
                (tenant, n) -> counted.add(tenant.value() + " " + n));
    }

    /** {@code port}, except that {@code afterward} runs right after each call of {@code method} returns. */
    @SuppressWarnings("unchecked")
    private static <T> T after(Class<T> type, T port, String method, Runnable afterward) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, called, args) -> {
            try {
                Object result = called.invoke(port, args);
                if (called.getName().equals(method)) {
                    afterward.run();
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    /** An ACME event about case {@code resourceId}, received {@code daysAgo} days before NOW. */
    private AuditEvent logged(String resourceId, int daysAgo) {
        AuditEvent event = TestEvents.event(ACME, "case.view", resourceId, NOW.minus(Duration.ofDays(daysAgo)),
                random);
        log.append(event);
        return event;
    }

    private void holdCase(String resourceId) {
        holds.seed(LegalHold.place(new HoldId(UUID.randomUUID()), ACME,
                new HoldCriteria(null, "case", resourceId, null, null, null), "CASE", "litigation", "counsel",
                NOW.minus(Duration.ofDays(2))));
    }

    /** Stores a personal value of the event under a data key of its own subject; returns the event's id. */
    private UUID withPersonalValue(AuditEvent event) {
        byte[] index = new byte[32];
        random.nextBytes(index);
        StoredDataKey key = new StoredDataKey(UUID.randomUUID(), ACME, new SubjectIndex(index),
                new WrappedDataKey("kek-1", new byte[60]));
        personalData.createKeys(ACME, List.of(key), NOW);
        personalData.storeValues(List.of(new SealedPersonalValue(event.id().value(), "source.ip", key.id(),
                new byte[40])));
        return event.id().value();
    }

    private List<UUID> eventsWithValues() {
        return personalData.allValues().stream().map(SealedPersonalValue::eventId).distinct().toList();
    }

    private void purgeNow(AuditEvent event) {
        transactions.inTransaction(() -> catalog.purge(ACME, List.of(event.id())));
    }

    private static PurgeTenantOutcome acme(JobRun run) {
        return (PurgeTenantOutcome) run.outcome().tenants().get(ACME);
    }

    private static JsonArray ranges(long[]... ranges) {
        List<JsonValue> json = new ArrayList<>();
        for (long[] range : ranges) {
            json.add(new JsonArray(List.of(new JsonNumber(range[0]), new JsonNumber(range[1]))));
        }
        return new JsonArray(json);
    }

    private List<AuditEvent> selfAudits(String action) {
        return events.committed().stream().filter(e -> e.content().action().value().equals(action)).toList();
    }

    @Test
    void purgesOnlyArchivedDueUnheldEventsInBatchesAndRecordsCollapsedIndexRanges() {
        List<AuditEvent> logged = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            logged.add(logged(i == 3 ? "C-7" : "C-1", 60));
        }
        AuditEvent early = logged("C-1", 10); // archived, but its archive date has not come
        AuditEvent unarchived = logged("C-1", 60);
        segments.archive(ACME, 0, 7, KEEP, NOW.minusSeconds(60));
        holdCase("C-7");

        JobRun run = service(2).run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(log.isHot(logged.get(3).id())).isTrue();
        assertThat(log.isHot(early.id())).isTrue();
        assertThat(log.isHot(unarchived.id())).isTrue();
        for (int i : new int[] {0, 1, 2, 4, 5}) {
            assertThat(log.isHot(logged.get(i).id())).as("index %d", i).isFalse();
        }
        assertThat(catalog.purgeCalls()).containsExactly(
                List.of(logged.get(0).id(), logged.get(1).id()),
                List.of(logged.get(2).id()),
                List.of(logged.get(4).id(), logged.get(5).id()));
        assertThat(counted).containsExactly("acme 2", "acme 1", "acme 2");
        PurgeTenantOutcome acme = acme(run);
        assertThat(acme.eventsPurged()).isEqualTo(5);
        assertThat(acme.eventsHeld()).isEqualTo(1);
        assertThat(acme.eventsNotYetDue()).isEqualTo(1);
        assertThat(acme.purgedIndexRanges()).containsExactly(new JobOutcome.IndexRange(0, 2),
                new JobOutcome.IndexRange(4, 5));
        assertThat(run.outcome().eventsTotal()).isEqualTo(5);
        assertThat(selfAudits("purge.run")).singleElement().satisfies(audit -> {
            assertThat(audit.tenant()).isEqualTo(ACME);
            JsonObject metadata = audit.content().metadata();
            assertThat(metadata.get("purgedIndexRanges")).isEqualTo(ranges(new long[] {0, 2}, new long[] {4, 5}));
            assertThat(metadata.get("eventsHeld")).isEqualTo(new JsonNumber(1));
            assertThat(metadata.get("jobRunId")).isEqualTo(new JsonString(run.id().toString()));
        });
        assertThat(archive.deleted()).isEmpty();
    }

    @Test
    void expiredSegmentsAreDeletedOnlyWhenNoHoldNoHotEventAndNoStoreHoldKeepThem() {
        logged("C-1", 400);
        AuditEvent held = logged("C-7", 400);
        logged("C-1", 10); // not due: stays hot
        logged("C-1", 400);
        logged("C-1", 400);
        SegmentManifest free = segments.archive(ACME, 0, 1, EXPIRED, NOW.minusSeconds(60));
        SegmentManifest underHold = segments.archive(ACME, 1, 2, EXPIRED, NOW.minusSeconds(60));
        SegmentManifest stillHot = segments.archive(ACME, 2, 3, EXPIRED, NOW.minusSeconds(60));
        SegmentManifest storeHold = segments.archive(ACME, 3, 4, EXPIRED, NOW.minusSeconds(60));
        SegmentManifest notExpired = segments.archive(ACME, 4, 5, NOW.plusSeconds(1), NOW.minusSeconds(60));
        purgeNow(held); // purged before the hold was placed
        holdCase("C-7");
        archive.setLegalHold(storeHold.objectKey(), true);

        JobRun run = service(100).run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(archive.deleted()).containsExactly(free.objectKey(), SegmentKeys.manifestKey(free.objectKey()));
        assertThat(archive.keys()).doesNotContain(free.objectKey())
                .contains(underHold.objectKey(), stillHot.objectKey(), storeHold.objectKey(), notExpired.objectKey());
        assertThat(catalog.recorded()).filteredOn(r -> r.deletedAt() != null).singleElement().satisfies(r -> {
            assertThat(r.manifest()).isEqualTo(free);
            assertThat(r.deletedAt()).isEqualTo(NOW);
            assertThat(r.deletedBy()).isEqualTo(run.id());
        });
        assertThat(acme(run).segmentsDeleted()).isEqualTo(1);
        assertThat(acme(run).segmentsKept()).isEqualTo(3);
        assertThat(selfAudits("archive.segment.deleted")).singleElement().satisfies(audit -> {
            JsonObject metadata = audit.content().metadata();
            assertThat(metadata.get("segment")).isEqualTo(new JsonString(free.objectKey()));
            assertThat(metadata.get("indexRange")).isEqualTo(new JsonArray(List.of(new JsonNumber(0),
                    new JsonNumber(0))));
            assertThat(metadata.get("retainUntil")).isEqualTo(new JsonString(EXPIRED.toString()));
        });
    }

    @Test
    void personalValuesLeaveWithTheDeletedSegmentAndStayWhileAnArchivedCopyIsLeft() {
        UUID gone = withPersonalValue(logged("C-1", 400));
        UUID goneToo = withPersonalValue(logged("C-2", 400));
        UUID archivedOnly = withPersonalValue(logged("C-1", 400)); // leaves the hot store, its copy stays
        UUID hot = withPersonalValue(logged("C-1", 10)); // not due
        SegmentManifest expired = segments.archive(ACME, 0, 2, EXPIRED, NOW.minusSeconds(60));
        SegmentManifest kept = segments.archive(ACME, 2, 4, KEEP, NOW.minusSeconds(60));

        JobRun run = service(100).run(RunJobCommand.scheduled());

        assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(archive.keys()).doesNotContain(expired.objectKey()).contains(kept.objectKey());
        assertThat(log.isHot(new EventId(archivedOnly))).isFalse();
        assertThat(eventsWithValues()).containsExactlyInAnyOrder(archivedOnly, hot).doesNotContain(gone, goneToo);
        assertThat(selfAudits("archive.segment.deleted")).singleElement().satisfies(audit -> assertThat(
                audit.content().metadata().get("personalValuesDeleted")).isEqualTo(new JsonNumber(2)));
        assertThat(acme(run).personalValuesDeleted()).as("the run's outcome counts them too").isEqualTo(2);
    }

    @Test
    void aHoldKeepsTheExpiredSegmentAndThePersonalValuesOfItsEvents() {
        AuditEvent held = logged("C-7", 400);
        UUID heldValues = withPersonalValue(held);
        UUID neighbour = withPersonalValue(logged("C-1", 400));
        SegmentManifest segment = segments.archive(ACME, 0, 2, EXPIRED, NOW.minusSeconds(60));
        purgeNow(held); // its copy is all that is left
        holdCase("C-7");

        JobRun run = service(100).run(RunJobCommand.scheduled());

        assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(archive.keys()).contains(segment.objectKey());
        assertThat(catalog.recorded(segment.objectKey()).orElseThrow().deletedAt()).isNull();
        assertThat(acme(run).segmentsKept()).isEqualTo(1);
        assertThat(eventsWithValues()).containsExactlyInAnyOrder(heldValues, neighbour);
        assertThat(selfAudits("archive.segment.deleted")).isEmpty();
    }

    @Test
    void theValuesOfASegmentNotRecordedAsDeletedOrUnderAHoldAreRefused() {
        AuditEvent held = logged("C-7", 400);
        UUID heldValues = withPersonalValue(held);
        SegmentManifest segment = segments.archive(ACME, 0, 1, EXPIRED, NOW.minusSeconds(60));
        purgeNow(held);

        assertThatThrownBy(() -> transactions.inTransaction(
                () -> personalData.deleteValuesOfDeletedSegment(segment.objectKey())))
                .isInstanceOf(StorePersonalDataPort.ValuesKept.class).hasMessageContaining("not recorded as deleted");
        transactions.inTransaction(() -> {
            catalog.recordSegmentDeletion(segment.objectKey(), NOW, UUID.randomUUID());
            return null;
        });
        holdCase("C-7");
        assertThatThrownBy(() -> transactions.inTransaction(
                () -> personalData.deleteValuesOfDeletedSegment(segment.objectKey())))
                .isInstanceOf(StorePersonalDataPort.ValuesKept.class).hasMessageContaining("legal hold");
        assertThat(eventsWithValues()).containsExactly(heldValues);
    }

    @Test
    void aLengthenedPolicyExtendsTheLockOfASegmentArchivedUnderTheShorterOneAndKeepsIt() {
        // Archived under P1D, whose retention ended yesterday; the policy in force now says ten years.
        AuditEvent event = logged("C-1", 2);
        SegmentManifest segment = segments.archive(ACME, 0, 1, EXPIRED, NOW.minus(Duration.ofDays(1)));
        RetentionPolicy tenYears = RetentionPolicy.create(PolicyId.of("default"), 2, PolicyMatcher.ANY,
                RetentionPeriod.parse("P1D"), RetentionPeriod.parse("P10Y"), "statute", "ops", NOW.minusSeconds(5));

        JobRun run = service(100, RetentionPolicies.onlyDefault(tenYears), catalog, catalog)
                .run(RunJobCommand.scheduled());

        assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(archive.keys()).contains(segment.objectKey());
        assertThat(archive.deleted()).isEmpty();
        assertThat(archive.describe(segment.objectKey()).orElseThrow().retainUntil())
                .isEqualTo(RetentionRules.retainUntil(RetentionSubject.of(event), tenYears));
        assertThat(acme(run).segmentsKept()).isEqualTo(1);
        assertThat(acme(run).segmentsLockExtended()).isEqualTo(1);
    }

    @Test
    void aHoldPlacedAfterTheCandidatesWereJudgedStillKeepsItsEventsInTheHotStore() {
        AuditEvent event = logged("C-9", 60);
        AuditEvent other = logged("C-1", 60);
        logged("C-2", 60); // not archived: its month stays whole, so these two go one by one
        segments.archive(ACME, 0, 2, KEEP, NOW.minusSeconds(60));
        PurgeEventsPort racing = after(PurgeEventsPort.class, catalog, "purgeCandidates", () -> holdCase("C-9"));

        JobRun run = service(100, RetentionPolicies.onlyDefault(DEFAULT_POLICY), catalog, racing)
                .run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(log.isHot(event.id())).isTrue();
        assertThat(log.isHot(other.id())).isFalse();
        assertThat(acme(run).eventsHeld()).isEqualTo(1);
    }

    @Test
    void aMonthWhoseEveryEventIsReleasedLeavesTheHotStoreWholeAndItsLeavesAreRecorded() {
        List<AuditEvent> april = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            april.add(logged("C-1", 45));
        }
        AuditEvent may = logged("C-1", 10); // archived, not yet due: May stays
        segments.archive(ACME, 0, 6, KEEP, NOW.minusSeconds(60));

        JobRun run = service(2).run(RunJobCommand.scheduled());

        assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(catalog.droppedPartitions()).containsExactly("audit_event_2026-04");
        assertThat(april).allSatisfy(event -> assertThat(log.isHot(event.id())).isFalse());
        assertThat(log.isHot(may.id())).isTrue();
        assertThat(catalog.purgeCalls()).isEmpty();
        assertThat(counted).containsExactly("acme 5");
        assertThat(acme(run).eventsPurged()).isEqualTo(5);
        assertThat(acme(run).eventsNotYetDue()).isEqualTo(1);
        assertThat(acme(run).purgedIndexRanges()).containsExactly(new JobOutcome.IndexRange(0, 4));
        // The per-event purge starts after the dropped month, passes the event it kept and defers it to its date.
        assertThat(catalog.resumeIndices()).containsEntry(ACME, 6L);
        assertThat(catalog.deferred(ACME)).containsOnlyKeys(5L).hasEntrySatisfying(5L, deferral -> {
            assertThat(deferral.revisitAt()).isEqualTo(NOW.minus(Duration.ofDays(10)).plus(Duration.ofDays(30)));
            assertThat(deferral.held()).isFalse();
        });
    }

    @Test
    void anExpiredSegmentBehindAFullPageOfKeptOnesIsStillDeleted() {
        List<AuditEvent> held = new ArrayList<>();
        for (int i = 0; i < PurgeEventsService.SEGMENT_PAGE; i++) {
            held.add(logged("C-7", 400));
        }
        AuditEvent free = logged("C-1", 400);
        for (int i = 0; i <= PurgeEventsService.SEGMENT_PAGE; i++) {
            segments.archive(ACME, i, i + 1, EXPIRED, NOW.minusSeconds(60));
        }
        held.forEach(this::purgeNow);
        purgeNow(free);
        holdCase("C-7"); // keeps the first page of expired segments for as long as it lasts

        JobRun run = service(100).run(RunJobCommand.scheduled());

        String last = SegmentKeys.segmentKey(ACME, PurgeEventsService.SEGMENT_PAGE);
        assertThat(archive.deleted()).containsExactly(last, SegmentKeys.manifestKey(last));
        assertThat(acme(run).segmentsDeleted()).isEqualTo(1);
        assertThat(acme(run).segmentsKept()).isEqualTo(PurgeEventsService.SEGMENT_PAGE);
    }

    @Test
    void aHoldPlacedAfterAnExpiredSegmentWasJudgedKeepsItsArchiveCopy() {
        AuditEvent held = logged("C-7", 400);
        SegmentManifest segment = segments.archive(ACME, 0, 1, EXPIRED, NOW.minusSeconds(60));
        purgeNow(held); // the archive copy is the last one
        CatalogSegmentsPort judgedThenHeld = after(CatalogSegmentsPort.class, catalog, "eventsStillHot",
                () -> holdCase("C-7"));

        JobRun run = service(100, RetentionPolicies.onlyDefault(DEFAULT_POLICY), judgedThenHeld, catalog)
                .run(RunJobCommand.scheduled());

        // The store refuses while the hold covers the segment's event, and the copy is deleted only after that.
        assertThat(archive.deleted()).isEmpty();
        assertThat(archive.keys()).contains(segment.objectKey());
        assertThat(acme(run).segmentsDeleted()).isZero();
        assertThat(selfAudits("archive.segment.deleted")).isEmpty();
    }

    @Test
    void anEventHeldByAHoldPlacedDuringARunIsPurgedByTheNextRunAfterItsRelease() {
        AuditEvent held = logged("C-9", 400);
        AuditEvent free = logged("C-1", 400);
        logged("C-2", 400); // not archived: its month cannot be dropped whole, so the events are judged one by one
        segments.archive(ACME, 0, 2, KEEP, NOW.minusSeconds(60));
        HoldId placed = new HoldId(UUID.randomUUID());
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        PurgeEventsPort placingDuringTheRun = after(PurgeEventsPort.class, catalog, "purgeCandidates", () -> {
            if (once.compareAndSet(false, true)) {
                holds.seed(LegalHold.place(placed, ACME, new HoldCriteria(null, "case", "C-9", null, null, null),
                        "CASE", "litigation", "counsel", NOW));
            }
        });

        service(100, RetentionPolicies.onlyDefault(DEFAULT_POLICY), catalog, placingDuringTheRun)
                .run(RunJobCommand.scheduled());
        assertThat(log.isHot(held.id())).as("kept by the hold placed mid-run").isTrue();
        assertThat(log.isHot(free.id())).isFalse();

        // Released before the next run, which starts with the same holds as the first did (none).
        holds.seed(transactions.inTransaction(() -> holds.find(placed)).orElseThrow()
                .release("counsel", NOW, "settled"));
        service(100).run(RunJobCommand.scheduled());

        assertThat(log.isHot(held.id())).as("looked at again and purged").isFalse();
    }

    @Test
    void aHoldPlacedWhileAMonthWasJudgedKeepsTheMonthWholeAndTheHeldEventHot() {
        AuditEvent held = logged("C-9", 45);
        AuditEvent free = logged("C-1", 45);
        segments.archive(ACME, 0, 2, KEEP, NOW.minusSeconds(60));
        InMemoryArchiveCatalog racing = catalog;
        PurgePartitionsPort judgedThenHeld = after(PurgePartitionsPort.class, racing, "kindsOf",
                () -> holdCase("C-9"));
        ActiveRetentionPolicies policies = new ActiveRetentionPolicies(new InMemoryRetentionPolicies(transactions),
                RetentionPolicies.onlyDefault(DEFAULT_POLICY));
        PurgeEventsService service = new PurgeEventsService(catalog, catalog, judgedThenHeld, archive, personalData,
                policies, holds, log, selfAudit, new JobRuns(runs, locks, transactions, clock, runIds), transactions,
                clock, 100,
                (tenant, n) -> counted.add(tenant.value() + " " + n));

        JobRun run = service.run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(catalog.droppedPartitions()).isEmpty();
        assertThat(log.isHot(held.id())).isTrue();
        assertThat(log.isHot(free.id())).isFalse();
        assertThat(acme(run).eventsHeld()).isEqualTo(1);
        assertThat(acme(run).eventsPurged()).isEqualTo(1);
    }

    @Test
    void eachArchivedEventIsReadOnceAndAKeptOneAgainOnlyWhenItsDateComesOrTheHoldsChange() {
        logged("C-1", 60);
        logged("C-1", 60);
        AuditEvent held = logged("C-7", 60);
        AuditEvent early = logged("C-1", 10); // archived early: its own date is 20 days away
        logged("C-1", 60);
        logged("C-1", 60); // not archived: its month stays whole
        segments.archive(ACME, 0, 5, KEEP, NOW.minusSeconds(60));
        holdCase("C-7");
        List<Long> startedFrom = new ArrayList<>();
        PurgeEventsPort watched = (PurgeEventsPort) Proxy.newProxyInstance(PurgeEventsPort.class.getClassLoader(),
                new Class<?>[] {PurgeEventsPort.class}, (proxy, method, args) -> {
                    if (method.getName().equals("purgeCandidates")) {
                        startedFrom.add((Long) args[1]);
                    }
                    try {
                        return method.invoke(catalog, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        RetentionPolicies only = RetentionPolicies.onlyDefault(DEFAULT_POLICY);

        service(100, only, catalog, watched).run(RunJobCommand.scheduled());
        assertThat(catalog.candidatesRead()).isEqualTo(5);
        assertThat(catalog.resumeIndices()).containsEntry(ACME, 5L);
        assertThat(catalog.deferred(ACME)).containsOnlyKeys(2L, 3L);

        startedFrom.clear();
        JobRun quiet = service(100, only, catalog, watched).run(RunJobCommand.scheduled());
        assertThat(startedFrom).containsExactly(5L);
        assertThat(catalog.candidatesRead()).as("nothing kept is read again while nothing changed").isEqualTo(5);
        assertThat(acme(quiet).eventsHeld()).isZero();

        clock.advance(Duration.ofDays(21));
        service(100, only, catalog, watched).run(RunJobCommand.scheduled());
        assertThat(log.isHot(early.id())).as("read again once its date came").isFalse();
        assertThat(log.isHot(held.id())).isTrue();
        assertThat(catalog.candidatesRead()).as("the held event waits for a change of holds").isEqualTo(6);
        assertThat(catalog.deferred(ACME)).containsOnlyKeys(2L);

        transactions.inTransaction(() -> {
            LegalHold hold = holds.active(ACME).get(0);
            holds.appendRelease(hold.release("counsel", clock.instant(), "case closed"));
            return null;
        });
        service(100, only, catalog, watched).run(RunJobCommand.scheduled());
        assertThat(log.isHot(held.id())).isFalse();
        assertThat(catalog.deferred(ACME)).isEmpty();
        assertThat(catalog.resumeIndices()).containsEntry(ACME, 5L);
    }

    @Test
    void aHoldPlacedAfterTheExpiredSegmentsWereListedStillKeepsTheArchiveCopy() {
        AuditEvent old = logged("C-9", 400);
        SegmentManifest segment = segments.archive(ACME, 0, 1, EXPIRED, NOW.minusSeconds(60));
        purgeNow(old); // its copy is all that is left
        CatalogSegmentsPort racing = after(CatalogSegmentsPort.class, catalog, "segmentsPastRetention",
                () -> holdCase("C-9"));

        JobRun run = service(100, RetentionPolicies.onlyDefault(DEFAULT_POLICY), racing, catalog)
                .run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(archive.keys()).contains(segment.objectKey());
        assertThat(archive.deleted()).isEmpty();
        assertThat(acme(run).segmentsDeleted()).isEqualTo(0);
    }

    @Test
    void aDryRunReportsWhatItWouldDoAndChangesNothing() {
        AuditEvent due = logged("C-1", 400);
        AuditEvent alreadyPurged = logged("C-1", 400);
        segments.archive(ACME, 0, 1, KEEP, NOW.minusSeconds(60));
        SegmentManifest expired = segments.archive(ACME, 1, 2, EXPIRED, NOW.minusSeconds(60));
        purgeNow(alreadyPurged);
        int purgeCallsBefore = catalog.purgeCalls().size();

        JobRun run = service(100).run(RunJobCommand.manual(caller("counsel", Role.COMPLIANCE_ADMIN, ACME), List.of(ACME),
                true));

        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(log.isHot(due.id())).isTrue();
        assertThat(catalog.purgeCalls()).hasSize(purgeCallsBefore);
        assertThat(archive.deleted()).isEmpty();
        assertThat(archive.keys()).contains(expired.objectKey());
        assertThat(catalog.recorded()).allSatisfy(r -> assertThat(r.deletedAt()).isNull());
        assertThat(counted).isEmpty();
        assertThat(acme(run).eventsPurged()).isEqualTo(0);
        assertThat(acme(run).eventsWouldPurge()).isEqualTo(1);
        assertThat(acme(run).segmentsWouldDelete()).isEqualTo(1);
        assertThat(selfAudits("archive.segment.deleted")).isEmpty();
    }

    @Test
    void whenAnotherInstanceHoldsTheLockThePurgeIsSkipped() {
        AuditEvent due = logged("C-1", 400);
        segments.archive(ACME, 0, 1, KEEP, NOW.minusSeconds(60));
        locks.holdElsewhere("purge");

        JobRun run = service(100).run(RunJobCommand.scheduled());

        assertThat(run.status()).isEqualTo(JobRun.Status.SKIPPED);
        assertThat(log.isHot(due.id())).isTrue();
        assertThat(catalog.purgeCalls()).isEmpty();
    }

    @Test
    void aScheduledRunThatPurgesNothingLeavesNoPurgeRunEventButAManualRunDoes() {
        logged("C-1", 10);
        segments.archive(ACME, 0, 1, KEEP, NOW.minusSeconds(60));

        service(100).run(RunJobCommand.scheduled());
        assertThat(selfAudits("purge.run")).isEmpty();

        service(100).run(RunJobCommand.manual(caller("counsel", Role.COMPLIANCE_ADMIN, ACME), List.of(ACME), false));
        assertThat(selfAudits("purge.run")).singleElement().satisfies(audit -> {
            assertThat(audit.content().actor().id()).isEqualTo("counsel");
            assertThat(audit.content().metadata().get("eventsPurged")).isEqualTo(new JsonNumber(0));
            // The scheduled run judged the event and deferred it to its date: this run did not read it again.
            assertThat(audit.content().metadata().get("eventsNotYetDue")).isEqualTo(new JsonNumber(0));
        });
    }

    @Test
    void anEventIsNeverPurgedFromASegmentWhoseCopyWasDeleted() {
        AuditEvent event = logged("C-1", 400);
        SegmentManifest manifest = segments.archive(ACME, 0, 1, EXPIRED, NOW.minusSeconds(60));
        transactions.inTransaction(() -> {
            catalog.recordSegmentDeletion(manifest.objectKey(), NOW, UUID.randomUUID());
            return null;
        });

        JobRun run = service(100).run(RunJobCommand.scheduled());

        // The service asks, the database refuses: the event stays, and the run reports nothing purged.
        assertThat(log.isHot(event.id())).isTrue();
        assertThat(acme(run).eventsPurged()).isEqualTo(0);
        assertThat(counted).containsExactly("acme 0");
        assertThat(catalog.purgeCalls()).containsExactly(List.<EventId>of(event.id()));
    }
}
