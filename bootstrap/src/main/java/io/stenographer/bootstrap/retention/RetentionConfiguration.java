package io.stenographer.bootstrap.retention;

import io.quarkus.runtime.Startup;
import io.stenographer.adapters.persistence.PostgresArchiveCatalog;
import io.stenographer.adapters.persistence.PostgresEventPurge;
import io.stenographer.adapters.persistence.PostgresJobRuns;
import io.stenographer.adapters.persistence.PostgresLegalHolds;
import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.adapters.persistence.PostgresPersonalData;
import io.stenographer.adapters.persistence.PostgresRetentionPolicies;
import io.stenographer.application.port.in.JobRunsUseCase;
import io.stenographer.application.port.in.ManageLegalHoldsUseCase;
import io.stenographer.application.port.in.ManageRetentionPoliciesUseCase;
import io.stenographer.application.port.in.RunArchiveJobUseCase;
import io.stenographer.application.port.in.RunPurgeJobUseCase;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.PropagateLegalHoldsPort;
import io.stenographer.application.port.out.StoreLegalHoldsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.ActiveRetentionPolicies;
import io.stenographer.application.service.ArchiveEventsService;
import io.stenographer.application.service.ArchiveEventsService.SegmentLimits;
import io.stenographer.application.service.ArchiveLegalHolds;
import io.stenographer.application.service.JobRuns;
import io.stenographer.application.service.JobRunsService;
import io.stenographer.application.service.ManageLegalHoldsService;
import io.stenographer.application.service.ManageRetentionPoliciesService;
import io.stenographer.application.service.PurgeEventsService;
import io.stenographer.application.service.SelfAudit;
import io.stenographer.bootstrap.archive.ArchiveMetrics;
import io.stenographer.bootstrap.archive.ArchiveSettings;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.PolicyMatcher;
import io.stenographer.domain.retention.RetentionFloor;
import io.stenographer.domain.retention.RetentionPeriod;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Retention (docs/RETENTION.md): policies, legal holds, and the archive and purge jobs that apply them. */
@ApplicationScoped
public class RetentionConfiguration {

    private static final Logger LOG = Logger.getLogger(RetentionConfiguration.class);

    /**
     * The configured policies for all tenants: the mandatory default. Checked at start-up, so an invalid
     * period or a missing legal basis stops the service instead of archiving under a wrong rule.
     */
    @Produces
    @Singleton
    @Startup
    RetentionPolicies configuredRetentionPolicies(
            @ConfigProperty(name = "stenographer.retention.default.archive-after") String archiveAfter,
            @ConfigProperty(name = "stenographer.retention.default.retain-for") String retainFor,
            @ConfigProperty(name = "stenographer.retention.default.legal-basis") String legalBasis,
            Clock clock) {
        try {
            return RetentionPolicies.onlyDefault(RetentionPolicy.create(PolicyId.of("default"), 1, PolicyMatcher.ANY,
                    RetentionPeriod.parse("stenographer.retention.default.archive-after", archiveAfter),
                    RetentionPeriod.parse("stenographer.retention.default.retain-for", retainFor),
                    legalBasis, "configuration", Timestamps.truncate(clock.instant())));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid default retention policy in configuration: " + e.getMessage(), e);
        }
    }

    /**
     * The shortest retention a tenant policy may have: {@code stenographer.retention.minimum-retain-for}, replaced for
     * one tenant by {@code stenographer.retention.tenant-minimum-retain-for.<tenant>}. Configuration only; checked at
     * start-up.
     */
    @Produces
    @Singleton
    @Startup
    RetentionFloor retentionFloor(Config config,
            @ConfigProperty(name = "stenographer.retention.minimum-retain-for", defaultValue = "P1D") String global,
            RetentionPolicies configured) {
        String prefix = "stenographer.retention.tenant-minimum-retain-for.";
        Map<TenantId, RetentionPeriod> perTenant = new HashMap<>();
        try {
            for (String name : config.getPropertyNames()) {
                if (name.startsWith(prefix)) {
                    perTenant.put(new TenantId(name.substring(prefix.length()).replace("\"", "")),
                            RetentionPeriod.parse(name, config.getValue(name, String.class)));
                }
            }
            RetentionFloor floor = new RetentionFloor(
                    RetentionPeriod.parse("stenographer.retention.minimum-retain-for", global), perTenant);
            if (configured.defaultPolicy().retainFor().isShorterThan(floor.global())) {
                throw new IllegalArgumentException("the default policy keeps records for "
                        + configured.defaultPolicy().retainFor().iso() + ", less than the minimum " + global);
            }
            return floor;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid minimum retention in configuration: " + e.getMessage(), e);
        }
    }

