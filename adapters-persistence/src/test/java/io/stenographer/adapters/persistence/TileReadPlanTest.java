package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The tile read that proofs, verification and the sequencer use stays a range scan per tile however large
 * merkle_subtree grows. Joined as sets, the planner hashed the requested tiles and seq-scanned the whole table in
 * parallel once it held a few hundred thousand rows: 372 ms for one 256-hash tile at 10M leaves.
 */
class TileReadPlanTest {

    @Test
    void everyTileIsAnIndexRangeScanWhateverTheTableHolds() throws SQLException {
        try (Connection superuser = MigratedPostgres.server().superuserConnection()) {
            superuser.setAutoCommit(false);
            try (Statement s = superuser.createStatement()) {
                // 640,000 stored hashes of one tenant at two levels and 200,000 of 2,000 others; rolled back.
                s.execute("INSERT INTO merkle_subtree (tenant, level, node_index, hash) SELECT 'plan-big',"
                        + " CASE WHEN n < 600000 THEN 8 ELSE 16 END, n % 600000, sha256(int8send(n))"
                        + " FROM generate_series(0, 639999) n");
                s.execute("INSERT INTO merkle_subtree (tenant, level, node_index, hash) SELECT 'plan-' || (n % 2000),"
                        + " 8, n / 2000, sha256(int8send(n)) FROM generate_series(0, 199999) n");
                s.execute("ANALYZE merkle_subtree");
                s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                // Push the planner the way a large table's statistics did at 10M leaves: away from nested loops and
                // towards parallel scans. A lateral range per tile leaves it no other plan.
                s.execute("SET LOCAL enable_nestloop = off");
                s.execute("SET LOCAL parallel_setup_cost = 0");
                s.execute("SET LOCAL parallel_tuple_cost = 0");
                s.execute("PREPARE tiles(int[], smallint[], bigint[], bigint[], text, text) AS "
                        + numbered(PostgresMerkleLog.TILES));
                String plan;
                try (ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE tiles('{0,1}', '{8,0}',"
                        + " '{256,0}', '{512,256}', 'plan-big', 'plan-big')")) {
                    rs.next();
                    plan = rs.getString(1);
                }
                assertThat(plan).doesNotContain("Seq Scan").doesNotContain("Hash Join").doesNotContain("Gather")
                        .contains("merkle_subtree_pkey").contains("log_leaf_pkey");
                int rows = 0;
                try (ResultSet rs = s.executeQuery("EXECUTE tiles('{0}', '{8}', '{256}', '{512}', 'plan-big',"
                        + " 'plan-big')")) {
                    while (rs.next()) {
                        assertThat(rs.getLong(2)).isEqualTo(256 + rows);
                        rows++;
                    }
                }
                assertThat(rows).isEqualTo(256);
            } finally {
                superuser.rollback();
            }
        }
    }

    /** The adapter's statement with its {@code ?} parameters numbered, for PREPARE. */
    private static String numbered(String sql) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char c : sql.toCharArray()) {
            if (c == '?') {
                out.append('$').append(++n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
