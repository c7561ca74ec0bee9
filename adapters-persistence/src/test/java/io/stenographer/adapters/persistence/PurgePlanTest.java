package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The plan the purge function's DELETE really gets, read with auto_explain from inside the function.
 * The first version was driven from every archive segment (anti-joined with the deletion table, which has no
 * statistics while it is empty) and probed every archived event: about a minute per 500-id call at 1M
 * (BENCHMARKS.md, issue 4). Here 200 segments and 20,000 archived events recreate those statistics inside a
 * transaction that is rolled back; the DELETE must start from the requested ids and use unique keys only.
 */
class PurgePlanTest {

    @Test
    void thePurgeStartsFromTheRequestedIdsAndNeverWalksTheArchive() throws SQLException {
        StringBuilder plans = new StringBuilder();
        try (Connection superuser = MigratedPostgres.server().superuserConnection()) {
            superuser.setAutoCommit(false);
            try (Statement statement = superuser.createStatement()) {
                statement.execute("""
                        INSERT INTO archive_segment (object_key, tenant, from_index, to_index, object_sha256,
                            range_root, checkpoint_tree_size, manifest, retain_until, archived_at,
                            confirmed_lock_mode, confirmed_retain_until)
                        SELECT 'plan-test/' || g, 'plan-test', g * 100, g * 100 + 100, repeat('a', 64),
                            decode(repeat('00', 32), 'hex'), 1000000, '{}', now() + interval '1 day', now(),
                            'COMPLIANCE', now() + interval '1 day'
                        FROM generate_series(0, 199) g""");
                statement.execute("""
                        INSERT INTO archived_event (tenant, log_index, event_id, segment_key, leaf_hash, actor_id,
                            action, outcome, occurred_at, received_at)
                        SELECT 'plan-test', g, gen_random_uuid(), 'plan-test/' || (g / 100),
                            decode(repeat('00', 32), 'hex'), 'actor-' || (g % 50), 'case.view', 'success', now(),
                            now()
                        FROM generate_series(0, 19999) g""");
                statement.execute("ANALYZE archive_segment, archived_event");
                statement.execute("LOAD 'auto_explain'");
                statement.execute("SET LOCAL auto_explain.log_min_duration = 0");
                statement.execute("SET LOCAL auto_explain.log_nested_statements = on");
                statement.execute("SET LOCAL auto_explain.log_level = notice");
                statement.execute("SET LOCAL client_min_messages = notice");
                statement.execute("""
                        SELECT count(*) FROM stenographer_purge_archived_events('plan-test',
                            ARRAY(SELECT event_id FROM archived_event WHERE tenant = 'plan-test' LIMIT 500))""");
                for (SQLWarning warning = statement.getWarnings(); warning != null;
                        warning = warning.getNextWarning()) {
                    plans.append(warning.getMessage()).append('\n');
                }
            } finally {
                superuser.rollback();
            }
        }
        String delete = plans.substring(Math.max(0, plans.indexOf("DELETE FROM audit_event")));
        assertThat(delete).as(plans.toString())
                .contains("DELETE FROM audit_event", "Function Scan on unnest", "archived_event_event_id_key")
                .doesNotContain("archived_event_segment_ix")
                .doesNotContain("Seq Scan on archived_event")
                .doesNotContain("Seq Scan on audit_event");
    }
}
