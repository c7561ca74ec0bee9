package io.stenographer.adapters.persistence;

import io.stenographer.application.port.in.ManageLogVisibilityUseCase.LogVisibility;
import io.stenographer.application.port.out.StoreLogVisibilityPort;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Timestamp;
import org.hibernate.Session;

@ApplicationScoped
public class PostgresLogVisibility implements StoreLogVisibilityPort {

    private final Jdbc jdbc;

    PostgresLogVisibility(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public LogVisibility visibility(TenantId tenant) {
        return jdbc.first("""
                SELECT public_checkpoint, public_tiles, changed_by, changed_at FROM log_visibility
                WHERE tenant = ? ORDER BY changed_at DESC LIMIT 1""", ps -> ps.setString(1, tenant.value()),
                rs -> new LogVisibility(tenant, rs.getBoolean(1), rs.getBoolean(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()))
                .orElse(LogVisibility.defaultFor(tenant));
    }

    @Override
    public LogVisibility visibilityForChange(TenantId tenant) {
        jdbc.call("SELECT pg_advisory_xact_lock(hashtext('stenographer.log-visibility'), hashtext(?))",
                ps -> ps.setString(1, tenant.value()));
        return visibility(tenant);
    }

    /**
     * The latest row counts, so a change is stamped after every earlier one even when this instance's clock is
     * behind the one that wrote it (or behind the database's, which stamped V30's rows): a close that sorted before
     * the open it answers would leave the log public while saying it was closed.
     */
    @Override
    public LogVisibility record(LogVisibility change) {
        return jdbc.first("""
                INSERT INTO log_visibility (tenant, changed_at, public_checkpoint, public_tiles, changed_by)
                VALUES (?, greatest(?, (SELECT max(changed_at) + interval '1 microsecond' FROM log_visibility
                                        WHERE tenant = ?)), ?, ?, ?)
                RETURNING changed_at""", ps -> {
            ps.setString(1, change.tenant().value());
            ps.setTimestamp(2, Timestamp.from(change.changedAt()));
            ps.setString(3, change.tenant().value());
            ps.setBoolean(4, change.publicCheckpoint());
            ps.setBoolean(5, change.publicHashTiles());
            ps.setString(6, change.changedBy());
        }, rs -> new LogVisibility(change.tenant(), change.publicCheckpoint(), change.publicHashTiles(),
                change.changedBy(), rs.getTimestamp(1).toInstant())).orElseThrow();
    }
}
