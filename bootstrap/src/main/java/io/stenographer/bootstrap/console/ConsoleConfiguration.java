package io.stenographer.bootstrap.console;

import io.stenographer.adapters.persistence.PostgresEventCounts;
import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.application.port.in.CheckpointHistoryUseCase;
import io.stenographer.application.port.in.CountEventsUseCase;
import io.stenographer.application.port.in.RecordConsoleViewUseCase;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.CheckpointHistoryService;
import io.stenographer.application.service.CountEventsService;
import io.stenographer.application.service.RecordConsoleViewService;
import io.stenographer.application.service.SelfAudit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The console's own use cases (its view records, the search's capped count, the checkpoint history); every other
 * page goes through the same use cases as the API.
 */
@ApplicationScoped
public class ConsoleConfiguration {

    @Produces
    @ApplicationScoped
    RecordConsoleViewUseCase recordConsoleView(SelfAudit selfAudit, TransactionRunner transactions,
            io.stenographer.application.service.PersonalDataVault vault) {
        return new RecordConsoleViewService(selfAudit, transactions, vault::storedForm);
    }

    @Produces
    @ApplicationScoped
    CountEventsUseCase countEvents(PostgresEventCounts counts, TransactionRunner transactions,
            io.stenographer.application.service.PersonalDataVault vault) {
        return new CountEventsService(counts, transactions, vault::storedForm);
    }

    @Produces
    @ApplicationScoped
    CheckpointHistoryUseCase checkpointHistory(PostgresMerkleLog log, TransactionRunner transactions) {
        return new CheckpointHistoryService(log, transactions);
    }
}
