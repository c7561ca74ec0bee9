package io.stenographer.adapters.persistence;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.stenographer.application.port.out.TransactionRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/** One JTA transaction per use case: commits when the work returns, rolls back when it throws. */
@ApplicationScoped
public class QuarkusTransactionRunner implements TransactionRunner {

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return QuarkusTransaction.joiningExisting().call(work::get);
    }
}
