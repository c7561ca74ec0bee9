package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportType;

/** Queues a report pinned to a signed checkpoint, and records the request in the tenant's log. */
public interface CreateReportUseCase {

    ReportJob create(CreateReportCommand command);

    record CreateReportCommand(Caller caller, TenantId tenant, ReportType type, ReportFormat format,
            ReportParameters parameters) {
    }
}
