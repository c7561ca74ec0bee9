package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;

/** Where generated report files live. Written once, in a stream; readable only after complete. */
public interface StoreReportFilesPort {

    /**
     * Streams a report's file into place: it becomes visible only when {@code content} returns normally;
     * on failure nothing is kept.
     */
    Stored write(TenantId tenant, UUID id, ReportFormat format, Content content) throws IOException;

    InputStream open(TenantId tenant, UUID id, ReportFormat format) throws IOException;

    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    record Stored(long bytes, Hash sha256) {
    }
}
