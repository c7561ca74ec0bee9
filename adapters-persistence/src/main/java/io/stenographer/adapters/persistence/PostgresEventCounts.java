package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.CountEventsPort;
import io.stenographer.domain.query.EventCriteria;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.Session;

/**
 * Counts a search's matches in {@code audit_event} with the search's own conditions ({@link EventFilter}), reading
 * no more than {@code cap + 1} of them: a count over a whole tenant costs no more than a deep page.
 */
@ApplicationScoped
public class PostgresEventCounts implements CountEventsPort {

    private final Jdbc jdbc;

    PostgresEventCounts(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public long countUpTo(EventCriteria criteria, int cap) {
        EventFilter filter = EventFilter.of(criteria, null);
        Object[] values = filter.jdbcValues();
        return jdbc.first("SELECT count(*) FROM (SELECT 1 FROM audit_event WHERE " + filter.sql()
                + " LIMIT ?) AS matching", ps -> {
                    for (int i = 0; i < values.length; i++) {
                        ps.setObject(i + 1, values[i]);
                    }
                    ps.setLong(values.length + 1, (long) cap + 1);
                }, rs -> rs.getLong(1)).orElse(0L);
    }
}
