package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportType;
import java.util.Objects;

public record CreateReportCommand(Caller caller, TenantId tenant, ReportType type, ReportFormat format,
        ReportParameters parameters) {

    public CreateReportCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
    }
}
