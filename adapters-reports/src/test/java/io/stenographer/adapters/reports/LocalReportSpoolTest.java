package io.stenographer.adapters.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.SpoolReportEventsPort.Spool;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.log.LogLeaf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report's spool: the events come back as they went in, in order, as often as read; owner-only; then gone. */
class LocalReportSpoolTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");

    @TempDir
    Path root;

    private final SplittableRandom random = new SplittableRandom(5);

    private AuditEvent event(int i) {
        Instant at = NOW.plusMillis(i);
        return AuditEvent.record(EventId.newTimeOrdered(at, random), at, "svc-writer", new EventDraft(ACME,
                new Actor("user-" + i, ActorType.USER, i % 2 == 0 ? "李小龙" : "Иван Петров"), Action.of("case.view"),
                new ResourceRef("case", "C-" + i), i % 3 == 0 ? null : "why " + i, Outcome.SUCCESS, at,
                new Source("portal", "192.0.2." + (i % 200), "agent"), "corr-" + i,
                new JsonObject(Map.of("n", new JsonNumber(i), "nested", new JsonObject(Map.of("s",
                        new JsonString("x".repeat(i % 50)))))), null));
    }

    private static List<Object[]> readAll(Spool spool) throws Exception {
        List<Object[]> entries = new ArrayList<>();
        spool.forEach((leaf, event) -> entries.add(new Object[] {leaf, event}));
        return entries;
    }

    @Test
    void entriesComeBackInOrderAsWrittenEveryTimeTheyAreRead() throws Exception {
        LocalReportSpool spools = new LocalReportSpool(root);
        List<AuditEvent> events = new ArrayList<>();
        try (Spool spool = spools.create(ACME, UUID.randomUUID())) {
            for (int i = 0; i < 2_000; i++) {
                AuditEvent event = event(i);
                events.add(event);
                spool.append(new LogLeaf(ACME, 7L * i, event.id(), event.leafHash()), event);
            }
            spool.finishWriting();
            assertThat(spool.size()).isEqualTo(2_000);
            for (int pass = 0; pass < 2; pass++) {
                List<Object[]> entries = readAll(spool);
                assertThat(entries).hasSize(2_000);
                for (int i = 0; i < entries.size(); i++) {
                    LogLeaf leaf = (LogLeaf) entries.get(i)[0];
                    AuditEvent event = (AuditEvent) entries.get(i)[1];
                    assertThat(event).isEqualTo(events.get(i));
                    assertThat(event.leafHash()).isEqualTo(events.get(i).leafHash());
                    assertThat(leaf).isEqualTo(new LogLeaf(ACME, 7L * i, event.id(), event.leafHash()));
                }
            }
        }
    }

    @Test
    void aSpoolIsOwnerOnlyWhileItLivesAndGoneWhenClosed() throws Exception {
        LocalReportSpool spools = new LocalReportSpool(root);
        UUID id = UUID.randomUUID();
        Path file = root.resolve(".spool").resolve(id + ".spool");
        Spool spool = spools.create(ACME, id);
        AuditEvent event = event(1);
        spool.append(new LogLeaf(ACME, 0, event.id(), event.leafHash()), event);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThatThrownBy(() -> readAll(spool)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("finish writing");

        spool.close();

        assertThat(file).doesNotExist();
        assertThatThrownBy(() -> spool.append(new LogLeaf(ACME, 1, event.id(), event.leafHash()), event))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void spoolsLeftByAStoppedInstanceAreDeletedWhenTheNextStarts() throws Exception {
        Spool abandoned = new LocalReportSpool(root).create(ACME, UUID.randomUUID());
        AuditEvent event = event(2);
        abandoned.append(new LogLeaf(ACME, 0, event.id(), event.leafHash()), event);
        abandoned.finishWriting(); // the instance stops here, never closing it

        new LocalReportSpool(root);

        try (Stream<Path> left = Files.list(root.resolve(".spool"))) {
            assertThat(left).isEmpty();
        }
    }
}
