package io.stenographer.adapters.persistence;

import io.stenographer.domain.query.ActionFilter;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.EventCursor;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The WHERE of an event search, written once and rendered two ways: as HQL over {@link AuditEventEntity} for the
 * page ({@link PostgresEventStore#search}) and as SQL over {@code audit_event} for the capped count
 * ({@link PostgresEventCounts}), so that a count always counts exactly what the pages list.
 *
 * <p>Each condition names columns by their SQL names and takes its values as {@code ?}; HQL gets the entity's
 * property names and numbered parameters ({@code ?1}, {@code ?2}, ...).
 */
final class EventFilter {

    /** How a condition names a column and calls a database function. */
    interface Dialect {

        String column(String sqlName);

        String splitPart(String column, String delimiter, int field);
    }

    static final Dialect SQL = new Dialect() {
        @Override
        public String column(String sqlName) {
            return sqlName;
        }

        @Override
        public String splitPart(String column, String delimiter, int field) {
            return "split_part(" + column + ", '" + delimiter + "', " + field + ")";
        }
    };

    static final Dialect HQL = new Dialect() {
        private static final Map<String, String> PROPERTIES = Map.of("tenant", "tenant", "actor_id", "actorId",
                "action", "action", "resource_type", "resourceType", "resource_id", "resourceId", "outcome", "outcome",
                "occurred_at", "occurredAt", "source_application", "sourceApplication", "correlation_id",
                "correlationId", "id", "id");

        @Override
        public String column(String sqlName) {
            String property = PROPERTIES.get(sqlName);
            if (property == null) {
                throw new IllegalArgumentException("no property for column " + sqlName);
            }
            return property;
        }

        @Override
        public String splitPart(String column, String delimiter, int field) {
            return "function('split_part', " + column + ", '" + delimiter + "', " + field + ")";
        }
    };

    private final List<Function<Dialect, String>> conditions = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    private EventFilter() {
    }

    /** The criteria's conditions, and {@code after} as the keyset cursor when not null. */
    static EventFilter of(EventCriteria criteria, EventCursor after) {
        EventFilter filter = new EventFilter();
        filter.add(d -> d.column("tenant") + " = ?", criteria.tenant().value());
        filter.equal("actor_id", criteria.actorId());
        ActionFilter action = criteria.action();
        if (action != null && action.prefix()) {
            // Every action has at least two segments, so 'case.*' is exactly "first segment = case": an
            // equality that audit_event_action_namespace_ix (V3) serves in (occurred_at, id) order. A range
            // on action could only be served by sorting the namespace, and that is the plan PostgreSQL
            // caches as generic after a few searches (docs/QUERY-PLANS.md).
            String stem = action.value();
            int firstDot = stem.indexOf('.');
            filter.add(d -> d.splitPart(d.column("action"), ".", 1) + " = ?", stem.substring(0, firstDot));
            if (firstDot < stem.length() - 1) {
                // A deeper stem ('case.note.*') narrows inside the namespace, deliberately not as an
                // indexable range, so no plan trades the ordered namespace scan for a sort.
                filter.add(d -> "left(" + d.column("action") + ", ?) = ?", stem.length(), stem);
            }
        } else if (action != null) {
            filter.equal("action", action.value());
        }
        filter.equal("resource_type", criteria.resourceType());
        filter.equal("resource_id", criteria.resourceId());
        filter.equal("outcome", criteria.outcome() == null ? null : criteria.outcome().wireName());
        if (criteria.from() != null) {
            filter.add(d -> d.column("occurred_at") + " >= ?", criteria.from());
        }
        if (criteria.to() != null) {
            filter.add(d -> d.column("occurred_at") + " < ?", criteria.to());
        }
        filter.equal("source_application", criteria.sourceApplication());
        filter.equal("correlation_id", criteria.correlationId());
        if (after != null) {
            // A row-value comparison is an index condition on every (..., occurred_at, id) index, so a
            // page starts at the cursor; the equivalent OR form is only a filter and rereads all before it.
            filter.add(d -> "(" + d.column("occurred_at") + ", " + d.column("id") + ") > (?, ?)",
                    after.occurredAt(), after.id().value());
        }
        return filter;
    }

    private void equal(String column, String value) {
        if (value != null) {
            add(d -> d.column(column) + " = ?", value);
        }
    }

    private void add(Function<Dialect, String> condition, Object... conditionValues) {
        conditions.add(condition);
        values.addAll(List.of(conditionValues));
    }

    /** The conditions joined by AND, parameters as JDBC's {@code ?}. */
    String sql() {
        return String.join(" AND ", conditions.stream().map(c -> c.apply(SQL)).toList());
    }

    /** The conditions joined by {@code and}, parameters numbered {@code ?1, ?2, ...} in the order of {@link #values}. */
    String hql() {
        String joined = String.join(" and ", conditions.stream().map(c -> c.apply(HQL)).toList());
        StringBuilder numbered = new StringBuilder(joined.length() + 16);
        int next = 1;
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            numbered.append(c);
            if (c == '?') {
                numbered.append(next++);
            }
        }
        return numbered.toString();
    }

    /** The parameters in order, as Hibernate binds them. */
    Object[] values() {
        return values.toArray();
    }

    /** The parameters in order, as the PostgreSQL driver binds them: instants as UTC offset date-times. */
    Object[] jdbcValues() {
        return values.stream()
                .map(value -> value instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC)
                        : value)
                .toArray();
    }
}
