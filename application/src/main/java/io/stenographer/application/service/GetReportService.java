package io.stenographer.application.service;

import io.stenographer.application.port.in.GetReportUseCase;
import io.stenographer.application.port.in.ReportNotFound;
import io.stenographer.application.port.in.ReportNotReady;
import io.stenographer.application.port.in.ReportQuery;
import io.stenographer.application.port.in.ReportsQuery;
import io.stenographer.application.port.out.StoreReportFilesPort;
import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportStatus;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Status and download. A report of a tenant the caller may not read is "not found", so ids cannot
 * be used to probe other tenants. Each download is recorded as {@value #REPORT_DOWNLOADED}.
 */
public final class GetReportService implements GetReportUseCase {

    static final String REPORT_DOWNLOADED = "report.downloaded";

    private final TrackReportJobsPort jobs;
    private final StoreReportFilesPort files;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;

    public GetReportService(TrackReportJobsPort jobs, StoreReportFilesPort files, SelfAudit selfAudit,
            TransactionRunner transactions) {
        this.jobs = jobs;
        this.files = files;
        this.selfAudit = selfAudit;
        this.transactions = transactions;
    }

    @Override
    public ReportJob status(ReportQuery query) {
        Caller caller = query.caller();
        UUID id = query.id();
        return transactions.inTransaction(() -> visible(caller, id));
    }

    @Override
    public List<ReportJob> recent(ReportsQuery query) {
        Caller caller = query.caller();
        TenantId tenant = query.tenant();
        int limit = query.limit();
        caller.require(Role.AUDITOR, tenant);
        if (limit < 1 || limit > 100) {
            throw new FieldViolation("limit", "must be from 1 to 100");
        }
        return transactions.inTransaction(() -> jobs.recent(tenant, limit));
    }

    @Override
    public Download download(ReportQuery query) {
        Caller caller = query.caller();
        UUID id = query.id();
        ReportJob job = transactions.inTransaction(() -> {
            ReportJob found = visible(caller, id);
            if (found.status() != ReportStatus.SUCCEEDED) {
                throw new ReportNotReady(id, found.status());
            }
            selfAudit.record(caller, found.tenant(), REPORT_DOWNLOADED,
                    new JsonObject(Map.of("reportId", new JsonString(id.toString()),
                            "format", new JsonString(found.format().wireName()),
                            "sha256", new JsonString(found.contentSha256().hex()))));
            return found;
        });
        return new Download(job, () -> files.open(job.tenant(), job.id(), job.format()));
    }

    private ReportJob visible(Caller caller, UUID id) {
        ReportJob job = jobs.find(id).orElseThrow(() -> new ReportNotFound(id));
        if (!caller.mayRead(job.tenant())) {
            throw new ReportNotFound(id);
        }
        return job;
    }
}
