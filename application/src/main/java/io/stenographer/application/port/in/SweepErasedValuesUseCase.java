package io.stenographer.application.port.in;

/**
 * Deletes the encrypted values an erasure left for later: their keys are already destroyed, so they are unreadable;
 * this removes the ciphertext too. Run by the scheduler; no caller, no tenant.
 */
public interface SweepErasedValuesUseCase {

    /** Deletes up to {@code maxValues} such values, a batch per transaction; returns how many. */
    long sweep(long maxValues);
}
