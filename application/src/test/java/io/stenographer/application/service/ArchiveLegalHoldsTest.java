package io.stenographer.application.service;

import io.stenographer.application.port.in.LegalHoldChange;
import io.stenographer.application.port.in.PlaceLegalHoldCommand;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryArchiveCatalog;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLegalHolds;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.application.service.fakes.TestSegments;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.archive.SegmentKeys;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.HoldPropagation;
import io.stenographer.domain.retention.LegalHold;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static org.assertj.core.api.Assertions.assertThat;

class ArchiveLegalHoldsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final String SEG_C7 = SegmentKeys.segmentKey(ACME, 0);
    private static final String SEG_C8 = SegmentKeys.segmentKey(ACME, 1);
    private static final String SEG_BOTH = SegmentKeys.segmentKey(ACME, 2);

    private final SplittableRandom random = new SplittableRandom(5);
    private final MutableClock clock = new MutableClock(NOW);
    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final InMemoryArchiveCatalog catalog = new InMemoryArchiveCatalog(transactions, log);
    private final InMemoryArchive archive = new InMemoryArchive(clock);
    private final InMemoryLegalHolds holds = new InMemoryLegalHolds(transactions);
    private final List<String> warnings = new ArrayList<>();
    private final ArchiveLegalHolds mirror = new ArchiveLegalHolds(catalog, archive, holds, transactions, warnings::add);

    private final LegalHold holdC7 = hold("C-7");
    private final LegalHold holdC8 = hold("C-8");

    ArchiveLegalHoldsTest() {
        // Segments: [C-7], [C-8], [C-7, C-8].
        for (String resource : List.of("C-7", "C-8", "C-7", "C-8")) {
            log.append(TestEvents.event(ACME, "case.view", resource, NOW.minus(Duration.ofDays(60)), random));
        }
        TestSegments segments = new TestSegments(transactions, log, archive, catalog);
        Instant keep = NOW.plus(Duration.ofDays(365));
        segments.archive(ACME, 0, 1, keep, NOW);
        segments.archive(ACME, 1, 2, keep, NOW);
        segments.archive(ACME, 2, 4, keep, NOW);
    }

    private static LegalHold hold(String resourceId) {
        return LegalHold.place(new HoldId(UUID.randomUUID()), ACME,
                new HoldCriteria(null, "case", resourceId, null, null, null), "CASE-" + resourceId, "litigation",
                "counsel", NOW.minus(Duration.ofDays(1)));
    }

    private void inTransaction(Runnable work) {
        transactions.inTransaction(() -> {
            work.run();
            return null;
        });
    }

    @Test
    void placingAHoldTurnsTheStoresHoldOnForEverySegmentWithACoveredEventOnly() {
        mirror.placed(holdC7);

        assertThat(archive.legalHold(SEG_C7)).isTrue();
        assertThat(archive.legalHold(SEG_BOTH)).isTrue();
        assertThat(archive.legalHold(SEG_C8)).isFalse();
        assertThat(warnings).isEmpty();
    }

    @Test
    void releasingTurnsTheHoldOffOnlyWhereNoOtherActiveHoldStillCoversTheSegment() {
        mirror.placed(holdC7);
        mirror.placed(holdC8);
        LegalHold released = holdC7.release("counsel", NOW, "case closed");
        holds.seed(released);
        holds.seed(holdC8);
        int before = archive.holdChanges().size();

        mirror.released(released);

        assertThat(archive.holdChanges().subList(before, archive.holdChanges().size()))
                .containsExactly(SEG_C7 + "=OFF");
        assertThat(archive.legalHold(SEG_C7)).isFalse();
        assertThat(archive.legalHold(SEG_BOTH)).isTrue(); // C-8 is still held
        assertThat(archive.legalHold(SEG_C8)).isTrue();
    }

    @Test
    void whenTheArchiveIsUnreachableAPlacedHoldIsStillRecordedAndAWarningNamesIt() {
        archive.goDown();
        InMemoryEventStore events = new InMemoryEventStore(transactions);
        SplittableRandom random = new SplittableRandom(9);
        ManageLegalHoldsService service = new ManageLegalHoldsService(holds, List.of(mirror),
                new SelfAudit(events, clock, random, StoredIdentifiers.AS_GIVEN), transactions, clock, random, StoredIdentifiers.AS_GIVEN);

        LegalHoldChange change = service.place(new PlaceLegalHoldCommand(caller("counsel", Role.COMPLIANCE_ADMIN,
                ACME), ACME, new HoldCriteria(null, "case", "C-7", null, null, null), "CASE-7", "litigation"));
        LegalHold hold = change.hold();

        assertThat(holds.committedHolds()).isEqualTo(1);
        assertThat(change.archive().problems()).singleElement().asString().contains("2 segment(s)");
        assertThat(warnings).singleElement().asString().contains(hold.id().toString(), "in force", "2 segment(s)");
        assertThat(archive.holdChanges()).isEmpty();
    }

    @Test
    void aSegmentWhoseObjectIsMissingIsReportedByNameAndTheOthersAreStillFlagged() {
        archive.remove(SEG_C7);

        HoldPropagation result = mirror.placed(holdC7);

        assertThat(result.segments()).isEqualTo(2);
        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.problems()).singleElement().asString().contains(SEG_C7, "missing");
        assertThat(archive.legalHold(SEG_BOTH)).isTrue();
    }

    @Test
    void aWholeTenantHoldOverTwoThousandSlowSegmentsCommitsAtOnce() {
        for (int i = 0; i < 2_000; i++) {
            log.append(TestEvents.event(ACME, "case.view", "C-9", NOW.minus(Duration.ofDays(60)), random));
        }
        TestSegments segments = new TestSegments(transactions, log, archive, catalog);
        for (int i = 0; i < 2_000; i++) {
            segments.archive(ACME, 4 + i, 5 + i, NOW.plus(Duration.ofDays(365)), NOW);
        }
        // 30 ms per store call: 2,003 calls take a minute, twice the transaction timeout.
        archive.slowDown(Duration.ofMillis(30));
        transactions.timeoutAfter(clock, Duration.ofSeconds(30));
        InMemoryEventStore events = new InMemoryEventStore(transactions);
        ManageLegalHoldsService service = new ManageLegalHoldsService(holds, List.of(mirror),
                new SelfAudit(events, clock, random, StoredIdentifiers.AS_GIVEN), transactions, clock, random, StoredIdentifiers.AS_GIVEN);

        LegalHoldChange change = service.place(new PlaceLegalHoldCommand(caller("counsel", Role.COMPLIANCE_ADMIN,
                ACME), ACME, HoldCriteria.WHOLE_TENANT, "CASE-ALL", "regulator inquiry"));

        assertThat(holds.committedHolds()).isEqualTo(1);
        assertThat(change.archive().segments()).isEqualTo(2_003);
        assertThat(change.archive().complete()).isTrue();
        assertThat(transactions.rolledBack()).isZero();
    }

    @Test
    void whenTheArchiveIsUnreachableAReleaseWarnsAndDoesNotThrow() {
        mirror.placed(holdC7);
        archive.goDown();
        LegalHold released = holdC7.release("counsel", NOW, "case closed");
        holds.seed(released);

        mirror.released(released);

        assertThat(warnings).singleElement().asString().contains(holdC7.id().toString(), "released");
        archive.comeBack();
        assertThat(archive.legalHold(SEG_C7)).isTrue(); // the safe side: the copy stays held
    }
}
