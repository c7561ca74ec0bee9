package io.stenographer.bootstrap;

import io.stenographer.adapters.persistence.PostgresEventStore;
import io.stenographer.application.port.in.GetEventUseCase;
import io.stenographer.application.port.in.QueryEventsUseCase;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.GetEventService;
import io.stenographer.application.service.QueryEventsService;
import io.stenographer.application.service.RecordEventsService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The composition root: the one place where services meet their adapters. Services stay plain Java;
 * only this class knows they run inside Quarkus.
 */
@ApplicationScoped
public class UseCaseConfiguration {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Event ids carry 74 random bits; a CSPRNG keeps them unguessable. */
    @Produces
    @ApplicationScoped
    RandomGenerator random() {
        return new SecureRandom();
    }

    @Produces
    @ApplicationScoped
    RecordEventsUseCase recordEvents(PostgresEventStore store, TransactionRunner transactions, Clock clock,
            RandomGenerator random,
            @ConfigProperty(name = "stenographer.ingest.max-future-skew", defaultValue = "PT5M")
            Duration maxFutureSkew) {
        return new RecordEventsService(store, store, transactions, clock, random, maxFutureSkew);
    }

    @Produces
    @ApplicationScoped
    QueryEventsUseCase queryEvents(PostgresEventStore store, TransactionRunner transactions, Clock clock,
            RandomGenerator random) {
        return new QueryEventsService(store, store, transactions, clock, random);
    }

    @Produces
    @ApplicationScoped
    GetEventUseCase getEvent(PostgresEventStore store, TransactionRunner transactions, Clock clock,
            RandomGenerator random) {
        return new GetEventService(store, store, transactions, clock, random);
    }
}
