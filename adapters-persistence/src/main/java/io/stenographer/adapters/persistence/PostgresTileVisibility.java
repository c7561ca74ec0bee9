package io.stenographer.adapters.persistence;

import io.stenographer.application.port.in.ManageTileVisibilityUseCase.TileVisibility;
import io.stenographer.application.port.out.StoreTileVisibilityPort;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Timestamp;
import org.hibernate.Session;

@ApplicationScoped
public class PostgresTileVisibility implements StoreTileVisibilityPort {

    private final Jdbc jdbc;

    PostgresTileVisibility(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public TileVisibility visibility(TenantId tenant) {
        return jdbc.first("""
                SELECT public_tiles, changed_by, changed_at FROM hash_tile_visibility
                WHERE tenant = ? ORDER BY changed_at DESC LIMIT 1""", ps -> ps.setString(1, tenant.value()),
                rs -> new TileVisibility(tenant, rs.getBoolean(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                .orElse(TileVisibility.defaultFor(tenant));
    }

    @Override
    public void record(TileVisibility change) {
        jdbc.update("""
                INSERT INTO hash_tile_visibility (tenant, changed_at, public_tiles, changed_by)
                VALUES (?, ?, ?, ?)""", ps -> {
            ps.setString(1, change.tenant().value());
            ps.setTimestamp(2, Timestamp.from(change.changedAt()));
            ps.setBoolean(3, change.publicHashTiles());
            ps.setString(4, change.changedBy());
        });
    }
}
