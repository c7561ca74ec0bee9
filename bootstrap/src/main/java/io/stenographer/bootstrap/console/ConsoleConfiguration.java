package io.stenographer.bootstrap.console;

import io.stenographer.application.port.in.RecordConsoleViewUseCase;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.RecordConsoleViewService;
import io.stenographer.application.service.SelfAudit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The console's own use case; every other page goes through the same use cases as the API. */
@ApplicationScoped
public class ConsoleConfiguration {

    @Produces
    @ApplicationScoped
    RecordConsoleViewUseCase recordConsoleView(SelfAudit selfAudit, TransactionRunner transactions) {
        return new RecordConsoleViewService(selfAudit, transactions);
    }
}
