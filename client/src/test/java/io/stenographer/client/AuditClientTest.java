package io.stenographer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against {@link FakeAuditService}: batching, retries, failure modes, and every lie it must catch. */
class AuditClientTest {

    private final FakeAuditService service = new FakeAuditService();
    private final List<LogIntegrityException> alerts = new CopyOnWriteArrayList<>();
    private final List<AuditClientException> failures = new CopyOnWriteArrayList<>();
    private AuditClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        service.close();
    }

    private AuditClient start(AuditClient.Builder builder) {
        client = builder.integrityListener(alerts::add).failureListener((key, reason) -> failures.add(reason)).build();
        return client;
    }

    private static Receipt receiptOf(CompletableFuture<Receipt> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<Receipt> future) throws Exception {
        try {
            future.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the event was recorded; a failure was expected");
    }

    @Test
    void logsEventsVerifiesTheirProofsAndFollowsTheLogWithConsistencyProofs() throws Exception {
        start(service.client());
        Receipt first = receiptOf(client.logEvent("officer-17", "case.view", Map.of("caseId", "C-1")));
        Receipt.Inclusion firstInclusion = first.verify();
        List<Receipt> more = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            more.add(receiptOf(client.log(Event.builder("case.export").actor("officer-17")
                    .resource("case", "C-" + i).reason("FOIA request " + i).build())));
        }
        Receipt.Inclusion last = more.get(5).verify();

        assertThat(first.submittedBy()).isEqualTo(FakeAuditService.SUBMITTER);
        assertThat(first.duplicate()).isFalse();
        assertThat(firstInclusion.leafIndex()).isZero();
        assertThat(last.leafIndex()).isEqualTo(6);
        assertThat(last.treeSize()).isEqualTo(7);
        assertThat(client.lastVerifiedCheckpoint()).contains(last.signedCheckpoint());
        assertThat(client.checkLog().treeSize()).isEqualTo(7);
        assertThat(client.metrics().sent()).isEqualTo(7);
        assertThat(service.authorizations).allMatch(header -> header.equals("Bearer token-1"));
        assertThat(alerts).isEmpty();
    }

    @Test
    void aFullBatchIsSentWithoutWaitingForTheLinger() throws Exception {
        start(service.client().batchSize(3).linger(Duration.ofSeconds(60)));
        List<CompletableFuture<Receipt>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            futures.add(client.logEvent("u-" + i, "case.view"));
        }
        for (CompletableFuture<Receipt> future : futures) {
            receiptOf(future); // within 20 s, although the linger is an hour
        }
        assertThat(service.batchKeys).hasSize(1);
        assertThat(service.batchKeys.get(0)).hasSize(3);
    }

    @Test
    void flushSendsWithoutLingeringAndReturnsOnceEachEarlierEventHasItsOutcome() {
        start(service.client().batchSize(256).linger(Duration.ofSeconds(60)));
        List<CompletableFuture<Receipt>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(client.logEvent("u-" + i, "case.view"));
        }
        futures.add(client.logEvent("u-5", "Not An Action"));

        client.flush(Duration.ofSeconds(20));

        assertThat(futures).allMatch(CompletableFuture::isDone);
        assertThat(futures.subList(0, 5)).noneMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(futures.get(5)).isCompletedExceptionally();
    }

    @Test
    void aLoneEventIsSentWhenTheLingerEnds() throws Exception {
        start(service.client().batchSize(256).linger(Duration.ofMillis(100)));
        receiptOf(client.logEvent("u-1", "case.view"));
        assertThat(service.batchKeys).containsExactly(List.of(service.batchKeys.get(0).get(0)));
    }

    @Test
    void batchesStayUnderTheByteLimit() throws Exception {
        start(service.client().batchSize(100).maxBatchBytes(4_096).linger(Duration.ofMillis(200)));
        String padding = "x".repeat(900);
        List<CompletableFuture<Receipt>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            futures.add(client.logEvent("u-" + i, "case.view", Map.of("note", padding)));
        }
        for (CompletableFuture<Receipt> future : futures) {
            receiptOf(future);
        }
        assertThat(service.batchBytes).allMatch(bytes -> bytes <= 4_096);
        assertThat(service.batchKeys.stream().mapToInt(List::size).sum()).isEqualTo(12);
        assertThat(service.batchKeys).hasSizeGreaterThan(3);
    }

    @Test
    void transientFailuresAreRetriedUnderTheSameKeysAndRetryAfterIsHonoured() throws Exception {
        service.scriptedStatuses.addAll(List.of(503, 429, 502));
        service.retryAfter = "1";
        start(service.client());

        Receipt receipt = receiptOf(client.logEvent("u-1", "case.view"));

        assertThat(service.batchKeys).hasSize(4);
        assertThat(new HashSet<>(service.batchKeys)).hasSize(1);
        assertThat(service.batchKeys.get(0)).containsExactly(receipt.clientEventId());
        for (int i = 1; i < 4; i++) {
            assertThat(Duration.between(service.batchArrivals.get(i - 1), service.batchArrivals.get(i)))
                    .as("the wait before attempt %d", i + 1).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        }
        assertThat(client.metrics().retried()).isEqualTo(3);
        assertThat(service.recordedEvents()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 409, 413, 500})
    void refusalsAreNeverRetriedAndReachTheCaller(int status) throws Exception {
        service.scriptedStatuses.add(status);
        start(service.client());

        Throwable failure = failureOf(client.logEvent("u-1", "case.view"));

        assertThat(failure).isInstanceOf(EventRejectedException.class);
        assertThat(((EventRejectedException) failure).status()).isEqualTo(status);
        assertThat(service.batchKeys).hasSize(1);
        assertThat(client.metrics().rejected()).isEqualTo(1);
    }

    @Test
    void aBatchTooLargeForTheServiceIsSplitAndEveryEventStillArrives() throws Exception {
        service.scriptedStatuses.add(413);
        start(service.client().batchSize(4).linger(Duration.ofSeconds(60)));
        List<CompletableFuture<Receipt>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.add(client.logEvent("u-" + i, "case.view"));
        }
        for (CompletableFuture<Receipt> future : futures) {
            receiptOf(future);
        }
        assertThat(service.batchKeys).extracting(List::size).containsExactly(4, 2, 2);
        assertThat(service.recordedEvents()).isEqualTo(4);
    }

    @Test
    void aServiceAwayPastTheDeliveryTimeoutFailsTheEventLoudly() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            service.scriptedStatuses.add(503);
        }
        start(service.client().deliveryTimeout(Duration.ofMillis(300)));

        Throwable failure = failureOf(client.logEvent("u-1", "case.view"));

        assertThat(failure).isInstanceOf(DeliveryFailedException.class).hasMessageContaining("HTTP 503");
        assertThat(client.metrics().failed()).isEqualTo(1);
        assertThat(client.metrics().retried()).isPositive();
    }

    /**
     * The key and time the client chose for an event travel with its delivery failure, so that logging it again
     * sends the same event: the original would get a new key and time, and an event whose answer was lost would be
     * recorded twice (or refused as a conflict).
     */
    @Test
    void anUndeliveredEventCanBeLoggedAgainExactlyAsSent() throws Exception {
        service.recordThenLoseAnswers.set(1);
        for (int i = 0; i < 1_000; i++) {
            service.scriptedStatuses.add(503);
        }
        // Both events in one batch, whatever the timing: it is cut when the second arrives.
        start(service.client().batchSize(2).linger(Duration.ofSeconds(30)).deliveryTimeout(Duration.ofMillis(300)));
        CompletableFuture<Receipt> first = client.logEvent("u-1", "case.view");
        CompletableFuture<Receipt> second = client.log(Event.builder("case.edit").actor("u-2")
                .clientEventId("app-key-2").build());

        DeliveryFailedException firstFailure = (DeliveryFailedException) failureOf(first);
        DeliveryFailedException secondFailure = (DeliveryFailedException) failureOf(second);
        assertThat(firstFailure.clientEventId()).startsWith("c-").isNotEqualTo(secondFailure.clientEventId());
        assertThat(secondFailure.clientEventId()).isEqualTo("app-key-2");
        assertThat(service.batchKeys.get(0)).containsExactly(firstFailure.clientEventId(), "app-key-2");
        assertThat(firstFailure.eventAsSent().occurredAt).isNotNull();
        assertThat(service.recordedEvents()).as("the first attempt was recorded, its answer lost").isEqualTo(2);

        service.scriptedStatuses.clear();
        CompletableFuture<Receipt> firstAgain = client.log(firstFailure.eventAsSent());
        CompletableFuture<Receipt> secondAgain = client.log(secondFailure.eventAsSent());
        Receipt again = receiptOf(firstAgain);
        receiptOf(secondAgain);

        assertThat(service.recordedEvents()).as("logged again, recorded once").isEqualTo(2);
        assertThat(again.clientEventId()).isEqualTo(firstFailure.clientEventId());
        List<List<JsonObject>> sent = service.batchEvents;
        assertThat(sent.get(sent.size() - 1)).as("the same bytes, time included").isEqualTo(sent.get(0));
        assertThat(failures).hasSize(2).allMatch(DeliveryFailedException.class::isInstance);
    }

    @Test
    void theSameKeyTwiceGetsTheFirstReceiptBackMarkedDuplicate() throws Exception {
        start(service.client());
        Event event = Event.builder("case.view").actor("u-1").clientEventId("order-4711")
                .occurredAt(Instant.parse("2026-12-06T10:15:30.123456Z")).build();
        Receipt first = receiptOf(client.log(event));
        Receipt again = receiptOf(client.log(event));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.eventId()).isEqualTo(first.eventId());
        assertThat(again.leafHash()).isEqualTo(first.leafHash());
        assertThat(service.recordedEvents()).isEqualTo(1);
    }

    @Test
    void anInvalidEventIsRefusedBeforeSendingWithTheServersMessage() throws Exception {
        start(service.client());
        FieldViolation servers = null;
        try {
            new Action("Case View");
        } catch (FieldViolation e) {
            servers = e;
        }

        FieldViolation expected = servers;
        assertThat(failureOf(client.logEvent("u-1", "Case View")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.field()).isEqualTo("action");
                    assertThat(e.detail()).isEqualTo(expected.detail());
                    assertThat(e.getMessage()).isEqualTo("action: " + e.detail());
                });
        assertThat(failureOf(client.logEvent("u-1", "case.view", Map.of("when", Instant.now()))))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.field()).isEqualTo("metadata.when"));
        assertThat(failureOf(client.log(Event.builder("case.view").build())))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.field()).startsWith("actor"));
        assertThatThrownBy(() -> client.logAndWait(Event.builder("Case View").actor("u").build()))
                .isInstanceOf(InvalidEventException.class);
        assertThat(service.batchKeys).isEmpty();
        assertThat(client.metrics().rejected()).isEqualTo(4);
        assertThat(failures).hasSize(4).allMatch(failure -> failure instanceof InvalidEventException);
    }

    /**
     * With the one delivery held at the service and batches of one event, the sender can take at most one more event
     * before it waits for the delivery slot, and the queue holds one: so within three more events, one is refused.
     */
    @Test
    void whenTheQueueIsFullFailThrowsAtOnce() throws Exception {
        service.gate = new CountDownLatch(1);
        start(service.client().queueCapacity(1).batchSize(1).maxInFlightBatches(1).queueFullPolicy(QueueFullPolicy.FAIL));
        List<CompletableFuture<Receipt>> accepted = new ArrayList<>();
        accepted.add(client.logEvent("u-1", "case.view"));
        assertThat(service.firstBatchArrived.await(20, TimeUnit.SECONDS)).isTrue();
        QueueFullException refused = null;
        for (int i = 2; i <= 4 && refused == null; i++) {
            try {
                accepted.add(client.logEvent("u-" + i, "case.view"));
            } catch (QueueFullException e) {
                refused = e;
            }
        }

        assertThat(refused).as("one of the next three events is refused").isNotNull();
        service.gate.countDown();
        for (CompletableFuture<Receipt> future : accepted) {
            receiptOf(future);
        }
        assertThat(client.metrics().failed()).isEqualTo(1);
        assertThat(failures).as("a refusal the caller saw is not reported again").isEmpty();
    }

    @Test
    void blockWaitsForRoomUntilItsTimeout() throws Exception {
        service.gate = new CountDownLatch(1);
        start(service.client().queueCapacity(1).batchSize(1).maxInFlightBatches(1).blockTimeout(Duration.ofMillis(300)));
        List<CompletableFuture<Receipt>> accepted = new ArrayList<>();
        accepted.add(client.logEvent("u-1", "case.view"));
        assertThat(service.firstBatchArrived.await(20, TimeUnit.SECONDS)).isTrue();
        QueueFullException refused = null;
        long waited = 0;
        for (int i = 2; i <= 4 && refused == null; i++) {
            long started = System.nanoTime();
            try {
                accepted.add(client.logEvent("u-" + i, "case.view"));
            } catch (QueueFullException e) {
                refused = e;
                waited = System.nanoTime() - started;
            }
        }

        assertThat(refused).isNotNull().hasMessageContaining("stayed full");
        assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        service.gate.countDown();
        for (CompletableFuture<Receipt> future : accepted) {
            receiptOf(future);
        }
    }

    @Test
    void closeDeliversWhatIsQueuedAndRefusesNewEvents() throws Exception {
        start(service.client().linger(Duration.ofSeconds(60)).batchSize(1_000));
        List<CompletableFuture<Receipt>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(client.logEvent("u-" + i, "case.view"));
        }
        client.close();
        for (CompletableFuture<Receipt> future : futures) {
            assertThat(future).isCompleted();
            receiptOf(future);
        }
        // A second close returns at once (it once waited the whole close timeout for slots the first had taken).
        CompletableFuture.runAsync(client::close).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> client.logEvent("u-9", "case.view")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeWithAZeroTimeoutGivesUpAtOnceAndSaysSo() throws Exception {
        for (int i = 0; i < 100_000; i++) {
            service.scriptedStatuses.add(503);
        }
        start(service.client().closeTimeout(Duration.ZERO));
        CompletableFuture<Receipt> waiting = client.logEvent("u-1", "case.view");
        assertThat(service.firstBatchArrived.await(20, TimeUnit.SECONDS)).isTrue();

        CompletableFuture.runAsync(client::close).get(30, TimeUnit.SECONDS);

        assertThat(failureOf(waiting)).isInstanceOf(DeliveryFailedException.class)
                .hasMessageContaining("closed");
    }

    /** Deliverers that take batches and never start them, as threads still busy when close() gives up. */
    private static final class NeverStarting extends AbstractExecutorService {
        private final List<Runnable> taken = new CopyOnWriteArrayList<>();
        private final boolean refuseAll;
        private volatile boolean shut;

        NeverStarting(boolean refuseAll) {
            this.refuseAll = refuseAll;
        }

        @Override
        public void execute(Runnable batch) {
            if (refuseAll || shut) {
                throw new RejectedExecutionException("shut down");
            }
            taken.add(batch);
        }

        @Override
        public List<Runnable> shutdownNow() {
            shut = true;
            List<Runnable> unstarted = List.copyOf(taken);
            taken.clear();
            return unstarted;
        }

        @Override
        public void shutdown() {
            shut = true;
        }

        @Override
        public boolean isShutdown() {
            return shut;
        }

        @Override
        public boolean isTerminated() {
            return shut;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    @Test
    void batchesHandedOverButNotStartedWhenCloseGivesUpFailAndAreReported() throws Exception {
        NeverStarting deliverers = new NeverStarting(false);
        start(service.client().batchSize(1).maxInFlightBatches(3).closeTimeout(Duration.ZERO)
                .deliveries(deliverers));
        List<CompletableFuture<Receipt>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            futures.add(client.logEvent("u-" + i, "case.view"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (deliverers.taken.size() < 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(deliverers.taken).hasSize(3);

        CompletableFuture.runAsync(client::close).get(30, TimeUnit.SECONDS);

        // They once stayed incomplete for ever, and no failure listener heard of them.
        for (CompletableFuture<Receipt> future : futures) {
            assertThat(failureOf(future)).isInstanceOf(DeliveryFailedException.class).hasMessageContaining("closed");
        }
        assertThat(failures).hasSize(3).allMatch(DeliveryFailedException.class::isInstance);
    }

    @Test
    void aBatchTheDeliverersRefuseFailsAndIsReported() throws Exception {
        start(service.client().batchSize(1).deliveries(new NeverStarting(true)));

        Throwable failure = failureOf(client.logEvent("u-1", "case.view"));

        // The sender once died of the refusal, and the event's future never completed.
        assertThat(failure).isInstanceOf(DeliveryFailedException.class).hasMessageContaining("closed");
        assertThat(failures).singleElement().isInstanceOf(DeliveryFailedException.class);
    }

    @Test
    void anEventTheJsonModelRefusesFailsAloneAndTheSenderGoesOn() throws Exception {
        start(service.client());
        String cutInsideAnEmoji = "case \uD83D";

        Throwable failure = failureOf(client.logEvent("u-1", "case.view", Map.of("title", cutInsideAnEmoji)));
        Receipt next = receiptOf(client.logEvent("u-2", "case.view"));

        assertThat(failure).isInstanceOf(InvalidEventException.class);
        assertThat(next.eventId()).isNotNull();
        assertThat(failures).singleElement().isInstanceOf(InvalidEventException.class);
    }

    @Test
    void anOlderCheckpointFromAProofIsAViewNotARollbackButTheLatestMustNotShrink() throws Exception {
        start(service.client());
        Receipt first = receiptOf(client.logEvent("u-1", "case.view"));
        receiptOf(client.logEvent("u-2", "case.view"));
        receiptOf(client.logEvent("u-3", "case.view")).verify();
        service.lie = FakeAuditService.Lie.ROLLBACK; // proofs against the size of their leaf, latest shrunk to 1

        assertThat(first.verify().treeSize()).as("a proof against an older, consistent checkpoint").isEqualTo(1);
        assertThat(alerts).isEmpty();
        assertThatThrownBy(client::checkLog).isInstanceOf(LogIntegrityException.LogRolledBack.class);
    }

    @Test
    void aReceiptWhoseLeafHashIsNotTheEventsIsCaught() throws Exception {
        service.lie = FakeAuditService.Lie.WRONG_LEAF_HASH_IN_RECEIPT;
        start(service.client());

        Throwable failure = failureOf(client.logEvent("u-1", "case.view"));

        assertThat(failure).isInstanceOf(LogIntegrityException.ReceiptMismatch.class);
        assertThat(alerts).containsExactly((LogIntegrityException) failure);
    }

    @Test
    void aBadInclusionProofIsCaught() throws Exception {
        start(service.client());
        client.logEvent("u-0", "case.view");
        Receipt receipt = receiptOf(client.logEvent("u-1", "case.view"));
        service.lie = FakeAuditService.Lie.BAD_INCLUSION_PROOF;

        assertThatThrownBy(receipt::verify).isInstanceOf(LogIntegrityException.InclusionFailed.class);
        assertThat(alerts).singleElement().isInstanceOf(LogIntegrityException.InclusionFailed.class);
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsCaught() throws Exception {
        start(service.client());
        Receipt receipt = receiptOf(client.logEvent("u-1", "case.view"));
        service.lie = FakeAuditService.Lie.FOREIGN_SIGNATURE;

        assertThatThrownBy(receipt::verify).isInstanceOf(LogIntegrityException.UntrustedCheckpoint.class)
                .hasMessageContaining("not signed by the pinned key");
        assertThat(alerts).singleElement().isInstanceOf(LogIntegrityException.UntrustedCheckpoint.class);
    }

    @Test
    void aForkedLogIsCaughtByTheConsistencyProof() throws Exception {
        start(service.client());
        receiptOf(client.logEvent("u-1", "case.view")).verify();
        receiptOf(client.logEvent("u-2", "case.view")).verify();
        Receipt later = receiptOf(client.logEvent("u-3", "case.view"));
        service.lie = FakeAuditService.Lie.FORK;

        assertThatThrownBy(later::verify).isInstanceOf(LogIntegrityException.LogForked.class);
        assertThat(alerts).singleElement().isInstanceOf(LogIntegrityException.LogForked.class);
    }

    @Test
    void aRolledBackLogIsCaughtEvenAfterARestartThroughTheStateDirectory(@TempDir Path state) throws Exception {
        start(service.client().stateDirectory(state));
        receiptOf(client.logEvent("u-1", "case.view"));
        receiptOf(client.logEvent("u-2", "case.view"));
        receiptOf(client.logEvent("u-3", "case.view")).verify();
        client.close();
        assertThat(Files.readString(state.resolve(TrustedLog.STATE_FILE))).contains("\n3\n");

        service.lie = FakeAuditService.Lie.ROLLBACK;
        alerts.clear();
        start(service.client().stateDirectory(state));

        assertThatThrownBy(client::checkLog).isInstanceOf(LogIntegrityException.LogRolledBack.class)
                .hasMessageContaining("already verified one with 3");
        assertThat(alerts).singleElement().isInstanceOf(LogIntegrityException.LogRolledBack.class);
    }

    @Test
    void verifyWaitsForIntegrationAndGivesUpAtItsTimeout() throws Exception {
        start(service.client());
        Receipt receipt = receiptOf(client.logEvent("u-1", "case.view"));
        Receipt forged = new Receipt(java.util.UUID.randomUUID(), io.stenographer.domain.merkle.Hash.fromHex(
                receipt.leafHash()), receipt.receivedAt(), receipt.submittedBy(), "k", false, client);

        assertThatThrownBy(() -> forged.verify(Duration.ofMillis(300)))
                .isInstanceOf(NotYetIntegratedException.class);
        assertThat(receipt.verify().leafIndex()).isZero();
    }

    @Test
    void configurationIsChecked() {
        assertThatThrownBy(() -> AuditClient.builder(java.net.URI.create("ftp://x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> service.client().batchSize(1_001)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> service.client().tenant("Not A Tenant")).hasMessageContaining("tenant");
        assertThatThrownBy(() -> AuditClient.builder(service.uri()).tenant("acme").tokens(() -> "t").build())
                .hasMessageContaining("application");
        assertThatThrownBy(() -> service.client().verifierKey("not a key"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
