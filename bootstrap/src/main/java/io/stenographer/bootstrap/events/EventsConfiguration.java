package io.stenographer.bootstrap.events;

import io.stenographer.adapters.persistence.DurableDatabaseGuard;
import io.stenographer.adapters.persistence.PostgresArchiveCatalog;
import io.stenographer.adapters.persistence.PostgresEventStore;
import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.adapters.persistence.PostgresPersonalData;
import io.stenographer.application.port.in.DurabilityLost;
import io.stenographer.application.port.in.GetEventUseCase;
import io.stenographer.application.port.in.QueryEventsUseCase;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.ArchivedEventReader;
import io.stenographer.application.service.GetEventService;
import io.stenographer.application.service.PersonalDataVault;
import io.stenographer.application.service.QueryEventsService;
import io.stenographer.application.service.RecordEventsService;
import io.stenographer.application.service.SelfAudit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Events in and out: ingest, reading one event, searching, and reading purged events back from the archive. */
@ApplicationScoped
public class EventsConfiguration {

    @Produces
    @ApplicationScoped
    RecordEventsUseCase recordEvents(PostgresEventStore store, TransactionRunner transactions, Clock clock,
            RandomGenerator random,
            @ConfigProperty(name = "stenographer.ingest.max-future-skew", defaultValue = "PT5M")
            Duration maxFutureSkew, PersonalDataVault vault, PostgresPersonalData personalData,
            DurableDatabaseGuard durability) {
        RecordEventsService service = new RecordEventsService(store, store, transactions, clock, random,
                maxFutureSkew, vault, personalData);
        // A receipt promises the commit is on disk: while the last check found otherwise, nothing is accepted.
        return command -> {
            List<String> violations = durability.violations();
            if (!violations.isEmpty()) {
                throw new DurabilityLost(violations);
            }
            return service.record(command);
        };
    }

    @Produces
    @ApplicationScoped
    ArchivedEventReader archivedEvents(PostgresArchiveCatalog catalog, ArchiveSegmentsPort archive,
            PostgresMerkleLog log) {
        return new ArchivedEventReader(catalog, archive, log);
    }

    @Produces
    @ApplicationScoped
    GetEventUseCase getEvent(PostgresEventStore store, PostgresArchiveCatalog catalog, ArchivedEventReader archived,
            SelfAudit selfAudit, TransactionRunner transactions) {
        return new GetEventService(store, catalog, archived, selfAudit, transactions);
    }

    @Produces
    @ApplicationScoped
    QueryEventsUseCase queryEvents(PostgresEventStore store, PostgresArchiveCatalog catalog,
            ArchivedEventReader archived, SelfAudit selfAudit, TransactionRunner transactions,
            PersonalDataVault vault) {
        return new QueryEventsService(store, catalog, archived, selfAudit, transactions, vault::storedForm);
    }
}
