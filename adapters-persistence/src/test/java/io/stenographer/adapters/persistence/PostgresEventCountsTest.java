package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.query.ActionFilter;
import io.stenographer.domain.query.EventCriteria;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The capped count against the real database: the search's own conditions ({@link EventFilter}) as SQL over
 * {@code audit_event}, each filter counting exactly the events it matches, one tenant only, stopping at cap + 1.
 */
class PostgresEventCountsTest {

    private static final Instant T0 = Instant.parse("2026-02-10T09:00:00Z");

    private final PostgresEventCounts counts = new PostgresEventCounts(MigratedPostgres.session());
    private final TransactionRunner transactions = MigratedPostgres.transactions();
    private final TenantId tenant = new TenantId("count-" + UUID.randomUUID().toString().substring(0, 12));
    private final TenantId other = new TenantId("count-" + UUID.randomUUID().toString().substring(0, 12));
    private final SplittableRandom random = new SplittableRandom();

    @BeforeEach
    void seed() {
        List<AuditEvent> events = new ArrayList<>();
        // alice: 3 case.view of case C-1 (portal, corr-1), one an hour apart from T0
        for (int i = 0; i < 3; i++) {
            events.add(event(tenant, "alice", "case.view", new ResourceRef("case", "C-1"), Outcome.SUCCESS,
                    T0.plusSeconds(3600L * i), "portal", "corr-1"));
        }
        // alice: 2 case.note.add of C-2, one denied (batch, no correlation)
        events.add(event(tenant, "alice", "case.note.add", new ResourceRef("case", "C-2"), Outcome.SUCCESS,
                T0.plusSeconds(10_800), "batch", null));
        events.add(event(tenant, "alice", "case.note.add", new ResourceRef("case", "C-2"), Outcome.DENIED,
                T0.plusSeconds(14_400), "batch", null));
        // bob: 1 user.login, no resource, a failure
        events.add(event(tenant, "bob", "user.login", null, Outcome.FAILURE, T0.plusSeconds(18_000), "portal",
                "corr-2"));
        // another tenant's alice: 4 case.view of C-1, never counted for this tenant
        for (int i = 0; i < 4; i++) {
            events.add(event(other, "alice", "case.view", new ResourceRef("case", "C-1"), Outcome.SUCCESS,
                    T0.plusSeconds(60L * i), "portal", "corr-1"));
        }
        transactions.inTransaction(() -> {
            MigratedPostgres.session().doWork(connection -> ScratchDatabase.insertEvents(connection, events));
            return null;
        });
    }

    @Test
    void everyFilterCountsWhatItMatches() {
        assertThat(count(criteria(), 100)).isEqualTo(6);
        assertThat(count(criteria().actor("alice"), 100)).isEqualTo(5);
        assertThat(count(criteria().action("case.view"), 100)).isEqualTo(3);
        assertThat(count(criteria().action("case.*"), 100)).isEqualTo(5);
        assertThat(count(criteria().action("case.note.*"), 100)).isEqualTo(2);
        assertThat(count(criteria().action("user.*"), 100)).isEqualTo(1);
        assertThat(count(criteria().resourceType("case"), 100)).isEqualTo(5);
        assertThat(count(criteria().resourceType("case").resourceId("C-2"), 100)).isEqualTo(2);
        assertThat(count(criteria().outcome(Outcome.DENIED), 100)).isEqualTo(1);
        assertThat(count(criteria().from(T0.plusSeconds(3600)), 100)).isEqualTo(5);
        assertThat(count(criteria().to(T0.plusSeconds(3600)), 100)).isEqualTo(1);
        assertThat(count(criteria().from(T0.plusSeconds(3600)).to(T0.plusSeconds(14_400)), 100)).isEqualTo(3);
        assertThat(count(criteria().sourceApplication("batch"), 100)).isEqualTo(2);
        assertThat(count(criteria().correlationId("corr-1"), 100)).isEqualTo(3);
        assertThat(count(criteria().actor("alice").action("case.*").outcome(Outcome.SUCCESS)
                .sourceApplication("portal"), 100)).isEqualTo(3);
        assertThat(count(criteria().actor("nobody"), 100)).isZero();
    }

    @Test
    void theCountStopsOnePastTheCap() {
        assertThat(count(criteria(), 6)).isEqualTo(6);
        assertThat(count(criteria(), 5)).isEqualTo(6);
        assertThat(count(criteria(), 2)).isEqualTo(3);
        assertThat(count(criteria(), 1)).isEqualTo(2);
    }

    @Test
    void anotherTenantsEventsAreNeverCounted() {
        assertThat(count(new Criteria(other), 100)).isEqualTo(4);
        assertThat(count(new Criteria(new TenantId("count-none")), 100)).isZero();
    }

    private long count(Criteria criteria, int cap) {
        return transactions.inTransaction(() -> counts.countUpTo(criteria.build(), cap));
    }

    private Criteria criteria() {
        return new Criteria(tenant);
    }

    private AuditEvent event(TenantId tenantId, String actor, String action, ResourceRef resource, Outcome outcome,
            Instant occurredAt, String application, String correlationId) {
        Instant at = Timestamps.truncate(occurredAt);
        EventDraft draft = new EventDraft(tenantId, new Actor(actor, ActorType.USER, null), Action.of(action),
                resource, null, outcome, at, new Source(application, null, null), correlationId, JsonObject.EMPTY,
                null);
        return AuditEvent.record(EventId.newTimeOrdered(at, random), at, "writer", draft);
    }

    /** A search's criteria, built a filter at a time. */
    private static final class Criteria {
        private final TenantId tenant;
        private String actor;
        private String action;
        private String resourceType;
        private String resourceId;
        private Outcome outcome;
        private Instant from;
        private Instant to;
        private String sourceApplication;
        private String correlationId;

        Criteria(TenantId tenant) {
            this.tenant = tenant;
        }

        Criteria actor(String value) {
            actor = value;
            return this;
        }

        Criteria action(String value) {
            action = value;
            return this;
        }

        Criteria resourceType(String value) {
            resourceType = value;
            return this;
        }

        Criteria resourceId(String value) {
            resourceId = value;
            return this;
        }

        Criteria outcome(Outcome value) {
            outcome = value;
            return this;
        }

        Criteria from(Instant value) {
            from = value;
            return this;
        }

        Criteria to(Instant value) {
            to = value;
            return this;
        }

        Criteria sourceApplication(String value) {
            sourceApplication = value;
            return this;
        }

        Criteria correlationId(String value) {
            correlationId = value;
            return this;
        }

        EventCriteria build() {
            return new EventCriteria(tenant, actor, action == null ? null : ActionFilter.parse(action), resourceType,
                    resourceId, outcome, from, to, sourceApplication, correlationId);
        }
    }
}
