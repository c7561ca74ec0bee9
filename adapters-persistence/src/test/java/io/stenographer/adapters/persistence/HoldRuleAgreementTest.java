package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.RetentionSubject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The database decides what may be destroyed by the hold rule it states itself ({@code stenographer_hold_covers},
 * which {@code stenographer_is_held} asks since V29); the service decides what to ask for by
 * {@link HoldCriteria#matches}. They must agree on every hold and event, including the traps: a pattern
 * {@code case.*} and an action {@code casex.view}, an event exactly at a hold's start or end, identifiers that
 * differ only in case. Drawn at random from a small alphabet, so that matches and misses are both common.
 */
class HoldRuleAgreementTest {

    private static final String[] ACTORS = {"ann", "Ann", "ben"};
    private static final String[] TYPES = {"case", "record"};
    private static final String[] IDS = {"C-1", "C-2", "c-1"};
    private static final String[] ACTIONS = {"case.view", "case.edit", "case.view.sealed", "casex.view", "record.view"};
    private static final String[] PATTERNS = {"case.view", "case.*", "case.view.*", "record.*", "casex.view"};
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private final Random random = new Random(20261207L);

    private <T> T maybe(T[] choices) {
        return random.nextInt(3) == 0 ? null : choices[random.nextInt(choices.length)];
    }

    private Instant at(int hours) {
        return T0.plusSeconds(3600L * hours);
    }

    private HoldCriteria hold() {
        Instant from = random.nextBoolean() ? at(random.nextInt(4)) : null;
        Instant to = random.nextBoolean() ? at(4 + random.nextInt(4)) : null;
        return new HoldCriteria(maybe(ACTORS), maybe(TYPES), maybe(IDS), maybe(PATTERNS), from, to);
    }

    private RetentionSubject event(TenantId tenant) {
        boolean resource = random.nextInt(4) != 0;
        return new RetentionSubject(tenant, ACTORS[random.nextInt(ACTORS.length)],
                ACTIONS[random.nextInt(ACTIONS.length)], resource ? TYPES[random.nextInt(TYPES.length)] : null,
                resource ? IDS[random.nextInt(IDS.length)] : null, at(random.nextInt(9)), at(9));
    }

    private static Timestamp time(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    @Test
    void theDatabasesHoldRuleIsTheServicesForEveryHoldAndEvent() throws SQLException {
        TenantId tenant = new TenantId("holds-" + UUID.randomUUID().toString().substring(0, 8));
        int agreedMatches = 0;
        try (Connection db = MigratedPostgres.server().connectionAs(EmbeddedPostgresServer.APP_ROLE);
                PreparedStatement covers = db.prepareStatement(
                        "SELECT stenographer_hold_covers(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < 3_000; i++) {
                HoldCriteria hold = hold();
                RetentionSubject event = event(tenant);
                covers.setString(1, hold.actorId());
                covers.setString(2, hold.resourceType());
                covers.setString(3, hold.resourceId());
                covers.setString(4, hold.actionPattern());
                covers.setTimestamp(5, time(hold.from()));
                covers.setTimestamp(6, time(hold.to()));
                covers.setString(7, event.actorId());
                covers.setString(8, event.action());
                covers.setString(9, event.resourceType());
                covers.setString(10, event.resourceId());
                covers.setTimestamp(11, time(event.occurredAt()));
                try (ResultSet row = covers.executeQuery()) {
                    row.next();
                    assertThat(row.getBoolean(1)).as("%s over %s", hold, event).isEqualTo(hold.matches(event));
                    agreedMatches += hold.matches(event) ? 1 : 0;
                }
            }
        }
        assertThat(agreedMatches).as("the draw gives matches as well as misses").isBetween(100, 2_900);
    }

    @Test
    void anEventIsHeldExactlyWhenOneOfItsTenantsHoldsCoversIt() throws SQLException {
        TenantId tenant = new TenantId("holds-" + UUID.randomUUID().toString().substring(0, 8));
        TenantId other = new TenantId("holds-" + UUID.randomUUID().toString().substring(0, 8));
        List<HoldCriteria> holds = new ArrayList<>();
        try (Connection db = MigratedPostgres.server().connectionAs(EmbeddedPostgresServer.APP_ROLE)) {
            // Rolled back at the end: the holds (one over everything of its tenant) stay out of the shared database.
            db.setAutoCommit(false);
            try (PreparedStatement place = db.prepareStatement("INSERT INTO legal_hold (id, tenant, actor_id,"
                    + " resource_type, resource_id, action_pattern, occurred_from, occurred_to, case_reference, reason,"
                    + " placed_by, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'CR-1', 'order', 'admin', now())")) {
                for (int i = 0; i < 3; i++) {
                    HoldCriteria hold = hold();
                    holds.add(hold);
                    place.setObject(1, UUID.randomUUID());
                    place.setString(2, tenant.value());
                    place.setString(3, hold.actorId());
                    place.setString(4, hold.resourceType());
                    place.setString(5, hold.resourceId());
                    place.setString(6, hold.actionPattern());
                    place.setTimestamp(7, time(hold.from()));
                    place.setTimestamp(8, time(hold.to()));
                    place.executeUpdate();
                }
                // Another tenant's hold over everything must hold none of this tenant's events.
                place.setObject(1, UUID.randomUUID());
                place.setString(2, other.value());
                for (int column = 3; column <= 6; column++) {
                    place.setString(column, null);
                }
                place.setTimestamp(7, null);
                place.setTimestamp(8, null);
                place.executeUpdate();
            }
            int held = 0;
            try (PreparedStatement isHeld = db.prepareStatement("SELECT stenographer_is_held(?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 1_000; i++) {
                    RetentionSubject event = event(tenant);
                    isHeld.setString(1, tenant.value());
                    isHeld.setString(2, event.actorId());
                    isHeld.setString(3, event.action());
                    isHeld.setString(4, event.resourceType());
                    isHeld.setString(5, event.resourceId());
                    isHeld.setTimestamp(6, time(event.occurredAt()));
                    boolean expected = holds.stream().anyMatch(hold -> hold.matches(event));
                    try (ResultSet row = isHeld.executeQuery()) {
                        row.next();
                        assertThat(row.getBoolean(1)).as("%s under %s", event, holds).isEqualTo(expected);
                    }
                    held += expected ? 1 : 0;
                }
            }
            assertThat(held).as("the draw holds some events and not others").isBetween(1, 999);
            db.rollback();
        }
    }
}
