package io.stenographer.application.port.in;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** The report worker: generates queued reports one at a time. */
public interface GenerateReportsUseCase {

    /** Claims and generates the oldest queued report; empty when none is queued. */
    Optional<Outcome> generateNext();

    /** Fails reports that have been running longer than {@code maxRunTime} (their worker died). */
    int failInterrupted(Duration maxRunTime);

    /**
     * @param error   null on success; otherwise what the requester is told
     * @param cause   the underlying exception of an unexpected failure, for the server log only
     */
    record Outcome(UUID reportId, long events, String error, Throwable cause) {
    }
}
