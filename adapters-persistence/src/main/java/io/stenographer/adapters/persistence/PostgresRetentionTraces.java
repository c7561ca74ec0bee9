package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.FindUntracedRetentionChangesPort;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.Session;

/**
 * Finds retention changes without their self-audit event: the event may still be in the event store, or
 * purged after archiving (then its catalogue row names action and resource; the version is not kept there).
 */
@ApplicationScoped
public class PostgresRetentionTraces implements FindUntracedRetentionChangesPort {

    private static final String TRACED = """
            EXISTS (SELECT 1 FROM audit_event e
                    WHERE e.tenant = ? AND e.action = %1$s AND e.resource_type = %2$s AND e.resource_id = %3$s
                      AND (%4$s IS NULL OR (e.metadata::jsonb ->> 'version')::integer = %4$s))
            OR EXISTS (SELECT 1 FROM archived_event a
                    WHERE a.tenant = ? AND a.action = %1$s AND a.resource_type = %2$s AND a.resource_id = %3$s)""";

    private final Jdbc jdbc;

    PostgresRetentionTraces(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public List<String> untracedChanges(TenantId tenant, int limit) {
        String releases = """
                SELECT 'release of legal hold ' || r.hold_id FROM legal_hold_release r
                JOIN legal_hold h ON h.id = r.hold_id
                WHERE h.tenant = ? AND NOT (""" + TRACED.formatted("'legal-hold.released'", "'legal-hold'",
                "r.hold_id::text", "NULL::integer") + ")";
        String versions = """
                SELECT 'version ' || v.version || ' of retention policy ' || v.policy_id
                FROM retention_policy_version v
                WHERE v.tenant = ? AND NOT (""" + TRACED.formatted("'retention.policy.created'",
                "'retention-policy'", "v.policy_id", "v.version") + ")";
        String retirements = """
                SELECT 'retirement of version ' || t.version || ' of retention policy ' || t.policy_id
                FROM retention_policy_retirement t
                WHERE t.tenant = ? AND NOT (""" + TRACED.formatted("'retention.policy.retired'",
                "'retention-policy'", "t.policy_id", "t.version") + ")";
        return jdbc.query("(" + releases + ") UNION ALL (" + versions + ") UNION ALL (" + retirements + ") LIMIT ?",
                ps -> {
                    int i = 1;
                    for (int part = 0; part < 3; part++) {
                        ps.setString(i++, tenant.value());
                        ps.setString(i++, tenant.value());
                        ps.setString(i++, tenant.value());
                    }
                    ps.setInt(i, limit);
                }, rs -> rs.getString(1));
    }
}
