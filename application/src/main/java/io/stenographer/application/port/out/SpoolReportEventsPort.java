package io.stenographer.application.port.out;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import java.io.IOException;
import java.util.UUID;

/**
 * Keeps the events a report's first pass read, so its second pass writes the event table from them instead of
 * reading the log again. Private to the report's worker, and gone when it closes.
 */
public interface SpoolReportEventsPort {

    Spool create(TenantId tenant, UUID reportId) throws IOException;

    /** Entries in the order they were appended; readable any number of times once writing is done. */
    interface Spool extends AutoCloseable {

        void append(LogLeaf leaf, AuditEvent event) throws IOException;

        /** Ends writing; {@link #forEach} may be called from then on. */
        void finishWriting() throws IOException;

        long size();

        void forEach(Entries consumer) throws IOException;

        /** Deletes what was spooled. */
        @Override
        void close() throws IOException;
    }

    @FunctionalInterface
    interface Entries {
        void accept(LogLeaf leaf, AuditEvent event) throws IOException;
    }
}
