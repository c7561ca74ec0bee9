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
    public void record(LogVisibility change) {
        jdbc.update("""
                INSERT INTO log_visibility (tenant, changed_at, public_checkpoint, public_tiles, changed_by)
                VALUES (?, ?, ?, ?, ?)""", ps -> {
            ps.setString(1, change.tenant().value());
            ps.setTimestamp(2, Timestamp.from(change.changedAt()));
            ps.setBoolean(3, change.publicCheckpoint());
            ps.setBoolean(4, change.publicHashTiles());
            ps.setString(5, change.changedBy());
        });
    }
}
