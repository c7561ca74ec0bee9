package io.stenographer.application.port.in;

import io.stenographer.domain.report.ReportJob;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** A report's status, and its file once generated (each download is recorded in the tenant's log). */
public interface GetReportUseCase {

    /** @throws ReportNotFound when there is no such report in the caller's tenants */
    ReportJob status(ReportQuery query);

    /** The tenant's reports, newest first (at most 100). */
    List<ReportJob> recent(ReportsQuery query);

    /**
     * @throws ReportNotFound when there is no such report in the caller's tenants
     * @throws ReportNotReady when it is not (or could not be) generated
     */
    Download download(ReportQuery query);

    record Download(ReportJob job, Opener content) {
    }

    interface Opener {
        InputStream open() throws IOException;
    }
}
