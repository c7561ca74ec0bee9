package io.stenographer.adapters.persistence;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.stenographer.application.port.out.StoreUnavailable;
import io.stenographer.application.port.out.TransactionRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * One JTA transaction per use case: commits when the work returns, rolls back when it throws. A lost
 * or refused database connection becomes {@link StoreUnavailable}, so callers are told to retry rather
 * than shown an internal error.
 */
@ApplicationScoped
public class QuarkusTransactionRunner implements TransactionRunner {

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        try {
            return QuarkusTransaction.joiningExisting().call(work::get);
        } catch (StoreUnavailable e) {
            throw e;
        } catch (RuntimeException e) {
            var lost = ConnectionFailures.find(e);
            if (lost.isPresent()) {
                // The driver's message can quote a batch's values, i.e. event contents: only the state is logged.
                throw new StoreUnavailable("database unavailable (SQLState " + lost.get().getSQLState() + ")", e);
            }
            throw e;
        }
    }
}
