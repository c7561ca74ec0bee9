package io.stenographer.bootstrap;

import io.stenographer.adapters.persistence.PostgresEventStore;
import io.stenographer.adapters.persistence.PostgresJobLock;
import io.stenographer.adapters.persistence.PostgresJobRuns;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.JobRuns;
import io.stenographer.application.service.SelfAudit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * The composition root's shared plumbing, produced once: the clock, the random source, the one recorder of
 * Stenographer's own use, and the one job-run helper. Each feature has its own configuration class
 * ({@code events}, {@code log}, {@code retention}, {@code reports}, {@code archive}); services stay plain
 * Java and only those classes know they run inside Quarkus.
 */
@ApplicationScoped
public class CommonConfiguration {

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

    /** The one recorder of Stenographer's own use, shared by every service that audits itself. */
    @Produces
    @ApplicationScoped
    SelfAudit selfAudit(PostgresEventStore store, Clock clock, RandomGenerator random,
            io.stenographer.application.service.PersonalDataVault vault) {
        return new SelfAudit(store, clock, random, vault.storedIdentifiers());
    }

    /** The one helper for job runs: manual-run access, cluster lock, run record, partial failure. */
    @Produces
    @ApplicationScoped
    JobRuns jobRuns(PostgresJobRuns runs, PostgresJobLock locks, TransactionRunner transactions, Clock clock,
            RandomGenerator random) {
        return new JobRuns(runs, locks, transactions, clock, random);
    }
}
