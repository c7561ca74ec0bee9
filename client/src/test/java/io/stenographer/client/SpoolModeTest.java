package io.stenographer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPOOL mode against {@link FakeAuditService}: events on disk first, delivered in order, and across restarts. */
class SpoolModeTest {

    private final FakeAuditService service = new FakeAuditService();

    @TempDir
    Path spoolDirectory;

    @AfterEach
    void stop() {
        service.close();
    }

    private AuditClient.Builder spooling() {
        return service.client().queueFullPolicy(QueueFullPolicy.SPOOL).spoolDirectory(spoolDirectory);
    }

    @Test
    void eventsAreSpooledThenDeliveredInOrderAndAcknowledged() throws Exception {
        List<CompletableFuture<Receipt>> futures = new ArrayList<>();
        try (AuditClient client = spooling().batchSize(7).build()) {
            for (int i = 0; i < 30; i++) {
                futures.add(client.log(Event.builder("case.view").actor("u").clientEventId("k-" + i).build()));
            }
            for (CompletableFuture<Receipt> future : futures) {
                future.get(20, TimeUnit.SECONDS);
            }
            assertThat(client.metrics().spooled()).isEqualTo(30);
            assertThat(client.metrics().sent()).isEqualTo(30);
            futures.get(29).get().verify();
        }
        List<String> sentInOrder = service.batchKeys.stream().flatMap(List::stream).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add("k-" + i);
        }
        assertThat(sentInOrder).isEqualTo(expected);
        assertThat(service.batchKeys).allMatch(batch -> batch.size() <= 7);
        assertThat(Files.readString(spoolDirectory.resolve(Spool.ACKNOWLEDGED)).trim()).isEqualTo("30");
        assertThat(spoolDirectory.resolve(TrustedLog.STATE_FILE)).as("the monitor's state lives in the spool too")
                .exists();
    }

    @Test
    void aRefusalOfTheWholeBatchKeepsTheEventsSpooledUntilTheServiceTakesThem() throws Exception {
        service.scriptedStatuses.addAll(List.of(401, 500));
        try (AuditClient client = spooling().build()) {
            Receipt receipt = client.log(Event.builder("case.view").actor("u").clientEventId("k-1").build())
                    .get(20, TimeUnit.SECONDS);
            assertThat(receipt.clientEventId()).isEqualTo("k-1");
            assertThat(client.metrics().rejected()).isZero();
        }
        assertThat(service.batchKeys).hasSize(3).allMatch(keys -> keys.equals(List.of("k-1")));
        assertThat(service.recordedEvents()).isEqualTo(1);
    }

    @Test
    void aServiceThatStaysAwayIsLoggedOnItsFirstFailureAndThenRarely() throws Exception {
        for (int i = 0; i < 8; i++) {
            service.scriptedStatuses.add(503);
        }
        List<java.util.logging.LogRecord> warnings = new CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel() == java.util.logging.Level.WARNING) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(AuditClient.class.getName());
        logger.addHandler(capture);
        try (AuditClient client = spooling().build()) {
            assertThat(client.log(Event.builder("case.view").actor("u").clientEventId("k-1").build())
                    .get(20, TimeUnit.SECONDS).clientEventId()).isEqualTo("k-1");
        } finally {
            logger.removeHandler(capture);
        }
        // Eight refusals, then the answer: said on the 1st and the 8th, not on each of the eight.
        assertThat(warnings).extracting(java.util.logging.LogRecord::getMessage).containsExactly(
                "delivering a spooled batch of 1 events failed 1 time(s) in a row (HTTP 503); they stay in the spool"
                        + " and are sent again",
                "delivering a spooled batch of 1 events failed 8 time(s) in a row (HTTP 503); they stay in the spool"
                        + " and are sent again");
        assertThat(java.util.stream.IntStream.rangeClosed(1, 100).filter(AuditClient::isWorthSaying).boxed())
                .containsExactly(1, 8, 16, 32, 64);
    }

    @Test
    void anAnswerThatLeavesAnEventOutKeepsItSpooledAndItIsSentAgain() throws Exception {
        service.answersLeavingOutTheLastItem.set(1);
        try (AuditClient client = spooling().batchSize(2).linger(java.time.Duration.ofSeconds(5)).build()) {
            var first = client.log(Event.builder("case.view").actor("u").clientEventId("k-1").build());
            var second = client.log(Event.builder("case.view").actor("u").clientEventId("k-2").build());

            // The first answer said nothing about k-2: not failed, not deleted, but sent again with k-1.
            assertThat(second.get(20, TimeUnit.SECONDS).clientEventId()).isEqualTo("k-2");
            assertThat(first.get(20, TimeUnit.SECONDS).clientEventId()).isEqualTo("k-1");
            assertThat(client.metrics().failed()).isZero();
        }
        assertThat(service.batchKeys).hasSize(2).allMatch(keys -> keys.equals(List.of("k-1", "k-2")));
        assertThat(service.recordedEvents()).isEqualTo(2);
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheSenderAndTheEventIsReadAgain() throws Exception {
        service.lie = FakeAuditService.Lie.WRONG_LEAF_HASH_IN_RECEIPT;
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        try (AuditClient client = spooling().integrityListener(violation -> {
            if (told.incrementAndGet() == 1) {
                throw new IllegalStateException("a pager that is down");
            }
        }).build()) {
            var tampered = client.log(Event.builder("case.view").actor("u").clientEventId("k-1").build());
            assertThatThrownBy(() -> tampered.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(LogIntegrityException.class);
            service.lie = FakeAuditService.Lie.NONE;

            // The sender lives on: a later event is delivered.
            assertThat(client.log(Event.builder("case.view").actor("u").clientEventId("k-2").build())
                    .get(20, TimeUnit.SECONDS).clientEventId()).isEqualTo("k-2");
        }
        assertThat(told).hasValue(2);
    }

    @Test
    void aSecondClientOnTheSameSpoolDirectoryIsRefused() {
        try (AuditClient first = spooling().build()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> spooling().build())
                    .isInstanceOf(AuditClientException.class).hasMessageContaining("in use by another client");
        }
        spooling().build().close(); // free again once the first is closed
    }

    @Test
    void whatTheServiceNeverTookIsDeliveredByTheNextRunUnderTheSameKeys() throws Exception {
        for (int i = 0; i < 100_000; i++) {
            service.scriptedStatuses.add(503);
        }
        List<CompletableFuture<Receipt>> abandoned = new ArrayList<>();
        List<String> reportedLost = new CopyOnWriteArrayList<>();
        try (AuditClient away = spooling().closeTimeout(Duration.ofMillis(300))
                .failureListener((key, reason) -> reportedLost.add(key)).build()) {
            for (int i = 0; i < 12; i++) {
                abandoned.add(away.log(Event.builder("case.view").actor("u").clientEventId("k-" + i).build()));
            }
            assertThat(away.metrics().spooled()).as("log() returned only once each event was on disk").isEqualTo(12);
        }
        for (CompletableFuture<Receipt> future : abandoned) {
            assertThat(future).isCompletedExceptionally();
            try {
                future.get();
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOfSatisfying(DeliveryFailedException.class,
                        failure -> assertThat(failure.keptInSpool()).isTrue())
                        .hasMessageContaining("stay in the spool");
            }
        }
        assertThat(reportedLost).as("events safe in the spool are not reported as lost").isEmpty();
        service.scriptedStatuses.clear();

        Set<String> delivered = ConcurrentHashMap.newKeySet();
        List<String> refused = new CopyOnWriteArrayList<>();
        try (AuditClient next = spooling().spoolListener(new SpoolListener() {
            @Override
            public void delivered(Receipt receipt) {
                delivered.add(receipt.clientEventId());
            }

            @Override
            public void failed(String clientEventId, AuditClientException reason) {
                refused.add(clientEventId);
            }
        }).build()) {
            Receipt fresh = next.log(Event.builder("case.view").actor("u").clientEventId("k-new").build())
                    .get(20, TimeUnit.SECONDS);
            assertThat(fresh.clientEventId()).isEqualTo("k-new");
        }

        assertThat(delivered).hasSize(12).allMatch(key -> key.matches("k-\\d+"));
        assertThat(refused).isEmpty();
        assertThat(service.recordedEvents()).as("each once: the earlier attempts were all refused with 503")
                .isEqualTo(13);
        List<String> lastRun = service.batchKeys.get(service.batchKeys.size() - 1);
        assertThat(lastRun.get(lastRun.size() - 1)).as("recovered events go first, then the new one")
                .isEqualTo("k-new");
    }
}
