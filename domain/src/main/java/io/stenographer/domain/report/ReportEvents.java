package io.stenographer.domain.report;

import java.io.IOException;

/** A report's event table, produced on demand in log-index order (read from storage chunk by chunk). */
public interface ReportEvents {

    void forEach(Sink sink) throws IOException;

    interface Sink {
        void accept(ReportEntry entry) throws IOException;
    }
}
