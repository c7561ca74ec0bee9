package io.stenographer.application.port.in;

/**
 * How many of a tenant's stored events match a search, counted up to a cap so that a page showing it stays fast.
 * Allowed exactly as the search itself ({@link QueryEventsUseCase}): to an auditor of the tenant. The count records
 * no event of its own: it is shown beside a search that is recorded ({@code audit.query}, and the console's view
 * with the count in its details).
 */
public interface CountEventsUseCase {

    EventCount count(CountEventsQuery query);

    /**
     * @param matched the number of matching events, or the cap when {@code more}
     * @param more more than {@code matched} events match: the count stopped at the cap
     */
    record EventCount(long matched, boolean more) {
    }
}
