package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.SpoolReportEventsPort;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Spools in memory, counting those still open, so a test sees every one is closed. */
public final class InMemoryReportSpools implements SpoolReportEventsPort {

    private int open;
    private int created;

    public int open() {
        return open;
    }

    public int created() {
        return created;
    }

    @Override
    public Spool create(TenantId tenant, UUID reportId) {
        open++;
        created++;
        return new Spool() {
            private final List<LogLeaf> leaves = new ArrayList<>();
            private final List<AuditEvent> events = new ArrayList<>();
            private boolean writing = true;
            private boolean closed;

            @Override
            public void append(LogLeaf leaf, AuditEvent event) {
                if (!writing) {
                    throw new IllegalStateException("the spool was finished");
                }
                leaves.add(leaf);
                events.add(event);
            }

            @Override
            public void finishWriting() {
                writing = false;
            }

            @Override
            public long size() {
                return leaves.size();
            }

            @Override
            public void forEach(Entries consumer) throws IOException {
                if (writing) {
                    throw new IllegalStateException("finish writing before reading the spool");
                }
                for (int i = 0; i < leaves.size(); i++) {
                    consumer.accept(leaves.get(i), events.get(i));
                }
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    open--;
                }
            }
        };
    }
}
