package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.ReportFileCorrupted;
import io.stenographer.application.port.in.ReportFileUnavailable;
import io.stenographer.application.port.out.StoreReportFilesPort.ReportFileConflict;
import io.stenographer.application.port.out.StoreReportFilesPort.Stored;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryLegalHolds;
import io.stenographer.application.service.fakes.InMemoryReportFiles;
import io.stenographer.application.service.fakes.InMemoryReportStaging;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportFileRetention;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.retention.RetentionPeriod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The shared report-file store with fakes of its ports: small files in the database, large ones in the archive store
 * under a lock to the end of their retention, a file never replaced, and every read checked against the digest.
 */
class ReportFilesTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final int INLINE_MAX = 64;

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final MutableClock clock = new MutableClock(NOW);
    private final ReportFileFixtures.Reports reports = new ReportFileFixtures.Reports();
    private final InMemoryReportFiles catalog = new InMemoryReportFiles(transactions, clock,
            RetentionPeriod.parse("P1D"), reports.port(), new InMemoryLegalHolds(transactions), id -> true);
    private final InMemoryReportStaging staging = new InMemoryReportStaging();
    private final InMemoryArchive archive = new InMemoryArchive(clock);
    private final ReportFileRetention retention = new ReportFileRetention(RetentionPeriod.parse("P90D"),
            RetentionPeriod.parse("P1D"));
    private final ReportFiles files = new ReportFiles(staging, catalog, archive, transactions, clock, INLINE_MAX,
            retention);

    private static byte[] bytes(int size, char fill) {
        return String.valueOf(fill).repeat(size).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private ReportFile recorded(UUID id) {
        return catalog.committed().get(id);
    }

    @Test
    void aSmallFileIsKeptInTheDatabaseWithItsDigestAndNothingGoesToTheArchive() throws Exception {
        UUID id = UUID.randomUUID();
        byte[] content = bytes(INLINE_MAX, 'a');

        Stored stored = files.write(ACME, id, ReportFormat.CSV, out -> out.write(content));

        assertThat(stored).isEqualTo(new Stored(INLINE_MAX, ReportFileFixtures.sha256(content)));
        ReportFile file = recorded(id);
        assertThat(file.location()).isEqualTo(ReportFile.Location.DATABASE);
        assertThat(file.archiveKey()).isNull();
        assertThat(file.storedAt()).isEqualTo(NOW);
        assertThat(archive.puts()).isEmpty();
        assertThat(read(files.open(ACME, id, ReportFormat.CSV))).isEqualTo(content);
        assertThat(staging.open()).as("scratch copies left open").isZero();
    }

    @Test
    void aLargeFileGoesToTheArchiveStoreLockedToTheEndOfItsRetention() throws Exception {
        UUID id = UUID.randomUUID();
        byte[] content = bytes(INLINE_MAX + 1, 'b');

        Stored stored = files.write(ACME, id, ReportFormat.BUNDLE, out -> out.write(content));

        String key = "reports/acme/" + id + ".zip";
        assertThat(archive.puts()).singleElement().isEqualTo(new InMemoryArchive.Put(key, stored.sha256().hex(),
                retention.expiresAt(NOW)));
        assertThat(archive.bytes(key)).isEqualTo(content);
        ReportFile file = recorded(id);
        assertThat(file.location()).isEqualTo(ReportFile.Location.ARCHIVE);
        assertThat(file.archiveKey()).isEqualTo(key);
        assertThat(file.lockedUntil()).isEqualTo(NOW.plusSeconds(90L * 86_400));
        assertThat(file.sha256()).isEqualTo(ReportFileFixtures.sha256(content));
        try (ReportFiles.Checked checked = files.checked(file)) {
            assertThat(read(checked.open(10, 5))).isEqualTo(bytes(5, 'b'));
        }
        assertThat(staging.open()).isZero();
    }

    @Test
    void aSecondWriteOfTheSameBytesIsAcceptedAndOfOtherBytesRefusedLoudlyBothPlaces() throws Exception {
        for (int size : new int[] {10, INLINE_MAX * 2}) {
            UUID id = UUID.randomUUID();
            byte[] content = bytes(size, 'c');
            Stored first = files.write(ACME, id, ReportFormat.JSON, out -> out.write(content));
            // Another instance took the report over and finished it again: same job, same bytes.
            assertThat(files.write(ACME, id, ReportFormat.JSON, out -> out.write(content))).isEqualTo(first);

            assertThatThrownBy(() -> files.write(ACME, id, ReportFormat.JSON, out -> out.write(bytes(size, 'd'))))
                    .isInstanceOf(ReportFileConflict.class).isInstanceOf(LogIntegrityViolation.class)
                    .hasMessageContaining("report " + id).hasMessageContaining(first.sha256().hex())
                    .hasMessageContaining("kept");
            assertThat(read(files.open(ACME, id, ReportFormat.JSON))).as("the stored file stays").isEqualTo(content);
        }
        assertThat(staging.open()).isZero();
    }

    @Test
    void anArchiveObjectLeftByAnInterruptedAttemptIsAdoptedWhenItHoldsTheSameBytesOnly() throws Exception {
        UUID same = UUID.randomUUID();
        byte[] content = bytes(INLINE_MAX * 2, 'e');
        archive.plant("reports/acme/" + same + ".json", content, NOW.plusSeconds(3600));
        files.write(ACME, same, ReportFormat.JSON, out -> out.write(content));
        assertThat(recorded(same).lockedUntil()).isEqualTo(NOW.plusSeconds(3600));

        UUID other = UUID.randomUUID();
        archive.plant("reports/acme/" + other + ".json", bytes(INLINE_MAX * 2, 'x'), NOW.plusSeconds(3600));
        assertThatThrownBy(() -> files.write(ACME, other, ReportFormat.JSON, out -> out.write(content)))
                .isInstanceOf(ReportFileConflict.class).hasMessageContaining("archive store already holds");
        assertThat(recorded(other)).as("nothing recorded for a conflicting file").isNull();
    }

    @Test
    void aWriteThatFailsRecordsNothing() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> files.write(ACME, id, ReportFormat.CSV, out -> {
            out.write(bytes(10, 'f'));
            throw new IOException("the database went away");
        })).hasMessageContaining("went away");
        assertThat(recorded(id)).isNull();
        assertThat(archive.puts()).isEmpty();

        archive.goDown();
        assertThatThrownBy(() -> files.write(ACME, id, ReportFormat.CSV, out -> out.write(bytes(INLINE_MAX + 5, 'g'))))
                .isInstanceOf(io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveUnavailable.class);
        assertThat(recorded(id)).isNull();
        assertThat(staging.open()).isZero();
    }

    @Test
    void readsCheckTheDigestBeforeHandingOutAnyByte() throws Exception {
        UUID small = UUID.randomUUID();
        files.write(ACME, small, ReportFormat.CSV, out -> out.write(bytes(20, 'h')));
        catalog.tamper(small, bytes(20, 'i'));
        assertThatThrownBy(() -> files.checked(recorded(small))).isInstanceOf(ReportFileCorrupted.class)
                .hasMessageContaining("do not match the digest recorded").hasMessageContaining(small.toString());

        UUID large = UUID.randomUUID();
        files.write(ACME, large, ReportFormat.JSON, out -> out.write(bytes(INLINE_MAX * 3, 'j')));
        String key = recorded(large).archiveKey();
        archive.corrupt(key, bytes(INLINE_MAX * 3, 'k'));
        assertThatThrownBy(() -> files.checked(recorded(large))).isInstanceOf(ReportFileCorrupted.class)
                .hasMessageContaining("do not match the digest recorded");
        assertThat(staging.open()).as("the rejected copy is deleted").isZero();

        archive.remove(key);
        assertThatThrownBy(() -> files.checked(recorded(large))).isInstanceOf(ReportFileCorrupted.class)
                .hasMessageContaining("missing from the archive store");

        UUID later = UUID.randomUUID();
        files.write(ACME, later, ReportFormat.JSON, out -> out.write(bytes(INLINE_MAX * 3, 'l')));
        archive.goDown();
        assertThatThrownBy(() -> files.checked(recorded(later))).isInstanceOf(ReportFileUnavailable.class)
                .hasMessageContaining("retry later");
        assertThat(staging.open()).isZero();
    }

    @Test
    void theInlineThresholdIsBounded() {
        assertThatThrownBy(() -> new ReportFiles(staging, catalog, archive, transactions, clock,
                ReportFiles.MAX_INLINE_BYTES + 1, retention)).hasMessageContaining("inline-max-bytes");
    }
}
