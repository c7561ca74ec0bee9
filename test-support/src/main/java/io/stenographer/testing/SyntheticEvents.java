package io.stenographer.testing;

/**
 * Synthetic events in bulk, one SQL statement, with realistic shapes: three events per occurredAt instant (ties),
 * every ~95 s from 2025-01-01; ids are UUIDv7 of the received time; 5,000 actors and 20 source applications with
 * skew; 50 actions under 5 prefixes, plus 0.3% self-audit {@code audit.query} and 1% three-segment
 * {@code case.note.*}; 20,000 resources of 4 types; 90/7/3% outcomes; 40% correlated; 30% with a client event id.
 * The leaf hash is a stand-in: these events are for query plans and query timings, never integrated (load them
 * with {@code session_replication_role = replica}, which skips the integration-queue trigger).
 * Used by {@code QueryPlanTest} and the query benchmark, so both measure the same data.
 */
public final class SyntheticEvents {

    /** Parameters: 1 the tenant, 2 the last row number (rows - 1). */
    public static final String INSERT = """
            INSERT INTO audit_event (id, tenant, received_at, submitted_by, actor_id, actor_type,
                    actor_display_name, action, resource_type, resource_id, reason, outcome, occurred_at,
                    source_application, source_ip, source_user_agent, correlation_id, metadata, client_event_id,
                    leaf_hash)
            SELECT (lpad(to_hex((extract(epoch FROM g.received_at) * 1000)::bigint), 12, '0') || '7'
                        || lpad(to_hex(g.i % 4096), 3, '0') || '8' || g.h || lpad(to_hex(g.i), 7, '0'))::uuid,
                   g.t, g.received_at, 'writer-' || g.app, 'user-' || g.actor,
                   CASE WHEN g.actor % 10 = 0 THEN 'service' ELSE 'user' END, NULL,
                   CASE WHEN g.i % 331 = 0 THEN 'audit.query'
                        WHEN g.i % 101 = 0 THEN 'case.note.' || (ARRAY['add','edit'])[g.i % 2 + 1]
                        ELSE (ARRAY['case','person','report','export','admin'])[g.act / 10 + 1] || '.'
                             || (ARRAY['view','edit','create','delete','export','print','search','share','approve',
                                       'reject'])[g.act % 10 + 1] END,
                   (ARRAY['case','person','report','document'])[g.res % 4 + 1], 'R-' || g.res,
                   CASE WHEN g.i % 5 = 0 THEN 'background check' END,
                   CASE WHEN g.o < 0.90 THEN 'success' WHEN g.o < 0.97 THEN 'failure' ELSE 'denied' END,
                   g.occurred_at, 'app-' || lpad(g.app::text, 2, '0'), '10.0.' || (g.i % 250) || '.' || (g.i % 199),
                   'loadgen/1.0', CASE WHEN g.i % 5 < 2 THEN 'corr-' || lpad((g.i / 5)::text, 6, '0') END,
                   '{}', CASE WHEN g.i % 10 < 3 THEN 'ce-' || lpad(g.i::text, 7, '0') END,
                   sha256(convert_to(g.t || ':' || g.i, 'UTF8'))
            FROM (SELECT s.i, s.t, s.h, s.occurred_at,
                         s.occurred_at + floor(random() * 2000) * interval '1 ms' AS received_at,
                         floor(5000 * random() ^ 2)::int AS actor,
                         floor(50 * random() ^ 1.5)::int AS act,
                         floor(20000 * random())::int AS res,
                         random() AS o,
                         floor(20 * random() ^ 2)::int AS app
                  FROM (SELECT i, t, substr(md5(t), 1, 8) AS h,
                               timestamptz '2025-01-01 00:00:00+00' + (i / 3) * interval '94.608 s' AS occurred_at
                        FROM (SELECT ?::text AS t) tenant, generate_series(0, ?) AS i) s) g
            """;

    private SyntheticEvents() {
    }
}
