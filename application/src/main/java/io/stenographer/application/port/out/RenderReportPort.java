package io.stenographer.application.port.out;

import io.stenographer.domain.report.ReportDocument;
import io.stenographer.domain.report.ReportEvents;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Renders the human format (PDF). The machine formats (JSON, CSV, bundle) are written by the domain
 * itself, because the offline verifier must read exactly what was written.
 */
public interface RenderReportPort {

    void renderPdf(ReportDocument document, ReportEvents events, OutputStream out) throws IOException;
}
