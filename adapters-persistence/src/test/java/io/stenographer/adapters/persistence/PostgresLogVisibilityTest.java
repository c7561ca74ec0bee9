package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.ManageLogVisibilityUseCase.LogVisibility;
import io.stenographer.domain.event.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The log's visibility table. V30 closes every tenant's checkpoint, which anyone could read before, except where hash
 * tiles were public (they reveal the tree's size anyway): those keep it open by a new row, the history of who opened
 * what kept as it was. And the latest change counts, whichever clock stamped it.
 */
class PostgresLogVisibilityTest {

    private static final Instant EARLIER = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void publicTilesKeepTheirCheckpointPublicAndEveryOtherCheckpointCloses() throws Exception {
        ScratchDatabase database = ScratchDatabase.create("log_visibility_upgrade", "29");
        try (Connection app = database.app()) {
            insertV13(app, "opened", EARLIER, false, "admin-1");
            insertV13(app, "opened", EARLIER.plusSeconds(60), true, "admin-2");
            insertV13(app, "reclosed", EARLIER, true, "admin-1");
            insertV13(app, "reclosed", EARLIER.plusSeconds(60), false, "admin-1");
        }

        database.migrate("latest");

        try (Connection app = database.app()) {
            List<String> opened = history(app, "opened");
            assertThat(opened).hasSize(3);
            assertThat(opened.subList(0, 2)).containsExactly("false/false/admin-1", "false/true/admin-2");
            assertThat(opened.get(2)).startsWith("true/true/migration V30");
            assertThat(history(app, "reclosed")).containsExactly("false/true/admin-1", "false/false/admin-1");
            assertThat(history(app, "never-changed")).isEmpty();

            // From now on, public tiles come with a public checkpoint, and rows stay append-only.
            assertThatThrownBy(() -> insert(app, "reclosed", Instant.now(), false, true))
                    .isInstanceOf(SQLException.class).hasMessageContaining("log_visibility_tiles_need_checkpoint");
            insert(app, "reclosed", Instant.now(), true, false);
            try (Statement statement = app.createStatement()) {
                assertThatThrownBy(() -> statement.execute("UPDATE log_visibility SET public_checkpoint = false"))
                        .isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> statement.execute("DELETE FROM log_visibility"))
                        .isInstanceOf(SQLException.class);
            }
        }
    }

    /** An instance whose clock is behind the one that opened the log still closes it: the latest row counts. */
    @Test
    void aChangeFromASlowerClockStillBecomesTheLatest() {
        PostgresLogVisibility store = new PostgresLogVisibility(MigratedPostgres.session());
        TenantId tenant = new TenantId("vis-" + UUID.randomUUID().toString().substring(0, 8));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // what timestamptz keeps
        LogVisibility opened = MigratedPostgres.transactions().inTransaction(() -> store.record(
                new LogVisibility(tenant, true, true, "admin-fast-clock", now.plusSeconds(30))));
        assertThat(opened.changedAt()).isEqualTo(now.plusSeconds(30));

        LogVisibility closed = MigratedPostgres.transactions().inTransaction(() -> store.record(
                new LogVisibility(tenant, false, false, "admin-slow-clock", now)));

        assertThat(closed.changedAt()).isAfter(opened.changedAt());
        LogVisibility latest = MigratedPostgres.transactions().inTransaction(() -> store.visibility(tenant));
        assertThat(latest.publicCheckpoint()).isFalse();
        assertThat(latest.changedBy()).isEqualTo("admin-slow-clock");
        assertThat(latest.changedAt()).isEqualTo(closed.changedAt());
    }

    private static void insertV13(Connection app, String tenant, Instant at, boolean publicTiles, String by)
            throws SQLException {
        try (PreparedStatement insert = app.prepareStatement(
                "INSERT INTO hash_tile_visibility (tenant, changed_at, public_tiles, changed_by) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, tenant);
            insert.setTimestamp(2, Timestamp.from(at));
            insert.setBoolean(3, publicTiles);
            insert.setString(4, by);
            insert.executeUpdate();
        }
    }

    private static void insert(Connection app, String tenant, Instant at, boolean publicCheckpoint,
            boolean publicTiles) throws SQLException {
        try (PreparedStatement insert = app.prepareStatement("INSERT INTO log_visibility "
                + "(tenant, changed_at, public_checkpoint, public_tiles, changed_by) VALUES (?, ?, ?, ?, 'admin-3')")) {
            insert.setString(1, tenant);
            insert.setTimestamp(2, Timestamp.from(at));
            insert.setBoolean(3, publicCheckpoint);
            insert.setBoolean(4, publicTiles);
            insert.executeUpdate();
        }
    }

    /** Each row, oldest first, as public_checkpoint/public_tiles/changed_by. */
    private static List<String> history(Connection app, String tenant) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement select = app.prepareStatement("SELECT public_checkpoint, public_tiles, changed_by "
                + "FROM log_visibility WHERE tenant = ? ORDER BY changed_at")) {
            select.setString(1, tenant);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getBoolean(1) + "/" + result.getBoolean(2) + "/" + result.getString(3));
                }
            }
        }
        return rows;
    }
}
