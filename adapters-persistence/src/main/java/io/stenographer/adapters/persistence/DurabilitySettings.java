package io.stenographer.adapters.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings that decide whether a committed transaction survives a crash, read as a connection sees
 * them: {@code pg_settings} shows the session's effective values, so {@code ALTER ROLE} and
 * {@code ALTER DATABASE} settings and options passed on the connection all count, not only the server's.
 */
public final class DurabilitySettings {

    /** {@code synchronous_commit} values that wait for the local WAL flush; only {@code off} does not. */
    private static final List<String> DURABLE_COMMIT = List.of("on", "local", "remote_write", "remote_apply");

    private DurabilitySettings() {
    }

    /** Each setting that could lose an acknowledged commit, with its value and where it came from. */
    public static List<String> violations(Connection connection) throws SQLException {
        List<String> violations = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT name, setting, source FROM pg_settings"
                        + " WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes') ORDER BY name");
                ResultSet rows = query.executeQuery()) {
            int seen = 0;
            while (rows.next()) {
                seen++;
                String name = rows.getString(1);
                String value = rows.getString(2);
                boolean durable = name.equals("synchronous_commit") ? DURABLE_COMMIT.contains(value)
                        : value.equals("on");
                if (!durable) {
                    violations.add(name + "=" + value + " (set by: " + rows.getString(3) + ")");
                }
            }
            if (seen != 3) {
                violations.add("could not read fsync, synchronous_commit and full_page_writes from pg_settings");
            }
        }
        return violations;
    }
}
