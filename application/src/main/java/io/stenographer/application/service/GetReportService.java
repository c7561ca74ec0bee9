package io.stenographer.application.service;

import io.stenographer.application.port.in.GetReportUseCase;
import io.stenographer.application.port.in.ReportFileGone;
import io.stenographer.application.port.in.ReportNotFound;
import io.stenographer.application.port.in.ReportNotReady;
import io.stenographer.application.port.in.ReportFileCorrupted;
import io.stenographer.application.port.in.ReportQuery;
import io.stenographer.application.port.in.ReportsQuery;
import io.stenographer.application.port.out.CatalogReportFilesPort;
import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Status and download. A report of a tenant the caller may not read is "not found", so ids cannot be used to probe
 * other tenants. Every download that hands out content, or confirms that the caller's copy is current (a conditional
 * request answered "not modified"), is recorded as {@value #REPORT_DOWNLOADED}, after the file passed its digest check
 * and before any byte of it is sent.
 */
public final class GetReportService implements GetReportUseCase {

    static final String REPORT_DOWNLOADED = "report.downloaded";
    static final String REPORT_FILE_INTEGRITY_FAILED = "report.file.integrity-failed";

    private final TrackReportJobsPort jobs;
    private final CatalogReportFilesPort catalog;
    private final ReportFiles files;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;

    public GetReportService(TrackReportJobsPort jobs, CatalogReportFilesPort catalog, ReportFiles files,
            SelfAudit selfAudit, TransactionRunner transactions) {
        this.jobs = jobs;
        this.catalog = catalog;
        this.files = files;
        this.selfAudit = selfAudit;
        this.transactions = transactions;
    }

    @Override
    public ReportView status(ReportQuery query) {
        Caller caller = query.caller();
        UUID id = query.id();
        return transactions.inTransaction(() -> view(visible(caller, id)));
    }

    @Override
    public List<ReportView> recent(ReportsQuery query) {
        Caller caller = query.caller();
        TenantId tenant = query.tenant();
        int limit = query.limit();
        caller.require(Role.AUDITOR, tenant);
        if (limit < 1 || limit > 100) {
            throw new FieldViolation("limit", "must be from 1 to 100");
        }
        return transactions.inTransaction(() -> jobs.recent(tenant, limit).stream().map(this::view).toList());
    }

    @Override
    public ReportView file(ReportQuery query) {
        Caller caller = query.caller();
        UUID id = query.id();
        return transactions.inTransaction(() -> downloadable(caller, id));
    }

    @Override
    public Download download(ReportQuery query, Part part) {
        Caller caller = query.caller();
        UUID id = query.id();
        ReportView view = transactions.inTransaction(() -> downloadable(caller, id));
        ReportFile file = view.file();
        if (part.kind() == Part.Kind.RANGE && part.last() >= file.bytes()) {
            throw new IllegalArgumentException("byte range " + part.first() + "-" + part.last() + " ends beyond the "
                    + file.bytes() + " bytes of the file");
        }
        if (part.kind() == Part.Kind.NOT_MODIFIED) {
            transactions.inTransaction(() -> {
                record(caller, view.job(), file, part);
                return null;
            });
            return new Download(view.job(), file, part, null);
        }
        ReportFiles.Checked checked;
        try {
            checked = files.checked(file);
        } catch (ReportFileCorrupted e) {
            // Evidence that failed its digest is itself evidence: the tenant's log says who found it, and when.
            transactions.inTransaction(() -> {
                selfAudit.record(caller, view.job().tenant(), REPORT_FILE_INTEGRITY_FAILED, new JsonObject(Map.of(
                        "reportId", new JsonString(view.job().id().toString()),
                        "sha256", new JsonString(file.sha256().hex()),
                        "bytes", new JsonNumber(file.bytes()),
                        "detail", new JsonString(e.getMessage()))));
                return null;
            });
            throw e;
        }
        try {
            transactions.inTransaction(() -> {
                record(caller, view.job(), file, part);
                return null;
            });
            long offset = part.kind() == Part.Kind.RANGE ? part.first() : 0;
            long length = part.kind() == Part.Kind.RANGE ? part.last() - part.first() + 1 : file.bytes();
            return new Download(view.job(), file, part, new Content() {
                @Override
                public long length() {
                    return length;
                }

                @Override
                public InputStream open() throws IOException {
                    return checked.open(offset, length);
                }

                @Override
                public void close() {
                    checked.close();
                }
            });
        } catch (RuntimeException e) {
            checked.close();
            throw e;
        }
    }

    private void record(Caller caller, ReportJob job, ReportFile file, Part part) {
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("reportId", new JsonString(job.id().toString()));
        metadata.put("format", new JsonString(job.format().wireName()));
        metadata.put("sha256", new JsonString(file.sha256().hex()));
        metadata.put("bytes", new JsonNumber(file.bytes()));
        switch (part.kind()) {
            case RANGE -> metadata.put("range", new JsonString("bytes " + part.first() + "-" + part.last() + "/"
                    + file.bytes()));
            case NOT_MODIFIED -> metadata.put("notModified", JsonBoolean.of(true));
            case WHOLE -> {
            }
        }
        selfAudit.record(caller, job.tenant(), REPORT_DOWNLOADED, new JsonObject(metadata));
    }

    private ReportView downloadable(Caller caller, UUID id) {
        ReportView view = view(visible(caller, id));
        ReportJob job = view.job();
        if (job.parameters().personalData()) {
            // Its file holds personal values in clear once decrypted: only for those who may see them.
            caller.require(Role.PERSONAL_DATA_READER, job.tenant());
        }
        if (job.status() != ReportStatus.SUCCEEDED) {
            throw new ReportNotReady(id, job.status());
        }
        ReportFile file = view.file();
        if (file == null) {
            throw new ReportFileGone(id, null, "the file of report " + id + " is not in the store all instances share"
                    + " (it was generated before files were kept there, on one instance's disk); request the report"
                    + " again");
        }
        if (file.purged()) {
            throw new ReportFileGone(id, file.purgedAt(), "the file of report " + id + " was purged at "
                    + file.purgedAt() + " at the end of its retention (" + files.retention().keepFor().iso() + "); its"
                    + " record remains (" + file.bytes() + " bytes, sha256 " + file.sha256().hex() + "), and the report"
                    + " can be requested again");
        }
        return view;
    }

    private ReportView view(ReportJob job) {
        if (job.status() != ReportStatus.SUCCEEDED) {
            return ReportView.withoutFile(job);
        }
        ReportFile file = catalog.find(job.id()).orElse(null);
        boolean erased = file != null && !file.purged() && job.parameters().personalData() && files.keyErased(file);
        return new ReportView(job, file, file == null ? null : files.retention().expiresAt(file.storedAt()), erased);
    }

    private ReportJob visible(Caller caller, UUID id) {
        ReportJob job = jobs.find(id).orElseThrow(() -> new ReportNotFound(id));
        if (!caller.mayRead(job.tenant())) {
            throw new ReportNotFound(id);
        }
        return job;
    }
}
