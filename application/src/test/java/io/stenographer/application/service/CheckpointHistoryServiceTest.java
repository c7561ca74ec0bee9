package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.CheckpointHistoryQuery;
import io.stenographer.application.port.in.CheckpointHistoryUseCase.CheckpointPage;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.log.PublishedCheckpoint;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CheckpointHistoryServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final CheckpointHistoryService service = new CheckpointHistoryService(log, transactions);
    private final SplittableRandom random = new SplittableRandom(7);

    /** Checkpoints at tree sizes 1 to 5, one per appended leaf. */
    private void publishFive() {
        for (int i = 0; i < 5; i++) {
            log.append(TestEvents.event(ACME, "case.view", "C-" + i, NOW, random));
            log.publishCheckpoint(ACME, NOW.plusSeconds(i));
        }
    }

    @Test
    void pagesBackFromTheNewestCheckpointEachPageInOneTransaction() {
        publishFive();

        CheckpointPage first = service.history(new CheckpointHistoryQuery(auditor("a", ACME), ACME, null, 2));
        assertThat(first.checkpoints()).extracting(PublishedCheckpoint::treeSize).containsExactly(5L, 4L);
        assertThat(first.nextBefore()).isEqualTo(4L);
        assertThat(transactions.started()).isEqualTo(1);

        CheckpointPage second = service.history(new CheckpointHistoryQuery(auditor("a", ACME), ACME,
                first.nextBefore(), 2));
        assertThat(second.checkpoints()).extracting(PublishedCheckpoint::treeSize).containsExactly(3L, 2L);
        assertThat(second.nextBefore()).isEqualTo(2L);

        CheckpointPage last = service.history(new CheckpointHistoryQuery(auditor("a", ACME), ACME,
                second.nextBefore(), 2));
        assertThat(last.checkpoints()).extracting(PublishedCheckpoint::treeSize).containsExactly(1L);
        assertThat(last.nextBefore()).isNull();
    }

    @Test
    void aFullLastPageHasNoNextPage() {
        publishFive();

        CheckpointPage page = service.history(new CheckpointHistoryQuery(auditor("a", ACME), ACME, null, 5));

        assertThat(page.checkpoints()).hasSize(5);
        assertThat(page.nextBefore()).isNull();
    }

    @Test
    void aLogWithoutCheckpointsHasAnEmptyHistory() {
        CheckpointPage page = service.history(new CheckpointHistoryQuery(auditor("a", GLOBEX), GLOBEX, null, 10));

        assertThat(page.checkpoints()).isEmpty();
        assertThat(page.nextBefore()).isNull();
    }

    @Test
    void whoeverMayReadProofsMayReadTheHistoryAndNoOneElse() {
        publishFive();

        assertThat(service.history(new CheckpointHistoryQuery(writer("w", ACME), ACME, null, 10)).checkpoints())
                .hasSize(5);
        assertThatThrownBy(() -> service.history(new CheckpointHistoryQuery(auditor("a", GLOBEX), ACME, null, 10)))
                .isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> service.history(
                new CheckpointHistoryQuery(caller("c", Role.COMPLIANCE_ADMIN, ACME), ACME, null, 10)))
                .isInstanceOf(TenantAccessDenied.class);
        assertThat(transactions.started()).isEqualTo(1);
    }

    @Test
    void aPageIsBounded() {
        assertThatThrownBy(() -> new CheckpointHistoryQuery(auditor("a", ACME), ACME, null, 0))
                .isInstanceOf(FieldViolation.class);
        assertThatThrownBy(() -> new CheckpointHistoryQuery(auditor("a", ACME), ACME, null, 501))
                .isInstanceOf(FieldViolation.class);
        assertThatThrownBy(() -> new CheckpointHistoryQuery(auditor("a", ACME), ACME, 0L, 10))
                .isInstanceOf(FieldViolation.class);
    }
}
