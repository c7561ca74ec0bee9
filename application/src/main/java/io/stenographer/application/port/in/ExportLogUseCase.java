package io.stenographer.application.port.in;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.PublishedCheckpoint;
import java.io.IOException;
import java.io.OutputStream;

/** Verifiable export of an index range: events, leaf hashes, inclusion proofs, checkpoint and key. */
public interface ExportLogUseCase {

    /** Checks access, pins the latest checkpoint and records the export; nothing is written yet. */
    ExportPlan plan(ExportLogCommand command);

    /** Streams the bundle (stenographer.bundle/v1 NDJSON) in chunks; memory stays bounded. */
    void write(ExportPlan plan, OutputStream out) throws IOException;

    record ExportPlan(TenantId tenant, long from, long to, PublishedCheckpoint checkpoint) {
    }
}
