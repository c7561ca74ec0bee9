package io.stenographer.application.port.out;

import java.util.function.Supplier;

/** Runs one use case in one database transaction: all of its writes commit, or none do. */
public interface TransactionRunner {

    <T> T inTransaction(Supplier<T> work);
}
