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
import java.util.Optional;
import java.util.UUID;
import java.security.SecureRandom;
import io.stenographer.application.port.in.ReportFileGone;
import io.stenographer.domain.privacy.DataKey;
import io.stenographer.domain.privacy.ReportFileCipher;
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
            retention, ReportFiles.FileKeys.NONE);

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

        Stored stored = files.write(ACME, id, ReportFormat.CSV, java.util.Optional.empty(), out -> out.write(content));

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

        Stored stored = files.write(ACME, id, ReportFormat.BUNDLE, java.util.Optional.empty(), out -> out.write(content));

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
    void onlySoManyArchivedFilesAreReadAtOnceAndAPlaceIsFreedWhenAReadEnds() throws Exception {
        UUID id = UUID.randomUUID();
        files.write(ACME, id, ReportFormat.BUNDLE, java.util.Optional.empty(), out -> out.write(bytes(INLINE_MAX + 1,
                'e')));
        ReportFile file = recorded(id);
        java.util.List<ReportFiles.Checked> reading = new java.util.ArrayList<>();
        for (int i = 0; i < ReportFiles.MAX_ARCHIVED_COPIES; i++) {
            reading.add(files.checked(file));
        }

        // Each read holds a whole copy on local disk: a slow reader more is told to come back.
        assertThatThrownBy(() -> files.checked(file)).isInstanceOf(ReportFileUnavailable.class)
                .hasMessageContaining("retry later");
        assertThat(staging.open()).isEqualTo(ReportFiles.MAX_ARCHIVED_COPIES);
        reading.remove(0).close();
        try (ReportFiles.Checked again = files.checked(file)) {
            assertThat(read(again.open(0, 3))).isEqualTo(bytes(3, 'e'));
        }
        for (ReportFiles.Checked checked : reading) {
            checked.close();
        }
        assertThat(staging.open()).isZero();
    }

    @Test
    void aSecondWriteOfTheSameBytesIsAcceptedAndOfOtherBytesRefusedLoudlyBothPlaces() throws Exception {
        for (int size : new int[] {10, INLINE_MAX * 2}) {
            UUID id = UUID.randomUUID();
            byte[] content = bytes(size, 'c');
            Stored first = files.write(ACME, id, ReportFormat.JSON, java.util.Optional.empty(), out -> out.write(content));
            // Another instance took the report over and finished it again: same job, same bytes.
            assertThat(files.write(ACME, id, ReportFormat.JSON, java.util.Optional.empty(), out -> out.write(content))).isEqualTo(first);

            assertThatThrownBy(() -> files.write(ACME, id, ReportFormat.JSON, java.util.Optional.empty(), out -> out.write(bytes(size, 'd'))))
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
        files.write(ACME, same, ReportFormat.JSON, java.util.Optional.empty(), out -> out.write(content));
        assertThat(recorded(same).lockedUntil()).isEqualTo(NOW.plusSeconds(3600));

        UUID other = UUID.randomUUID();
        archive.plant("reports/acme/" + other + ".json", bytes(INLINE_MAX * 2, 'x'), NOW.plusSeconds(3600));
        assertThatThrownBy(() -> files.write(ACME, other, ReportFormat.JSON, java.util.Optional.empty(), out -> out.write(content)))
                .isInstanceOf(ReportFileConflict.class).hasMessageContaining("archive store already holds");
        assertThat(recorded(other)).as("nothing recorded for a conflicting file").isNull();
    }

    @Test
    void aWriteThatFailsRecordsNothing() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> files.write(ACME, id, ReportFormat.CSV, java.util.Optional.empty(), out -> {
            out.write(bytes(10, 'f'));
            throw new IOException("the database went away");
        })).hasMessageContaining("went away");
        assertThat(recorded(id)).isNull();
        assertThat(archive.puts()).isEmpty();

        archive.goDown();
        assertThatThrownBy(() -> files.write(ACME, id, ReportFormat.CSV, java.util.Optional.empty(), out -> out.write(bytes(INLINE_MAX + 5, 'g'))))
                .isInstanceOf(io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveUnavailable.class);
        assertThat(recorded(id)).isNull();
        assertThat(staging.open()).isZero();
    }

    @Test
    void readsCheckTheDigestBeforeHandingOutAnyByte() throws Exception {
        UUID small = UUID.randomUUID();
        files.write(ACME, small, ReportFormat.CSV, java.util.Optional.empty(), out -> out.write(bytes(20, 'h')));
        catalog.tamper(small, bytes(20, 'i'));
        assertThatThrownBy(() -> files.checked(recorded(small))).isInstanceOf(ReportFileCorrupted.class)
                .hasMessageContaining("do not match the digest recorded").hasMessageContaining(small.toString());

        UUID large = UUID.randomUUID();
        files.write(ACME, large, ReportFormat.JSON, java.util.Optional.empty(), out -> out.write(bytes(INLINE_MAX * 3, 'j')));
        String key = recorded(large).archiveKey();
        archive.corrupt(key, bytes(INLINE_MAX * 3, 'k'));
        assertThatThrownBy(() -> files.checked(recorded(large))).isInstanceOf(ReportFileCorrupted.class)
                .hasMessageContaining("do not match the digest recorded");
        assertThat(staging.open()).as("the rejected copy is deleted").isZero();

        archive.remove(key);
        assertThatThrownBy(() -> files.checked(recorded(large))).isInstanceOf(ReportFileCorrupted.class)
                .hasMessageContaining("missing from the archive store");

        UUID later = UUID.randomUUID();
        files.write(ACME, later, ReportFormat.JSON, java.util.Optional.empty(), out -> out.write(bytes(INLINE_MAX * 3, 'l')));
        archive.goDown();
        assertThatThrownBy(() -> files.checked(recorded(later))).isInstanceOf(ReportFileUnavailable.class)
                .hasMessageContaining("retry later");
        assertThat(staging.open()).isZero();
    }

    @Test
    void theInlineThresholdIsBounded() {
        assertThatThrownBy(() -> new ReportFiles(staging, catalog, archive, transactions, clock,
                ReportFiles.MAX_INLINE_BYTES + 1, retention, ReportFiles.FileKeys.NONE)).hasMessageContaining("inline-max-bytes");
    }

    // ---- files with personal values: encrypted under the report's own key ----------------------------------------

    private final java.util.Map<UUID, DataKey> reportKeys = new java.util.HashMap<>();
    private final java.util.Set<UUID> erasedReportKeys = new java.util.HashSet<>();
    private final ReportFiles sealing = new ReportFiles(staging, catalog, archive, transactions, clock, INLINE_MAX,
            retention, new ReportFiles.FileKeys() {
                @Override
                public Optional<DataKey> keyOf(io.stenographer.domain.event.TenantId tenant, UUID id) {
                    if (erasedReportKeys.contains(id)) {
                        throw new PersonalDataVault.ReportKeyErased(id);
                    }
                    return Optional.ofNullable(reportKeys.get(id));
                }

                @Override
                public boolean erased(UUID id) {
                    return erasedReportKeys.contains(id);
                }
            });

    private static final String CANARY = "canary-4417-ada@example.org";

    private UUID sealedReport() {
        UUID id = UUID.randomUUID();
        reportKeys.put(id, DataKey.generate(new SecureRandom()));
        return id;
    }

    private static byte[] withCanary(int size) {
        byte[] content = bytes(size, 'p');
        byte[] canary = CANARY.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(canary, 0, content, (size - canary.length) / 2, canary.length);
        return content;
    }

    private static boolean holds(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    @Test
    void aSmallFileWithPersonalValuesIsStoredEncryptedAndReadBackAsWritten() throws Exception {
        UUID id = sealedReport();
        byte[] content = withCanary(INLINE_MAX - 24); // 8-byte header and one 16-byte tag: exactly the inline bound

        Stored stored = sealing.write(ACME, id, ReportFormat.CSV, Optional.of(reportKeys.get(id)),
                out -> out.write(content));

        // The record, the report.generated event and every download describe the content, not the ciphertext.
        assertThat(stored).isEqualTo(new Stored(content.length, ReportFileFixtures.sha256(content)));
        assertThat(recorded(id).location()).isEqualTo(ReportFile.Location.DATABASE);
        byte[] inDatabase = transactions.inTransaction(() -> catalog.content(id)).orElseThrow();
        assertThat(inDatabase).hasSize(INLINE_MAX);
        assertThat(holds(inDatabase, CANARY)).as("plaintext in the stored row").isFalse();
        assertThat(read(sealing.open(ACME, id, ReportFormat.CSV))).isEqualTo(content);
        assertThat(staging.open()).isZero();
    }

    @Test
    void aLargeFileWithPersonalValuesGoesToTheArchiveEncryptedAndAnyRangeDecrypts() throws Exception {
        UUID id = sealedReport();
        byte[] content = withCanary(3 * ReportFileCipher.SEGMENT + 123);

        sealing.write(ACME, id, ReportFormat.JSON, Optional.of(reportKeys.get(id)), out -> out.write(content));

        ReportFile file = recorded(id);
        assertThat(file.location()).isEqualTo(ReportFile.Location.ARCHIVE);
        assertThat(file.bytes()).isEqualTo(content.length);
        byte[] object = archive.bytes(file.archiveKey());
        assertThat((long) object.length).isEqualTo(ReportFileCipher.sealedLength(content.length));
        assertThat(holds(object, CANARY)).as("plaintext in the archive object").isFalse();
        try (ReportFiles.Checked checked = sealing.checked(file)) {
            long[][] ranges = {{0, content.length}, {ReportFileCipher.SEGMENT - 5, 10}, {content.length - 1, 1}};
            for (long[] range : ranges) {
                assertThat(read(checked.open(range[0], range[1])))
                        .isEqualTo(java.util.Arrays.copyOfRange(content, (int) range[0], (int) (range[0] + range[1])));
            }
        }
        assertThat(staging.open()).isZero();
    }

    @Test
    void aSecondAttemptAtAReportWithPersonalValuesStoresNothingNew() throws Exception {
        UUID id = sealedReport();
        byte[] content = withCanary(INLINE_MAX * 4);

        Stored first = sealing.write(ACME, id, ReportFormat.JSON, Optional.of(reportKeys.get(id)),
                out -> out.write(content));

        // The same key and content encrypt to the same object, which the write-once store accepts as the same file.
        assertThat(sealing.write(ACME, id, ReportFormat.JSON, Optional.of(reportKeys.get(id)),
                out -> out.write(content))).isEqualTo(first);
        assertThat(archive.puts()).hasSize(1);
    }

    @Test
    void anAlteredEncryptedFileIsNeverServed() throws Exception {
        UUID small = sealedReport();
        sealing.write(ACME, small, ReportFormat.CSV, Optional.of(reportKeys.get(small)), out -> out.write(bytes(30, 'q')));
        byte[] altered = transactions.inTransaction(() -> catalog.content(small)).orElseThrow();
        altered[20] ^= 1;
        catalog.tamper(small, altered);

        assertThatThrownBy(() -> sealing.checked(recorded(small))).isInstanceOf(ReportFileCorrupted.class)
                .hasMessageContaining("do not open under the report's key");

        UUID wrongKey = sealedReport();
        sealing.write(ACME, wrongKey, ReportFormat.CSV, Optional.of(reportKeys.get(wrongKey)),
                out -> out.write(bytes(30, 'r')));
        reportKeys.put(wrongKey, DataKey.generate(new SecureRandom()));
        assertThatThrownBy(() -> sealing.checked(recorded(wrongKey))).isInstanceOf(ReportFileCorrupted.class);
        assertThat(staging.open()).isZero();
    }

    @Test
    void aFileWhoseKeyAnErasureDestroyedIsGoneForGood() throws Exception {
        UUID id = sealedReport();
        sealing.write(ACME, id, ReportFormat.JSON, Optional.of(reportKeys.get(id)),
                out -> out.write(withCanary(INLINE_MAX * 4)));
        erasedReportKeys.add(id);

        assertThat(sealing.keyErased(recorded(id))).isTrue();
        assertThatThrownBy(() -> sealing.checked(recorded(id))).isInstanceOf(ReportFileGone.class)
                .hasMessageContaining("erased").hasMessageContaining("can no longer be read");
        assertThatThrownBy(() -> sealing.open(ACME, id, ReportFormat.JSON)).isInstanceOf(ReportFileGone.class);
        assertThat(staging.open()).isZero();
    }
}
