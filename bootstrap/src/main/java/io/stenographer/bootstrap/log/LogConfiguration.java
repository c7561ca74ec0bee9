package io.stenographer.bootstrap.log;

import io.quarkus.runtime.Startup;
import io.stenographer.adapters.persistence.PostgresArchiveCatalog;
import io.stenographer.adapters.persistence.PostgresInclusionInputs;
import io.stenographer.adapters.persistence.PostgresLeafFields;
import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.adapters.persistence.PostgresRetentionTraces;
import io.stenographer.adapters.persistence.PostgresSigningKeys;
import io.stenographer.adapters.persistence.PostgresLogVisibility;
import io.stenographer.adapters.persistence.PostgresVerificationRuns;
import io.stenographer.application.port.in.ExportLogUseCase;
import io.stenographer.application.port.in.IntegrateEventsUseCase;
import io.stenographer.application.port.in.LogProofsUseCase;
import io.stenographer.application.port.in.ManageLogVisibilityUseCase;
import io.stenographer.application.port.in.ReadTilesUseCase;
import io.stenographer.application.port.in.VerifyLogUseCase;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.ArchivedEventReader;
import io.stenographer.application.service.ExportLogService;
import io.stenographer.application.service.IntegrateEventsService;
import io.stenographer.application.service.LogProofsService;
import io.stenographer.application.service.ManageLogVisibilityService;
import io.stenographer.application.service.ReadTilesService;
import io.stenographer.application.service.RetentionRecordsCheck;
import io.stenographer.application.service.SelfAudit;
import io.stenographer.application.service.SequencerLimits;
import io.stenographer.application.service.TenantKeySets;
import io.stenographer.application.service.LogCache;
import io.stenographer.application.service.ParallelLeafReads;
import io.stenographer.application.service.VerifyLogService;
import io.stenographer.bootstrap.signing.FileSigningKey;
import io.stenographer.bootstrap.signing.SigningKeyPassphrase;
import io.stenographer.domain.log.LogOrigins;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The tamper-evident log: the signing key, the sequencer, proofs, exports and verification. */
@ApplicationScoped
public class LogConfiguration {

    @Produces
    @Singleton
    LogOrigins logOrigins(@ConfigProperty(name = "stenographer.log.origin-prefix") String prefix) {
        return new LogOrigins(prefix);
    }

    /**
     * The one signing key, loaded at start-up so that a missing or exposed key stops the service before it
     * accepts events. Its bean types include both ports it implements, checkpoint and report-manifest signing.
     */
    @Produces
    @Singleton
    @Startup
    FileSigningKey signingKey(
            @ConfigProperty(name = "stenographer.log.signing-key-file") Path keyFile,
            @ConfigProperty(name = "stenographer.log.retired-signing-key-files") Optional<List<Path>> retiredFiles,
            @ConfigProperty(name = "stenographer.log.key-name") String keyName,
            @ConfigProperty(name = "stenographer.log.generate-signing-key", defaultValue = "false") boolean generate,
            @ConfigProperty(name = SigningKeyPassphrase.SETTING) Optional<String> passphrase) {
        return FileSigningKey.load(keyFile, retiredFiles.orElse(List.of()), keyName, generate,
                SigningKeyPassphrase.of(passphrase));
    }

    @Produces
    @ApplicationScoped
    TenantKeySets tenantKeySets(SignCheckpointPort signer, PostgresSigningKeys history) {
        return new TenantKeySets(signer, history);
    }

    @Produces
    @ApplicationScoped
    IntegrateEventsUseCase integrateEvents(PostgresMerkleLog log, SignCheckpointPort signer,
            PostgresSigningKeys keyHistory, SelfAudit selfAudit, TransactionRunner transactions, Clock clock,
            LogOrigins origins,
            @ConfigProperty(name = "stenographer.log.max-leaves-per-round", defaultValue = "20000") int maxLeaves,
            @ConfigProperty(name = "stenographer.log.round-budget", defaultValue = "PT0.5S") Duration roundBudget,
            @ConfigProperty(name = "stenographer.log.sequencer-workers", defaultValue = "4") int workers,
            @ConfigProperty(name = "stenographer.log.sequencer-tenants-per-transaction",
                    defaultValue = "" + SequencerLimits.TENANTS_PER_TRANSACTION) int tenantsPerTransaction) {
        return new IntegrateEventsService(log, log, log, signer, keyHistory, selfAudit, transactions, clock, origins,
                new SequencerLimits(maxLeaves, roundBudget, workers, tenantsPerTransaction));
    }

    @Produces
    @Singleton
    LogCache logCache(@ConfigProperty(name = "stenographer.log.cache-entries") int entries) {
        return new LogCache(entries);
    }

    @Produces
    @ApplicationScoped
    LogProofsUseCase logProofs(PostgresMerkleLog log, PostgresInclusionInputs inclusionInputs,
            SignCheckpointPort signer, TenantKeySets keySets, PostgresLogVisibility visibility, LogCache cache,
            TransactionRunner transactions) {
        return new LogProofsService(log, inclusionInputs, signer, keySets, visibility, cache, transactions);
    }

    @Produces
    @ApplicationScoped
    ReadTilesUseCase readTiles(PostgresMerkleLog log, ArchivedEventReader archived, SelfAudit selfAudit,
            PostgresLogVisibility visibility, LogCache cache, TransactionRunner transactions) {
        return new ReadTilesService(log, archived, selfAudit, visibility, cache, transactions);
    }

    @Produces
    @ApplicationScoped
    ManageLogVisibilityUseCase logVisibility(PostgresLogVisibility store, SelfAudit selfAudit,
            TransactionRunner transactions, Clock clock) {
        return new ManageLogVisibilityService(store, selfAudit, transactions, clock);
    }

    @Produces
    @ApplicationScoped
    VerifyLogUseCase verifyLog(PostgresMerkleLog log, PostgresLeafFields leafFields, SelfAudit selfAudit,
            PostgresVerificationRuns runs, TenantKeySets keySets, TransactionRunner transactions, Clock clock,
            LogOrigins origins, PostgresArchiveCatalog catalog, ArchivedEventReader archived,
            PostgresRetentionTraces traces,
            @ConfigProperty(name = "stenographer.log.verify-streams") int verifyStreams,
            @ConfigProperty(name = "stenographer.log.verify-stripe-leaves") long stripeLeaves) {
        int streams = verifyStreams > 0 ? verifyStreams
                : ParallelLeafReads.streamsFor(Runtime.getRuntime().availableProcessors());
        return new VerifyLogService(log, new ParallelLeafReads(leafFields, streams, stripeLeaves), selfAudit,
                runs, keySets, transactions, clock, origins,
                new RetentionRecordsCheck(catalog, archived, traces, transactions));
    }

    @Produces
    @ApplicationScoped
    ExportLogUseCase exportLog(PostgresMerkleLog log, SelfAudit selfAudit, TenantKeySets keySets,
            TransactionRunner transactions) {
        return new ExportLogService(log, selfAudit, keySets, transactions);
    }
}
