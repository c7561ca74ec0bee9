package io.stenographer.application.service;

import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.ReportFilesTenantOutcome;
import io.stenographer.application.port.in.RunJobCommand;
import io.stenographer.application.port.in.RunReportFilePurgeUseCase;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveDeletionRefused;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.PurgeReportFilesPort;
import io.stenographer.application.port.out.PurgeReportFilesPort.Page;
import io.stenographer.application.port.out.PurgeReportFilesPort.PurgeRefused;
import io.stenographer.application.port.out.StoreLegalHoldsPort;
import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportFileRetention;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.retention.LegalHold;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report-file purge job. Per tenant, it pages through the files stored longer ago than the retention
 * ({@code stenographer.reports.files.retention}) and not yet purged, oldest first. A file that an active legal hold
 * keeps (the hold's period overlaps the report's) is counted and left. Every other one is purged in a transaction of its
 * own: its {@value #FILE_PURGED} event is appended to the tenant's log, the database's narrow function deletes its bytes
 * (it refuses a held file and one younger than the database's own floor, whatever this job decided), and an archive
 * copy is deleted from the store, which refuses while the copy's write-once lock lasts; any refusal rolls the whole
 * transaction back, event included, and the file stays for a later run.
 */
public final class PurgeReportFilesService implements RunReportFilePurgeUseCase {

    static final String FILE_PURGED = "report.file.purged";
    static final String PURGE_RUN = "report.file-purge.run";
    private static final int PAGE = 200;

    private final PurgeReportFilesPort purge;
    private final TrackReportJobsPort reports;
    private final ArchiveSegmentsPort archive;
    private final StoreLegalHoldsPort holds;
    private final LoadLogPort log;
    private final SelfAudit selfAudit;
    private final JobRuns jobRuns;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final ReportFileRetention retention;

    public PurgeReportFilesService(PurgeReportFilesPort purge, TrackReportJobsPort reports,
            ArchiveSegmentsPort archive, StoreLegalHoldsPort holds, LoadLogPort log, SelfAudit selfAudit,
            JobRuns jobRuns, TransactionRunner transactions, Clock clock, ReportFileRetention retention) {
        this.purge = purge;
        this.reports = reports;
        this.archive = archive;
        this.holds = holds;
        this.log = log;
        this.selfAudit = selfAudit;
        this.jobRuns = jobRuns;
        this.transactions = transactions;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public JobRun run(RunJobCommand request) {
        return jobRuns.run(JobRun.Job.REPORT_FILES, request, () -> transactions.inTransaction(log::tenantsWithLogs),
                (run, tenants, progress) -> {
                    List<String> failures = new ArrayList<>();
                    long purgedTotal = 0;
                    progress.tenantsStarted();
                    for (TenantId tenant : tenants) {
                        Counts counts = new Counts();
                        try {
                            purgeTenant(tenant, request, run, counts);
                        } catch (RuntimeException e) {
                            counts.error = JobFailures.describe(run, "tenant " + tenant.value(), e);
                            failures.add(tenant.value() + ": " + counts.error);
                        }
                        ReportFilesTenantOutcome outcome = counts.outcome();
                        progress.tenant(tenant, outcome);
                        purgedTotal += outcome.filesPurged();
                        if (counts.error == null) {
                            recordRun(tenant, request, run, outcome);
                        }
                    }
                    progress.eventsTotal(purgedTotal);
                    if (!failures.isEmpty()) {
                        throw new JobRuns.PartialFailure(String.join("; ", failures));
                    }
                });
    }

    private static final class Counts {
        long purged;
        long wouldPurge;
        long held;
        long locked;
        long belowFloor;
        long bytes;
        String error;

        ReportFilesTenantOutcome outcome() {
            return new ReportFilesTenantOutcome(purged, wouldPurge, held, locked, belowFloor, bytes, error);
        }
    }

    private void purgeTenant(TenantId tenant, RunJobCommand request, JobRun run, Counts counts) {
        Instant now = clock.instant();
        Page after = null;
        while (true) {
            Page from = after;
            List<ReportFile> page = transactions.inTransaction(
                    () -> purge.purgeCandidates(tenant, retention.storedBefore(now), from, PAGE));
            if (page.isEmpty()) {
                return;
            }
            for (ReportFile file : page) {
                if (retention.expired(file, now)) {
                    judge(file, request, run, counts);
                }
            }
            ReportFile last = page.get(page.size() - 1);
            after = new Page(last.storedAt(), last.reportId());
        }
    }

    private void judge(ReportFile file, RunJobCommand request, JobRun run, Counts counts) {
        // Holds are read for each file, right before it would go: a hold placed during the run keeps what follows.
        Optional<LegalHold> hold = transactions.inTransaction(() -> reports.find(file.reportId())
                .map(report -> ReportFileRetention.holdKeeping(report, holds.active(file.tenant()))));
        if (hold.isPresent()) {
            counts.held++;
            return;
        }
        if (request.dryRun()) {
            counts.wouldPurge++;
            return;
        }
        try {
            transactions.inTransaction(() -> {
                Map<String, JsonValue> metadata = new LinkedHashMap<>();
                metadata.put("reportId", new JsonString(file.reportId().toString()));
                metadata.put("format", new JsonString(file.format().wireName()));
                metadata.put("sha256", new JsonString(file.sha256().hex()));
                metadata.put("bytes", new JsonNumber(file.bytes()));
                metadata.put("location", new JsonString(file.location().wireName()));
                metadata.put("storedAt", new JsonString(file.storedAt().toString()));
                metadata.put("retention", new JsonString(retention.keepFor().iso()));
                metadata.put("jobRunId", new JsonString(run.id().toString()));
                selfAudit.recordReturning(request.requestedBy(), file.tenant(), FILE_PURGED,
                        new ResourceRef("report", file.reportId().toString()), new JsonObject(metadata));
                purge.purge(file.reportId(), run.id());
                if (file.location() == ReportFile.Location.ARCHIVE) {
                    archive.delete(file.archiveKey());
                }
                return null;
            });
            counts.purged++;
            counts.bytes += file.bytes();
        } catch (PurgeRefused refused) {
            // The database knows a hold this job did not see (placed a moment ago), or its floor is longer than the
            // configured retention: either way the file stays, and its event went with the rolled-back transaction.
            switch (refused.reason()) {
                case HELD -> counts.held++;
                case BELOW_FLOOR -> counts.belowFloor++;
                case OTHER -> throw refused;
            }
        } catch (ArchiveDeletionRefused locked) {
            counts.locked++;
        }
    }

    private void recordRun(TenantId tenant, RunJobCommand request, JobRun run, ReportFilesTenantOutcome outcome) {
        // Scheduled runs that purged nothing leave no event (held files would otherwise add one every run); manual
        // runs always do.
        if (outcome.filesPurged() == 0 && request.trigger() == JobRun.Trigger.SCHEDULE) {
            return;
        }
        Map<String, JsonValue> counts = new LinkedHashMap<>();
        counts.put("filesPurged", new JsonNumber(outcome.filesPurged()));
        counts.put("filesWouldPurge", new JsonNumber(outcome.filesWouldPurge()));
        counts.put("filesHeld", new JsonNumber(outcome.filesHeld()));
        counts.put("filesLocked", new JsonNumber(outcome.filesLocked()));
        counts.put("filesBelowFloor", new JsonNumber(outcome.filesBelowFloor()));
        counts.put("bytesPurged", new JsonNumber(outcome.bytesPurged()));
        counts.put("retention", new JsonString(retention.keepFor().iso()));
        transactions.inTransaction(() -> {
            selfAudit.recordJobRun(request, run, tenant, PURGE_RUN, counts);
            return null;
        });
    }
}
