package io.stenographer.application.service;

import io.stenographer.application.port.in.EventPastRetention;
import io.stenographer.application.port.out.CatalogSegmentsPort.ArchivedEventRef;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryArchiveCatalog;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.application.service.fakes.TestSegments;
import io.stenographer.domain.archive.SegmentCodec;
import io.stenographer.domain.archive.SegmentEntry;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.merkle.Hash;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArchivedEventReaderTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private final SplittableRandom random = new SplittableRandom(5);
    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final InMemoryArchiveCatalog catalog = new InMemoryArchiveCatalog(transactions, log);
    private final InMemoryArchive archive = new InMemoryArchive(new MutableClock(NOW));
    private final ArchivedEventReader reader = new ArchivedEventReader(catalog, archive, log);
    private final List<AuditEvent> logged = new ArrayList<>();
    private final SegmentManifest manifest;

    ArchivedEventReaderTest() {
        for (int i = 0; i < 3; i++) {
            AuditEvent event = TestEvents.event(ACME, "case.view", "C-" + i, NOW.minus(Duration.ofDays(60)), random);
            log.append(event);
            logged.add(event);
        }
        manifest = new TestSegments(transactions, log, archive, catalog)
                .archive(ACME, 0, 3, NOW.plus(Duration.ofDays(365)), NOW);
    }

    private List<AuditEvent> read(AuditEvent... events) {
        return transactions.inTransaction(() -> reader.read(List.of(events).stream()
                .map(e -> catalog.archivedEvent(e.id()).orElseThrow()).toList()));
    }

    @Test
    void returnsTheArchivedEventsInTheOrderAsked() {
        assertThat(read(logged.get(2), logged.get(0))).containsExactly(logged.get(2), logged.get(0));
    }

    @Test
    void aSegmentWhoseBytesChangedIsAnIntegrityViolation() {
        // Still a well-formed segment, but with the last event dropped: the SHA-256 no longer matches.
        List<SegmentEntry> entries = SegmentCodec.decode(new ByteArrayInputStream(archive.bytes(manifest.objectKey())));
        archive.corrupt(manifest.objectKey(), SegmentCodec.encode(entries.subList(0, 2)));

        assertThatThrownBy(() -> read(logged.get(0))).isInstanceOf(LogIntegrityViolation.class)
                .hasMessageContaining(manifest.objectKey()).hasMessageContaining("SHA-256");
    }

    @Test
    void anArchivedEventThatNoLongerMatchesTheTreeIsAnIntegrityViolation() {
        log.replaceLeafHash(ACME, 1, new Hash(new byte[32]));

        assertThatThrownBy(() -> read(logged.get(0))).isInstanceOf(LogIntegrityViolation.class)
                .hasMessageContaining("index 1").hasMessageContaining("the log's tree holds");
    }

    @Test
    void anEventOfADeletedSegmentIsPastRetention() {
        transactions.inTransaction(() -> {
            catalog.recordSegmentDeletion(manifest.objectKey(), NOW, UUID.randomUUID());
            return null;
        });

        assertThatThrownBy(() -> read(logged.get(1))).isInstanceOf(EventPastRetention.class)
                .satisfies(e -> assertThat(((EventPastRetention) e).id()).isEqualTo(logged.get(1).id()));
    }

    @Test
    void aReferenceToAnEventTheSegmentDoesNotHoldIsAnIntegrityViolation() {
        ArchivedEventRef real = transactions.inTransaction(() -> catalog.archivedEvent(logged.get(0).id()))
                .orElseThrow();
        ArchivedEventRef stranger = new ArchivedEventRef(ACME, 0,
                TestEvents.event(ACME, "case.view", "C-9", NOW, random).id(), real.leafHash(), real.segmentKey());

        assertThatThrownBy(() -> transactions.inTransaction(() -> reader.read(List.of(stranger))))
                .isInstanceOf(LogIntegrityViolation.class).hasMessageContaining("does not hold event");
    }
}
