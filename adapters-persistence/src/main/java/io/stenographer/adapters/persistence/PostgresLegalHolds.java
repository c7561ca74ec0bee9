package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.StoreLegalHoldsPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.HoldAlreadyReleased;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.LegalHold;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;
import static io.stenographer.adapters.persistence.PostgresRetentionPolicies.utc;

/** Legal holds and their releases (at most one per hold), on the transaction's JDBC connection. */
@ApplicationScoped
public class PostgresLegalHolds implements StoreLegalHoldsPort {

    private static final String SELECT = """
            SELECT h.id, h.tenant, h.actor_id, h.resource_type, h.resource_id, h.action_pattern, h.occurred_from,
                   h.occurred_to, h.case_reference, h.reason, h.placed_by, h.placed_at,
                   r.released_by, r.released_at, r.reason
            FROM legal_hold h
            LEFT JOIN legal_hold_release r ON r.hold_id = h.id""";

    private final Jdbc jdbc;

    PostgresLegalHolds(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public void appendHold(LegalHold hold) {
        if (!hold.isActive()) {
            throw new IllegalArgumentException("a hold is stored as placed; its release is a row of its own");
        }
        HoldCriteria c = hold.criteria();
        jdbc.update("""
                INSERT INTO legal_hold (id, tenant, actor_id, resource_type, resource_id, action_pattern,
                    occurred_from, occurred_to, case_reference, reason, placed_by, placed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", insert -> {
            insert.setObject(1, hold.id().value());
            insert.setString(2, hold.tenant().value());
            insert.setString(3, c.actorId());
            insert.setString(4, c.resourceType());
            insert.setString(5, c.resourceId());
            insert.setString(6, c.actionPattern());
            insert.setObject(7, utc(c.from()));
            insert.setObject(8, utc(c.to()));
            insert.setString(9, hold.caseReference());
            insert.setString(10, hold.reason());
            insert.setString(11, hold.placedBy());
            insert.setObject(12, utc(hold.placedAt()));
        });
    }

    @Override
    public void appendRelease(LegalHold released) {
        if (released.isActive()) {
            throw new IllegalArgumentException("a release needs the release fields");
        }
        // The function refuses a release without its legal-hold.released event in the tenant's log (V8).
        boolean inserted = jdbc.query("SELECT stenographer_release_legal_hold(?, ?, ?, ?)", ps -> {
            ps.setObject(1, released.id().value());
            ps.setString(2, released.releasedBy());
            ps.setObject(3, utc(released.releasedAt()));
            ps.setString(4, released.releaseReason());
        }, rs -> rs.getBoolean(1)).get(0);
        if (!inserted) {
            throw new HoldAlreadyReleased(released.id());
        }
    }

    @Override
    public Optional<LegalHold> find(HoldId id) {
        return jdbc.first(SELECT + " WHERE h.id = ?", ps -> ps.setObject(1, id.value()), PostgresLegalHolds::hold);
    }

    @Override
    public List<LegalHold> all(TenantId tenant) {
        return jdbc.query(SELECT + " WHERE h.tenant = ? ORDER BY h.placed_at, h.id",
                ps -> ps.setString(1, tenant.value()), PostgresLegalHolds::hold);
    }

    @Override
    public List<LegalHold> active(TenantId tenant) {
        return jdbc.query(SELECT + " WHERE h.tenant = ? AND r.hold_id IS NULL ORDER BY h.placed_at, h.id",
                ps -> ps.setString(1, tenant.value()), PostgresLegalHolds::hold);
    }

    private static LegalHold hold(ResultSet rs) throws SQLException {
        HoldCriteria criteria = new HoldCriteria(rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), instant(rs, 7), instant(rs, 8));
        return new LegalHold(new HoldId(rs.getObject(1, UUID.class)), new TenantId(rs.getString(2)), criteria,
                rs.getString(9), rs.getString(10), rs.getString(11), instant(rs, 12), rs.getString(13),
                instant(rs, 14), rs.getString(15));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
