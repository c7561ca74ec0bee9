package io.stenographer.application.service;

import io.stenographer.application.port.in.CreateReportCommand;
import io.stenographer.application.port.in.CreateReportUseCase;
import io.stenographer.application.port.in.TooManyReports;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportParameters;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Queues a report, in one transaction: access check, the tenant's limit of active reports, pinning to
 * the latest signed checkpoint (or the requested published size), the request, and its
 * {@value #REPORT_REQUESTED} event in the tenant's log.
 */
public final class CreateReportService implements CreateReportUseCase {

    static final String REPORT_REQUESTED = "report.requested";

    private final TrackReportJobsPort jobs;
    private final LoadLogPort log;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final RandomGenerator random;
    private final int maxActivePerTenant;

    private final StoredIdentifiers identifiers;

    public CreateReportService(TrackReportJobsPort jobs, LoadLogPort log, SelfAudit selfAudit,
            TransactionRunner transactions, Clock clock, RandomGenerator random, int maxActivePerTenant,
            StoredIdentifiers identifiers) {
        this.identifiers = java.util.Objects.requireNonNull(identifiers);
        this.jobs = jobs;
        this.log = log;
        this.selfAudit = selfAudit;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
        this.maxActivePerTenant = maxActivePerTenant;
    }

    @Override
    public ReportJob create(CreateReportCommand command) {
        command.caller().require(Role.AUDITOR, command.tenant());
        if (command.parameters().personalData()) {
            command.caller().require(Role.PERSONAL_DATA_READER, command.tenant());
        }
        command.parameters().checkFits(command.type());
        // Stored, filtered on and recorded as the events store the identifiers: never a personal id in clear.
        ReportParameters parameters = identifiers.of(command.tenant(), command.parameters());
        return transactions.inTransaction(() -> {
            jobs.lockTenant(command.tenant());
            if (jobs.active(command.tenant()) >= maxActivePerTenant) {
                throw new TooManyReports(command.tenant(), maxActivePerTenant);
            }
            PublishedCheckpoint checkpoint = pin(command);
            Instant now = clock.instant();
            ReportJob job = ReportJob.request(unguessableId(), command.tenant(), command.type(), command.format(),
                    parameters, command.caller().subject(), now, checkpoint.treeSize());
            jobs.add(job);
            selfAudit.record(command.caller(), command.tenant(), REPORT_REQUESTED,
                    new JsonObject(Map.of("reportId", new JsonString(job.id().toString()),
                            "type", new JsonString(job.type().wireName()),
                            "format", new JsonString(job.format().wireName()),
                            "treeSize", new JsonNumber(job.treeSize()),
                            "query", job.parameters().toJson(job.type()))));
            return job;
        });
    }

    private PublishedCheckpoint pin(CreateReportCommand command) {
        Long size = command.parameters().treeSize();
        if (size == null) {
            return log.latestCheckpoint(command.tenant())
                    .orElseThrow(() -> new FieldViolation("tenant", "this log has no signed checkpoint yet"));
        }
        return log.checkpointAt(command.tenant(), size).orElseThrow(() -> new FieldViolation("parameters.treeSize",
                "no checkpoint was published at tree size " + size));
    }

    /** A random (version 4) UUID from the service's CSPRNG: 122 unguessable bits. */
    private UUID unguessableId() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
