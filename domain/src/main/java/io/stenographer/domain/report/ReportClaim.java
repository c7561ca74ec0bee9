package io.stenographer.domain.report;

import java.util.Objects;

/**
 * One attempt at generating a report, by one service instance. Only the latest attempt of a report may finish it: an
 * instance that stopped refreshing its claim's heartbeat is superseded by the next attempt, on another instance.
 *
 * @param attempt  1 for the first claim, n + 1 for the claim that takes over attempt n
 * @param instance the id of the service instance that holds the claim
 */
public record ReportClaim(ReportJob job, int attempt, String instance) {

    public ReportClaim {
        Objects.requireNonNull(job, "job");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts are numbered from 1");
        }
        if (instance == null || instance.isBlank() || instance.length() > 100) {
            throw new IllegalArgumentException("an instance id is 1-100 characters");
        }
    }
}
