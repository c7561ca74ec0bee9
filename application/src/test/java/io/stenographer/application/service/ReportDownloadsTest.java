package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.GetReportUseCase.Download;
import io.stenographer.application.port.in.GetReportUseCase.Part;
import io.stenographer.application.port.in.GetReportUseCase.ReportView;
import io.stenographer.application.port.in.ReportFileCorrupted;
import io.stenographer.application.port.in.ReportFileGone;
import io.stenographer.application.port.in.ReportNotFound;
import io.stenographer.application.port.in.ReportNotReady;
import io.stenographer.application.port.in.ReportQuery;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLegalHolds;
import io.stenographer.application.service.fakes.InMemoryReportFiles;
import io.stenographer.application.service.fakes.InMemoryReportStaging;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.report.ReportFileRetention;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.retention.RetentionPeriod;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Downloads through the use case: the file is checked against its digest before anything is handed out or recorded,
 * whole files, single ranges and "not modified" answers are each one {@code report.downloaded} event, and a purged file
 * is gone with its record kept.
 */
class ReportDownloadsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final ReportFileFixtures.Reports reports = new ReportFileFixtures.Reports();
    private final InMemoryReportFiles catalog = new InMemoryReportFiles(transactions, clock,
            RetentionPeriod.parse("PT1S"), reports.port(), new InMemoryLegalHolds(transactions), id -> true);
    private final InMemoryReportStaging staging = new InMemoryReportStaging();
    private final ReportFileRetention retention = new ReportFileRetention(RetentionPeriod.parse("P30D"),
            RetentionPeriod.parse("P1D"));
    private final ReportFiles files = new ReportFiles(staging, catalog, new InMemoryArchive(clock), transactions, clock,
            100, retention, ReportFiles.FileKeys.NONE);
    private final GetReportService get = new GetReportService(reports.port(), catalog, files,
            new SelfAudit(events, clock, new SplittableRandom(3), StoredIdentifiers.AS_GIVEN), transactions);

    private ReportJob generated(byte[] content) throws Exception {
        ReportJob job = reports.succeeded(ACME, ReportFormat.CSV, NOW.minusSeconds(86_400), NOW, NOW, content);
        files.write(ACME, job.id(), ReportFormat.CSV, java.util.Optional.empty(), out -> out.write(content));
        return job;
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(Download download) throws Exception {
        try (download; InputStream in = download.content().open()) {
            byte[] bytes = in.readAllBytes();
            assertThat((long) bytes.length).isEqualTo(download.content().length());
            return bytes;
        }
    }

    private String lastDownloadEvent() {
        AuditEvent event = events.committed().get(events.committed().size() - 1);
        assertThat(event.content().action().value()).isEqualTo("report.downloaded");
        return CanonicalJson.canonicalize(event.content().metadata());
    }

    @Test
    void wholeFilesRangesAndNotModifiedAnswersAreEachRecordedOnce() throws Exception {
        byte[] content = text("index,leafHash\n0,ab\n1,cd\n");
        ReportJob job = generated(content);
        ReportQuery query = new ReportQuery(auditor("bob", ACME), job.id());

        ReportView view = get.file(query);
        assertThat(view.file().sha256()).isEqualTo(ReportFileFixtures.sha256(content));
        assertThat(view.fileExpiresAt()).isEqualTo(NOW.plusSeconds(30L * 86_400));
        assertThat(events.committed()).as("looking at the file records nothing").isEmpty();

        assertThat(read(get.download(query, Part.whole()))).isEqualTo(content);
        assertThat(lastDownloadEvent()).contains(view.file().sha256().hex()).doesNotContain("range");

        assertThat(read(get.download(query, Part.range(6, 13)))).isEqualTo(text("leafHash"));
        assertThat(lastDownloadEvent()).contains("bytes 6-13/" + content.length);

        Download notModified = get.download(query, Part.notModified());
        assertThat(notModified.content()).isNull();
        assertThat(lastDownloadEvent()).contains("notModified");

        assertThat(events.committed()).hasSize(3);
        assertThat(events.committed()).allSatisfy(e -> assertThat(e.content().actor().id()).isEqualTo("bob"));
        assertThat(staging.open()).isZero();
        assertThatThrownBy(() -> get.download(query, Part.range(0, content.length)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTamperedFileIsRefusedBeforeAnythingIsHandedOutAndTheFailureIsLogged() throws Exception {
        ReportJob job = generated(text("original content"));
        catalog.tamper(job.id(), text("altered content!"));
        ReportQuery query = new ReportQuery(auditor("bob", ACME), job.id());

        assertThatThrownBy(() -> get.download(query, Part.whole())).isInstanceOf(ReportFileCorrupted.class);
        assertThatThrownBy(() -> get.download(query, Part.range(0, 3))).isInstanceOf(ReportFileCorrupted.class);
        assertThat(events.committed()).as("no download recorded; each failed check is").hasSize(2)
                .allSatisfy(event -> {
                    assertThat(event.content().action().value()).isEqualTo("report.file.integrity-failed");
                    assertThat(event.content().actor().id()).isEqualTo("bob");
                });
        assertThat(staging.open()).isZero();
    }

    @Test
    void reportsOfOtherTenantsUnfinishedReportsAndPurgedFilesAreNotDownloaded() throws Exception {
        ReportJob job = generated(text("some,csv\n"));
        assertThatThrownBy(() -> get.file(new ReportQuery(auditor("eve", GLOBEX), job.id())))
                .isInstanceOf(ReportNotFound.class);
        ReportJob queued = reports.queued(ACME, NOW);
        assertThatThrownBy(() -> get.download(new ReportQuery(auditor("bob", ACME), queued.id()), Part.whole()))
                .isInstanceOf(ReportNotReady.class);
        assertThat(get.status(new ReportQuery(auditor("bob", ACME), queued.id())).file()).isNull();

        clock.advance(java.time.Duration.ofSeconds(2));
        transactions.inTransaction(() -> {
            catalog.purge(job.id(), java.util.UUID.randomUUID());
            return null;
        });
        ReportView purged = get.status(new ReportQuery(auditor("bob", ACME), job.id()));
        assertThat(purged.file().purgedAt()).isEqualTo(NOW.plusSeconds(2));
        assertThatThrownBy(() -> get.download(new ReportQuery(auditor("bob", ACME), job.id()), Part.whole()))
                .isInstanceOf(ReportFileGone.class).hasMessageContaining("purged")
                .hasMessageContaining(purged.file().sha256().hex());

        ReportJob withoutFile = reports.succeeded(ACME, ReportFormat.CSV, NOW, NOW.plusSeconds(1), NOW, text("x"));
        assertThatThrownBy(() -> get.file(new ReportQuery(auditor("bob", ACME), withoutFile.id())))
                .isInstanceOf(ReportFileGone.class).hasMessageContaining("not in the store all instances share");
        assertThat(events.committed()).isEmpty();
    }
}
