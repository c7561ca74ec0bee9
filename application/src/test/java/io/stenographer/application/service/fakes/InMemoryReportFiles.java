package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.CatalogReportFilesPort;
import io.stenographer.application.port.out.PurgeReportFilesPort;
import io.stenographer.application.port.out.StoreLegalHoldsPort;
import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportFileRetention;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.retention.RetentionPeriod;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Report file records and small files' bytes in memory, with what the database adds: {@code storedAt} from the clock,
 * one file per report, and a purge function that refuses a file younger than the floor, one a hold keeps (the same
 * rule as V19), and one without its {@code report.file.purged} event. Writes are applied at commit.
 */
public final class InMemoryReportFiles implements CatalogReportFilesPort, PurgeReportFilesPort,
        FakeTransactionRunner.Participant {

    private final FakeTransactionRunner transactions;
    private final Clock clock;
    private final RetentionPeriod floor;
    private final TrackReportJobsPort reports;
    private final StoreLegalHoldsPort holds;
    private final Predicate<UUID> purgeEventRecorded;
    private final Map<UUID, ReportFile> files = new LinkedHashMap<>();
    private final Map<UUID, byte[]> contents = new HashMap<>();
    private final Map<UUID, ReportFile> pendingFiles = new LinkedHashMap<>();
    private final Map<UUID, byte[]> pendingContents = new HashMap<>();
    private final Map<UUID, Instant> pendingPurges = new HashMap<>();
    private final List<UUID> purgeCalls = new ArrayList<>();

    /**
     * @param purgeEventRecorded whether the report's {@code report.file.purged} event is in the log, as the function
     *                           checks (the test reads the event store's pending appends)
     */
    public InMemoryReportFiles(FakeTransactionRunner transactions, Clock clock, RetentionPeriod floor,
            TrackReportJobsPort reports, StoreLegalHoldsPort holds, Predicate<UUID> purgeEventRecorded) {
        this.transactions = transactions;
        this.clock = clock;
        this.floor = floor;
        this.reports = reports;
        this.holds = holds;
        this.purgeEventRecorded = purgeEventRecorded;
        transactions.enlist(this);
    }

    /** Replaces the stored bytes behind the catalogue's back (as a superuser with the triggers off could). */
    public void tamper(UUID reportId, byte[] bytes) {
        contents.put(reportId, bytes.clone());
    }

    public List<UUID> purgeCalls() {
        return List.copyOf(purgeCalls);
    }

    public Map<UUID, ReportFile> committed() {
        return Map.copyOf(files);
    }

    private void requireTransaction() {
        if (transactions.current() == 0) {
            throw new IllegalStateException("report files are read and written in a transaction");
        }
    }

    @Override
    public Optional<ReportFile> record(ReportFile file, InputStream content) {
        requireTransaction();
        if (files.containsKey(file.reportId()) || pendingFiles.containsKey(file.reportId())) {
            return Optional.empty();
        }
        ReportFile stored = new ReportFile(file.reportId(), file.tenant(), file.format(), file.bytes(), file.sha256(),
                file.location(), file.archiveKey(), clock.instant(), file.lockedUntil(), null);
        pendingFiles.put(file.reportId(), stored);
        if (content != null) {
            try {
                byte[] bytes = content.readAllBytes();
                // As the database's trigger: an encrypted file's content only has the size its record makes.
                boolean sealed = bytes.length == io.stenographer.domain.privacy.ReportFileCipher.sealedLength(file.bytes());
                if (!sealed && (bytes.length != file.bytes()
                        || !InMemoryReportStaging.sha256(bytes).equals(file.sha256()))) {
                    throw new IllegalStateException("the content does not match its recorded size and SHA-256");
                }
                pendingContents.put(file.reportId(), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.of(stored);
    }

    @Override
    public Optional<ReportFile> find(UUID reportId) {
        requireTransaction();
        return Optional.ofNullable(files.get(reportId));
    }

    @Override
    public Optional<byte[]> content(UUID reportId) {
        requireTransaction();
        return Optional.ofNullable(contents.get(reportId)).map(byte[]::clone);
    }

    @Override
    public List<ReportFile> purgeCandidates(TenantId tenant, Instant storedBefore, Page after, int limit) {
        requireTransaction();
        Comparator<ReportFile> order = Comparator.comparing(ReportFile::storedAt).thenComparing(ReportFile::reportId);
        return files.values().stream()
                .filter(f -> f.tenant().equals(tenant) && f.storedAt().isBefore(storedBefore) && !f.purged())
                .filter(f -> after == null || order.compare(f, new ReportFile(after.reportId(), tenant, f.format(), 0,
                        f.sha256(), ReportFile.Location.DATABASE, null, after.storedAt(), null, null)) > 0)
                .sorted(order).limit(limit).toList();
    }

    @Override
    public void purge(UUID reportId, UUID jobRunId) {
        requireTransaction();
        purgeCalls.add(reportId);
        ReportFile file = files.get(reportId);
        if (file == null || file.purged() || pendingPurges.containsKey(reportId)) {
            throw new PurgeRefused(PurgeRefused.Reason.OTHER, "no unpurged report file " + reportId);
        }
        if (clock.instant().isBefore(floor.addTo(file.storedAt()))) {
            throw new PurgeRefused(PurgeRefused.Reason.BELOW_FLOOR, "report file " + reportId
                    + " is within the retention floor");
        }
        ReportJob report = reports.find(reportId).orElseThrow();
        if (ReportFileRetention.holdKeeping(report, holds.active(report.tenant())) != null) {
            throw new PurgeRefused(PurgeRefused.Reason.HELD, "report file " + reportId + " is kept by a legal hold");
        }
        if (!purgeEventRecorded.test(reportId)) {
            throw new IllegalStateException("report.file.purged of " + reportId + " needs its event in the log");
        }
        pendingPurges.put(reportId, clock.instant());
    }

    @Override
    public RetentionPeriod retentionFloor() {
        return floor;
    }

    @Override
    public void commit() {
        files.putAll(pendingFiles);
        contents.putAll(pendingContents);
        pendingPurges.forEach((id, at) -> {
            ReportFile f = files.get(id);
            files.put(id, new ReportFile(f.reportId(), f.tenant(), f.format(), f.bytes(), f.sha256(), f.location(),
                    f.archiveKey(), f.storedAt(), f.lockedUntil(), at));
            contents.remove(id);
        });
        rollback();
    }

    @Override
    public void rollback() {
        pendingFiles.clear();
        pendingContents.clear();
        pendingPurges.clear();
    }
}
