package io.stenographer.application.port.in;

import io.stenographer.domain.report.ReportJob;

/** Queues a report pinned to a signed checkpoint, and records the request in the tenant's log. */
public interface CreateReportUseCase {

    ReportJob create(CreateReportCommand command);
}
