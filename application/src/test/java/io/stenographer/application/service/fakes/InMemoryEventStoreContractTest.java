package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.EventStoreContractTest;

/** The in-memory event store the service tests use, held to the contract PostgreSQL passes. */
class InMemoryEventStoreContractTest extends EventStoreContractTest {

    @Override
    protected Store store() {
        FakeTransactionRunner transactions = new FakeTransactionRunner();
        InMemoryEventStore events = new InMemoryEventStore(transactions);
        return new Store(events, events, events, transactions);
    }
}
