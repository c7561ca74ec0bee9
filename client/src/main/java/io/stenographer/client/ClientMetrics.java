package io.stenographer.client;

/**
 * Counts since the client was built. {@code queued} is what waits now; the others only grow.
 *
 * @param spooled   events forced to the spool (SPOOL mode)
 * @param sent      events the service answered as created or duplicate
 * @param retried   requests sent again after a network error, 429 or 503
 * @param rejected  events the service refused (a problem, a conflict, 4xx)
 * @param failed    events given up on: delivery timeout, client closed, queue full, receipt mismatch
 */
public record ClientMetrics(long queued, long spooled, long sent, long retried, long rejected, long failed) {
}
