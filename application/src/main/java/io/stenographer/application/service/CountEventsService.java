package io.stenographer.application.service;

import io.stenographer.application.port.in.CountEventsQuery;
import io.stenographer.application.port.in.CountEventsUseCase;
import io.stenographer.application.port.out.CountEventsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Role;

/** Counts a search's matches in the hot store, no further than the cap, in one read-only transaction. */
public final class CountEventsService implements CountEventsUseCase {

    private final CountEventsPort counts;
    private final TransactionRunner transactions;

    private final StoredIdentifiers identifiers;

    public CountEventsService(CountEventsPort counts, TransactionRunner transactions, StoredIdentifiers identifiers) {
        this.identifiers = java.util.Objects.requireNonNull(identifiers);
        this.counts = counts;
        this.transactions = transactions;
    }

    @Override
    public EventCount count(CountEventsQuery query) {
        // The same rule as QueryEventsService: a count tells as much about a tenant as a search does.
        query.caller().require(Role.AUDITOR, query.criteria().tenant());
        // Outside the transaction: with AWS KMS a pseudonym may take a key-management call.
        var criteria = identifiers.of(query.criteria());
        long counted = transactions.inTransaction(() -> counts.countUpTo(criteria, query.cap()));
        return counted > query.cap() ? new EventCount(query.cap(), true) : new EventCount(counted, false);
    }
}
