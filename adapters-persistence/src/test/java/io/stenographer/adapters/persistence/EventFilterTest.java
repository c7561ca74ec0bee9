package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.query.ActionFilter;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.EventCursor;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One filter, two renderings: the page's HQL and the count's SQL name the same conditions in the same order. */
class EventFilterTest {

    private static final TenantId ACME = new TenantId("acme");
    private static final Instant FROM = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-03-01T00:00:00Z");
    private static final UUID ID = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

    @Test
    void everyFilterAndTheCursorAsHqlAndAsSql() {
        EventCriteria criteria = new EventCriteria(ACME, "alice", ActionFilter.parse("case.note.*"), "case", "C-1",
                Outcome.DENIED, FROM, TO, "portal", "corr-1");
        EventFilter filter = EventFilter.of(criteria, new EventCursor(FROM, new EventId(ID)));

        assertThat(filter.hql()).isEqualTo("tenant = ?1 and actorId = ?2"
                + " and function('split_part', action, '.', 1) = ?3 and left(action, ?4) = ?5"
                + " and resourceType = ?6 and resourceId = ?7 and outcome = ?8 and occurredAt >= ?9"
                + " and occurredAt < ?10 and sourceApplication = ?11 and correlationId = ?12"
                + " and (occurredAt, id) > (?13, ?14)");
        assertThat(filter.sql()).isEqualTo("tenant = ? AND actor_id = ? AND split_part(action, '.', 1) = ?"
                + " AND left(action, ?) = ? AND resource_type = ? AND resource_id = ? AND outcome = ?"
                + " AND occurred_at >= ? AND occurred_at < ? AND source_application = ? AND correlation_id = ?"
                + " AND (occurred_at, id) > (?, ?)");
        assertThat(filter.values()).containsExactly("acme", "alice", "case", 10, "case.note.", "case", "C-1",
                "denied", FROM, TO, "portal", "corr-1", FROM, ID);
        assertThat(filter.jdbcValues()).containsExactly("acme", "alice", "case", 10, "case.note.", "case", "C-1",
                "denied", OffsetDateTime.ofInstant(FROM, ZoneOffset.UTC), OffsetDateTime.ofInstant(TO, ZoneOffset.UTC),
                "portal", "corr-1", OffsetDateTime.ofInstant(FROM, ZoneOffset.UTC), ID);
    }

    @Test
    void aNamespaceIsOneConditionAndAnExactActionAnEquality() {
        assertThat(EventFilter.of(new EventCriteria(ACME, null, ActionFilter.parse("case.*"), null, null, null, null,
                null, null, null), null).hql()).isEqualTo("tenant = ?1 and function('split_part', action, '.', 1) = ?2");
        EventFilter exact = EventFilter.of(new EventCriteria(ACME, null, ActionFilter.parse("case.view"), null, null,
                null, null, null, null, null), null);
        assertThat(exact.sql()).isEqualTo("tenant = ? AND action = ?");
        assertThat(exact.values()).containsExactly("acme", "case.view");
    }

    @Test
    void noFilterIsTheTenantAlone() {
        EventFilter filter = EventFilter.of(EventCriteria.allOf(ACME), null);
        assertThat(filter.hql()).isEqualTo("tenant = ?1");
        assertThat(filter.sql()).isEqualTo("tenant = ?");
    }
}
