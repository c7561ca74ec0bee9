package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.in.ChangeSinkCommand;
import io.stenographer.application.port.in.CreateSinkCommand;
import io.stenographer.application.port.in.DeliverStreamsUseCase.DeliveryPass;
import io.stenographer.application.port.in.ReplaySinkCommand;
import io.stenographer.application.port.in.SinkQuery;
import io.stenographer.application.port.in.SinkStatus;
import io.stenographer.application.port.out.SendStreamRecordsPort;
import io.stenographer.application.service.fakes.InMemoryArchiveCatalog;
import io.stenographer.application.service.fakes.TestSegments;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.InMemorySinks;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkMessages;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkState;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.sink.WebhookSecret;
import io.stenographer.domain.stream.StreamLine;
import io.stenographer.domain.stream.StreamVerification;
import io.stenographer.domain.stream.StreamVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeliverStreamsServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    private static final String WORKER = "instance-a/0";

    private final SplittableRandom random = new SplittableRandom(16);
    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final InMemoryEventStore audit = new InMemoryEventStore(transactions);
    private final InMemorySinks sinks = new InMemorySinks(clock);
    private final InMemoryArchive archive = new InMemoryArchive(clock);
    private final InMemoryArchiveCatalog catalog = new InMemoryArchiveCatalog(transactions, log);
    private final ArchivedEventReader archived = new ArchivedEventReader(catalog, archive, log);
    private final SelfAudit selfAudit = new SelfAudit(audit, clock, random, StoredIdentifiers.AS_GIVEN);
    private final ScriptedReceiver receiver = new ScriptedReceiver();
    private final DeliverStreamsService delivery = new DeliverStreamsService(sinks, log, archived, receiver, selfAudit,
            transactions, clock, DeliverStreamsService.Limits.DEFAULTS);
    private final ManageSinksService manage = new ManageSinksService(sinks, log, archived, selfAudit, transactions,
            clock, random);
    private final Caller admin = caller("ciso", Role.COMPLIANCE_ADMIN, ACME);

    /** Records every batch it is sent; answers from a script, then "delivered". */
    static final class ScriptedReceiver implements SendStreamRecordsPort {
        final List<StreamBatch> attempts = new ArrayList<>();
        final List<StreamBatch> acknowledged = new ArrayList<>();
        final Deque<Outcome> script = new ArrayDeque<>();

        @Override
        public Outcome send(Sink sink, List<WebhookSecret> secrets, StreamBatch batch) {
            attempts.add(batch);
            Outcome outcome = script.isEmpty() ? new Delivered() : script.poll();
            if (outcome instanceof Delivered) {
                acknowledged.add(batch);
            }
            return outcome;
        }

        /** What a receiver captured, one line per record, in the sink's format. */
        List<String> capture(Sink sink) {
            SinkMessages messages = SinkMessages.of(sink);
            List<String> lines = new ArrayList<>();
            for (StreamBatch batch : acknowledged) {
                for (StreamLine line : batch.lines()) {
                    lines.add(messages.render(line));
                }
            }
            return lines;
        }
    }

    private void ingest(int count, boolean publish) {
        for (int i = 0; i < count; i++) {
            AuditEvent event = TestEvents.event(ACME, "case.view", "C-" + i, clock.instant(), random);
            log.append(event);
        }
        if (publish) {
            log.publishCheckpoint(ACME, clock.instant());
        }
    }

    private SinkStatus create(Long startIndex, SinkSettings settings, SinkFormat format) {
        return manage.create(new CreateSinkCommand(admin, ACME, "siem", new SinkTarget.Syslog(new HostPort(
                "siem.example", 6514)), format, settings, List.of(), startIndex));
    }

    private static SinkSettings settings(int batch, int checkpointEvery) {
        return new SinkSettings(batch, checkpointEvery, Duration.ofSeconds(10), Duration.ofMinutes(10), 65_536, null);
    }

    private StreamVerification verify(Sink sink, StreamVerifier.Format format) {
        StreamVerifier verifier = new StreamVerifier(KeySet.single(log.signer().verifier()),
                "stenographer.test/acme", format);
        receiver.capture(sink).forEach(verifier::accept);
        return verifier.finish();
    }

    private SinkStatus status(SinkId id) {
        return manage.get(new SinkQuery(admin, id));
    }

    @Test
    void deliversTheWholeLogInIndexOrderWithCheckpointRecordsThatProveEveryEvent() {
        ingest(7, true);
        ingest(5, true);
        ingest(9, true);
        Sink sink = create(0L, settings(4, 6), SinkFormat.NATIVE).sink();

        DeliveryPass pass = delivery.deliver(WORKER, 4);

        assertThat(pass.records()).isEqualTo(21);
        List<Long> indices = receiver.acknowledged.stream().flatMap(b -> b.events().stream()).map(e -> e.index())
                .toList();
        assertThat(indices).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 21).boxed().toList());
        // Every checkpoint record ends on a signed checkpoint and starts where the previous one ended.
        List<long[]> ranges = receiver.acknowledged.stream().flatMap(b -> b.checkpoint().stream())
                .map(c -> new long[] {c.fromIndex(), c.toIndex()}).toList();
        assertThat(ranges).extracting(r -> r[0] + "-" + r[1]).containsExactly("0-7", "7-12", "12-21");
        StreamVerification verification = verify(sink, StreamVerifier.Format.NATIVE);
        assertThat(verification.ok()).as(verification.failures().toString()).isTrue();
        assertThat(verification.provenEvents()).isEqualTo(21);
        SinkStatus status = status(sink.id());
        assertThat(status.progress().cursor()).isEqualTo(21);
        assertThat(status.progress().delivered()).isEqualTo(21);
        assertThat(status.lagEvents()).isZero();
    }

    @Test
    void purgedEventsAreReadBackFromTheirCheckedArchiveSegmentAndAnIndexPastRetentionStopsTheSink() {
        ingest(6, true);
        TestSegments segments = new TestSegments(transactions, log, archive, catalog);
        var manifest = segments.archive(ACME, 0, 4, NOW.plus(Duration.ofDays(365)), NOW);
        List<io.stenographer.domain.event.EventId> purgeable = transactions.inTransaction(
                () -> log.leaves(ACME, 0, 4).stream().map(leaf -> leaf.eventId()).toList());
        transactions.inTransaction(() -> catalog.purge(ACME, purgeable));
        Sink sink = create(0L, settings(10, 1), SinkFormat.NATIVE).sink();

        delivery.deliver(WORKER, 1);

        StreamVerification verification = verify(sink, StreamVerifier.Format.NATIVE);
        assertThat(verification.ok()).as(verification.failures().toString()).isTrue();
        assertThat(verification.provenEvents()).isEqualTo(6);

        // Once the segment is deleted at the end of its retention, index 0 can no longer be replayed.
        transactions.inTransaction(() -> {
            catalog.recordSegmentDeletion(manifest.objectKey(), NOW, java.util.UUID.randomUUID());
            return null;
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> manage.replay(new ReplaySinkCommand(admin,
                sink.id(), 0))).isInstanceOf(io.stenographer.application.port.in.SinkConflict.class)
                .hasMessageContaining("past retention");
        assertThat(manage.replay(new ReplaySinkCommand(admin, sink.id(), 4)).progress().cursor()).isEqualTo(4);
    }

    @Test
    void onlyPublishedEventsAreDelivered() {
        ingest(3, true);
        ingest(4, false);
        Sink sink = create(0L, settings(100, 1), SinkFormat.NATIVE).sink();

        delivery.deliver(WORKER, 1);

        assertThat(status(sink.id()).progress().cursor()).isEqualTo(3);
        assertThat(receiver.acknowledged).hasSize(1);
        assertThat(receiver.acknowledged.get(0).checkpoint()).hasValueSatisfying(c -> assertThat(c.toIndex())
                .isEqualTo(3));
    }

    @Test
    void aSinkThatStartsInTheMiddleOfTheLogCanStillProveWhatItReceived() {
        ingest(11, true);
        ingest(6, true);
        Sink sink = create(5L, settings(50, 1), SinkFormat.OCSF).sink();

        delivery.deliver(WORKER, 1);

        assertThat(receiver.acknowledged.get(0).checkpoint().orElseThrow().fromIndex()).isEqualTo(5);
        StreamVerification verification = verify(sink, StreamVerifier.Format.OCSF);
        assertThat(verification.ok()).as(verification.failures().toString()).isTrue();
        assertThat(verification.events()).isEqualTo(12);
        assertThat(verification.provenEvents()).isEqualTo(12);
    }

    @Test
    void aFailedAttemptKeepsTheCursorAndTheRetrySendsTheSameBatchUnderTheSameId() {
        ingest(5, true);
        Sink sink = create(0L, settings(10, 1), SinkFormat.NATIVE).sink();
        receiver.script.add(new SendStreamRecordsPort.Failed("connection refused"));

        DeliveryPass failed = delivery.deliver(WORKER, 1);
        ingest(3, true); // new events must not change the batch being retried
        DeliveryPass tooEarly = delivery.deliver(WORKER, 1);
        clock.advance(Duration.ofSeconds(1));
        DeliveryPass retried = delivery.deliver(WORKER, 1);

        assertThat(failed.failures()).isEqualTo(1);
        assertThat(tooEarly.sinks()).as("the backoff holds the retry back").isZero();
        assertThat(retried.batches()).isGreaterThanOrEqualTo(1);
        StreamBatch first = receiver.attempts.get(0);
        StreamBatch retry = receiver.attempts.get(1);
        assertThat(retry.messageId()).isEqualTo(first.messageId());
        assertThat(retry).isEqualTo(first);
        SinkStatus status = status(sink.id());
        assertThat(status.progress().failed()).isEqualTo(1);
        assertThat(status.progress().lastError()).isEqualTo("connection refused");
        assertThat(status.progress().failingSince()).isNull();
        assertThat(status.progress().cursor()).isEqualTo(8);
    }

    @Test
    void backoffDoublesUpToItsLimit() {
        assertThat(delivery.backoff(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(delivery.backoff(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(delivery.backoff(40)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aSinkThatKeepsFailingPastItsDeadAfterTimeIsDeadAndSaysSoInTheLog() {
        ingest(2, true);
        Sink sink = create(0L, settings(10, 1), SinkFormat.NATIVE).sink();
        for (int i = 0; i < 30; i++) {
            receiver.script.add(new SendStreamRecordsPort.Failed("HTTP 503"));
        }
        for (int i = 0; i < 30 && status(sink.id()).sink().state() == SinkState.ACTIVE; i++) {
            delivery.deliver(WORKER, 1);
            clock.advance(Duration.ofMinutes(5));
        }

        SinkStatus status = status(sink.id());
        assertThat(status.sink().state()).isEqualTo(SinkState.DEAD);
        assertThat(status.progress().cursor()).isZero();
        assertThat(audit.committed()).anySatisfy(event -> {
            assertThat(event.content().action().value()).isEqualTo("stream.sink.dead");
            assertThat(io.stenographer.domain.json.CanonicalJson.canonicalize(event.content().metadata())).contains("HTTP 503");
        });
        int attempts = receiver.attempts.size();
        clock.advance(Duration.ofHours(1));
        assertThat(delivery.deliver(WORKER, 1).sinks()).as("a dead sink is not delivered").isZero();

        receiver.script.clear(); // the receiver is back
        manage.resume(new ChangeSinkCommand(admin, sink.id()));
        delivery.deliver(WORKER, 1);
        assertThat(receiver.attempts).hasSize(attempts + 1);
        assertThat(status(sink.id()).progress().cursor()).isEqualTo(2);
    }

    @Test
    void aGoneReceiverDisablesTheSink() {
        ingest(2, true);
        Sink sink = create(0L, settings(10, 1), SinkFormat.NATIVE).sink();
        receiver.script.add(new SendStreamRecordsPort.Gone("HTTP 410 Gone"));

        delivery.deliver(WORKER, 1);

        assertThat(status(sink.id()).sink().state()).isEqualTo(SinkState.DISABLED);
        assertThat(audit.committed()).anySatisfy(event -> assertThat(event.content().action().value())
                .isEqualTo("stream.sink.disabled"));
    }

    @Test
    void aReplayDeliversAgainFromItsIndexUnderNewMessageIdsAndStillVerifies() {
        ingest(6, true);
        Sink sink = create(0L, settings(10, 1), SinkFormat.NATIVE).sink();
        delivery.deliver(WORKER, 1);
        String firstId = receiver.acknowledged.get(0).messageId();

        manage.replay(new ReplaySinkCommand(admin, sink.id(), 2));
        delivery.deliver(WORKER, 1);

        StreamBatch replayed = receiver.acknowledged.get(receiver.acknowledged.size() - 1);
        assertThat(replayed.fromIndex()).isEqualTo(2);
        assertThat(replayed.messageId()).isNotEqualTo(firstId);
        assertThat(replayed.checkpoint().orElseThrow().fromIndex()).isEqualTo(2);
        StreamVerification verification = verify(sink, StreamVerifier.Format.NATIVE);
        assertThat(verification.ok()).as(verification.failures().toString()).isTrue();
        assertThat(verification.duplicates()).isEqualTo(4);
    }

    @Test
    void aWorkerThatLostItsLeaseToAnAdminChangeMovesNothing() {
        ingest(4, true);
        Sink sink = create(0L, settings(10, 1), SinkFormat.NATIVE).sink();
        SendStreamRecordsPort pausing = new SendStreamRecordsPort() {
            @Override
            public Outcome send(Sink s, List<WebhookSecret> secrets, StreamBatch batch) {
                manage.pause(new ChangeSinkCommand(admin, sink.id())); // while the batch is on the wire
                return new Delivered();
            }
        };
        DeliverStreamsService racing = new DeliverStreamsService(sinks, log, archived, pausing, selfAudit,
                transactions, clock, DeliverStreamsService.Limits.DEFAULTS);

        racing.deliver(WORKER, 1);

        SinkStatus status = status(sink.id());
        assertThat(status.sink().state()).isEqualTo(SinkState.PAUSED);
        assertThat(status.progress().cursor()).isZero();
        assertThat(status.progress().delivered()).isZero();
    }

    @Test
    void aCaughtUpSinkGetsACheckpointRecordWhenItsTimeComes() {
        ingest(3, true);
        Sink sink = create(0L, new SinkSettings(10, 1000, Duration.ofSeconds(10), Duration.ofMinutes(10), 65_536,
                null), SinkFormat.NATIVE).sink();
        delivery.deliver(WORKER, 1);
        assertThat(receiver.acknowledged.get(0).checkpoint()).as("the first batch carries the checkpoint its records"
                + " fall under").hasValueSatisfying(c -> assertThat(c.toIndex()).isEqualTo(3));
        ingest(2, true);
        clock.advance(Duration.ofSeconds(1));
        delivery.deliver(WORKER, 1);
        assertThat(receiver.acknowledged.get(1).checkpoint()).as("neither records nor time due").isEmpty();

        clock.advance(Duration.ofSeconds(10));
        delivery.deliver(WORKER, 1);

        StreamBatch checkpointOnly = receiver.acknowledged.get(2);
        assertThat(checkpointOnly.events()).isEmpty();
        assertThat(checkpointOnly.checkpoint().orElseThrow().fromIndex()).isEqualTo(3);
        assertThat(checkpointOnly.checkpoint().orElseThrow().toIndex()).isEqualTo(5);
        assertThat(verify(sink, StreamVerifier.Format.NATIVE).provenEvents()).isEqualTo(5);
    }
}
