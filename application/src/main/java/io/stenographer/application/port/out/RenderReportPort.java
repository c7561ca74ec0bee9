package io.stenographer.application.port.out;

import io.stenographer.domain.report.ReportDocument;
import io.stenographer.domain.report.ReportEvents;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Renders the human format (PDF/A-3). The machine formats (JSON, CSV, bundle) are written by the domain itself,
 * because the offline verifier must read exactly what was written; the PDF carries the report's verifiable bundle
 * as an attachment, so one file is both read by people and checked by machines.
 */
public interface RenderReportPort {

    /** The attachment's name inside the PDF. */
    String BUNDLE_ATTACHMENT = "report-bundle.zip";

    /**
     * @param rows   the event table's rows to print (the first ones of the report)
     * @param bundle writes the report's verifiable bundle (every event, with proofs) to attach
     */
    void renderPdf(ReportDocument document, ReportEvents rows, Bundle bundle, OutputStream out) throws IOException;

    @FunctionalInterface
    interface Bundle {
        void writeTo(OutputStream out) throws IOException;
    }
}