    /** What archive and purge jobs resolve events against, inside their own transactions. */
    @Produces
    @Singleton
    ActiveRetentionPolicies activeRetentionPolicies(PostgresRetentionPolicies stored, RetentionPolicies configured) {
        return new ActiveRetentionPolicies(stored, configured);
    }

    @Produces
    @ApplicationScoped
    ManageRetentionPoliciesUseCase manageRetentionPolicies(PostgresRetentionPolicies stored,
            ActiveRetentionPolicies active, SelfAudit selfAudit, TransactionRunner transactions, Clock clock,
            RandomGenerator random, RetentionFloor floor) {
        return new ManageRetentionPoliciesService(stored, active, selfAudit, transactions, clock, random, floor);
    }

    /** Every bean implementing {@link PropagateLegalHoldsPort} (the archive's legal-hold sync) is told of changes. */
    @Produces
    @ApplicationScoped
    ManageLegalHoldsUseCase manageLegalHolds(PostgresLegalHolds holds, Instance<PropagateLegalHoldsPort> listeners,
            SelfAudit selfAudit, TransactionRunner transactions, Clock clock, RandomGenerator random,
            io.stenographer.application.service.PersonalDataVault vault) {
        return new ManageLegalHoldsService(holds, listeners.stream().toList(), selfAudit, transactions, clock,
                random, vault::storedForm);
    }

    @Produces
    @ApplicationScoped
    PropagateLegalHoldsPort archiveLegalHolds(PostgresArchiveCatalog catalog, ArchiveSegmentsPort archive,
            StoreLegalHoldsPort holds, TransactionRunner transactions) {
        return new ArchiveLegalHolds(catalog, archive, holds, transactions, LOG::warn);
    }

    @Produces
    @ApplicationScoped
    RunArchiveJobUseCase archiveJob(PostgresMerkleLog log, PostgresArchiveCatalog catalog,
            ArchiveSegmentsPort archive, ActiveRetentionPolicies policies, StoreLegalHoldsPort holds,
            SelfAudit selfAudit, JobRuns jobRuns, TransactionRunner transactions, Clock clock,
            ArchiveSettings settings, ArchiveMetrics metrics) {
        return new ArchiveEventsService(log, catalog, archive, policies, holds, selfAudit, jobRuns, transactions,
                clock, new SegmentLimits(settings.maxEventsPerSegment(), settings.maxSegmentBytes()),
                settings.maxSegmentsPerRun(), settings.minimumLock(), metrics);
    }

    @Produces
    @ApplicationScoped
    RunPurgeJobUseCase purgeJob(PostgresArchiveCatalog catalog, PostgresEventPurge purge, ArchiveSegmentsPort archive,
            PostgresPersonalData personalData, ActiveRetentionPolicies policies, StoreLegalHoldsPort holds,
            PostgresMerkleLog log, SelfAudit selfAudit, JobRuns jobRuns, TransactionRunner transactions, Clock clock,
            ArchiveSettings settings, ArchiveMetrics metrics) {
        return new PurgeEventsService(catalog, purge, purge, archive, personalData, policies, holds, log, selfAudit,
                jobRuns, transactions, clock, settings.purgeBatchSize(), metrics);
    }

    @Produces
    @ApplicationScoped
    JobRunsUseCase jobRuns(PostgresJobRuns runs, TransactionRunner transactions) {
        return new JobRunsService(runs, transactions);
    }
}
