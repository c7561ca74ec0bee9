package io.stenographer.application.service;

import io.stenographer.application.port.in.ExportLogCommand;
import io.stenographer.application.port.in.ExportLogUseCase;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.bundle.BundleHeader;
import io.stenographer.domain.bundle.BundleWriter;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.InclusionProof;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exports are pinned to one signed checkpoint and written chunk by chunk, each chunk in its own short
 * read transaction: log rows never change, so the chunks add up to one consistent bundle.
 */
public final class ExportLogService implements ExportLogUseCase {

    /** Full tiles one export keeps: the upper levels every proof of the run shares (8 KiB each). */
    private static final int RUN_TILES = 256;

    static final String AUDIT_EXPORT = "audit.export";
    private static final int CHUNK = 500;
    public static final long MAX_ENTRIES = 1_000_000;

    private final LoadLogPort log;
    private final SelfAudit selfAudit;
    private final TenantKeySets keySets;
    private final TransactionRunner transactions;

    public ExportLogService(LoadLogPort log, SelfAudit selfAudit, TenantKeySets keySets,
            TransactionRunner transactions) {
        this.log = log;
        this.selfAudit = selfAudit;
        this.keySets = keySets;
        this.transactions = transactions;
    }

    @Override
    public ExportPlan plan(ExportLogCommand command) {
        Caller caller = command.caller();
        TenantId tenant = command.tenant();
        Long from = command.from();
        Long to = command.to();
        caller.require(Role.AUDITOR, tenant);
        return transactions.inTransaction(() -> {
            PublishedCheckpoint checkpoint = log.latestCheckpoint(tenant)
                    .orElseThrow(() -> new FieldViolation("tenant", "this log has no checkpoint yet"));
            long start = from == null ? 0 : from;
            long end = to == null ? checkpoint.treeSize() : to;
            if (start < 0 || start >= end) {
                throw new FieldViolation("from", "must be at least 0 and below 'to'");
            }
            if (end > checkpoint.treeSize()) {
                throw new FieldViolation("to", "must not exceed the published tree size " + checkpoint.treeSize());
            }
            if (end - start > MAX_ENTRIES) {
                throw new FieldViolation("to", "an export holds at most " + MAX_ENTRIES + " entries");
            }
            selfAudit.record(caller, tenant, AUDIT_EXPORT, new JsonObject(Map.of(
                    "from", new JsonNumber(start), "to", new JsonNumber(end),
                    "treeSize", new JsonNumber(checkpoint.treeSize()))));
            return new ExportPlan(tenant, start, end, checkpoint);
        });
    }

    @Override
    public void write(ExportPlan plan, OutputStream out) throws IOException {
        BundleWriter writer = BundleWriter.utf8(out);
        PublishedCheckpoint checkpoint = plan.checkpoint();
        writer.header(new BundleHeader(checkpoint.checkpoint().origin(), plan.tenant(), plan.from(), plan.to(),
                checkpoint.treeSize(), checkpoint.signedNote(),
                transactions.inTransaction(() -> keySets.of(plan.tenant())).keyAt(checkpoint.treeSize())
                        .toVerifierKey()));
        StoredTree tree = new StoredTree(log, plan.tenant(), checkpoint.treeSize(), new LogCache(RUN_TILES));
        for (long chunk = plan.from(); chunk < plan.to(); chunk += CHUNK) {
            long chunkEnd = Math.min(plan.to(), chunk + CHUNK);
            long chunkStart = chunk;
            // Read and prove in the transaction, write after it: a client that stops reading blocks the write,
            // and must not hold a database connection and transaction while it does.
            ExportChunk read = transactions.inTransaction(() -> {
                List<LoadLogPort.LeafWithEvent> rows = log.leavesWithEvents(plan.tenant(), chunkStart, chunkEnd);
                if (rows.size() != chunkEnd - chunkStart) {
                    throw new LogIntegrityViolation("leaves [" + chunkStart + ", " + chunkEnd + ") of "
                            + plan.tenant() + " are incomplete; run a verification");
                }
                List<InclusionProof> proofs = tree.compute(source -> {
                    List<InclusionProof> computed = new ArrayList<>(rows.size());
                    for (LoadLogPort.LeafWithEvent row : rows) {
                        computed.add(InclusionProof.compute(row.leaf().index(), checkpoint.treeSize(), source));
                    }
                    return computed;
                });
                return new ExportChunk(rows, proofs);
            });
            for (int i = 0; i < read.rows().size(); i++) {
                LogLeaf leaf = read.rows().get(i).leaf();
                AuditEvent event = read.rows().get(i).event();
                if (read.rows().get(i).purged()) {
                    writer.purged(leaf.index(), leaf.leafHash(), read.proofs().get(i));
                    continue;
                }
                if (event == null) {
                    throw new LogIntegrityViolation("event " + leaf.eventId() + " at index " + leaf.index()
                            + " is missing or unreadable; run a verification");
                }
                writer.entry(leaf.index(), leaf.leafHash(), event, read.proofs().get(i));
            }
            writer.flush();
        }
        writer.end();
        writer.flush();
    }

    /** One chunk of the export, read and proved in its own transaction. */
    private record ExportChunk(List<LoadLogPort.LeafWithEvent> rows, List<InclusionProof> proofs) {
    }
}
