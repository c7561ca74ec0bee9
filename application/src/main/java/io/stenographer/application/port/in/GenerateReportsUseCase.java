package io.stenographer.application.port.in;

import io.stenographer.domain.report.ReportClaim;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The report workers of one service instance. A worker claims a report ({@link #claimNext}), generates it
 * ({@link #generate}) while something else refreshes the claim's heartbeat ({@link #heartbeat}) until it ends.
 * A claim whose heartbeat stops is taken over by another instance; a report interrupted too often is failed
 * ({@link #failAbandoned}).
 */
public interface GenerateReportsUseCase {

    /** This instance's id, as its claims name it. */
    String instance();

    /** Claims the next report, fairly across tenants; empty when none may be claimed now. */
    Optional<ReportClaim> claimNext();

    /**
     * Generates a claimed report and records the result if the claim is still the report's latest. Stops early,
     * recording nothing, as soon as {@code stillClaimed} answers false.
     */
    Outcome generate(ReportClaim claim, BooleanSupplier stillClaimed);

    /** Refreshes the claim's heartbeat; false when the claim was lost (taken over, or the report finished). */
    boolean heartbeat(ReportClaim claim);

    /** Fails the reports whose last allowed attempt was interrupted too; returns how many. */
    int failAbandoned();

    /** Claims and generates the next report, without a heartbeat: for reports that take far less than a takeover. */
    default Optional<Outcome> generateNext() {
        return claimNext().map(claim -> generate(claim, () -> true));
    }

    /**
     * @param error  null on success; otherwise what the requester is told, or why this attempt's result was dropped
     * @param cause  the underlying exception of an unexpected failure, for the server log only
     * @param lost   the claim was lost to another attempt (or the report finished meanwhile): nothing was recorded
     */
    record Outcome(UUID reportId, int attempt, long events, String error, Throwable cause, boolean lost) {
    }
}
