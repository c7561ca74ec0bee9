package io.stenographer.adapters.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * What the database start-up guards share: read something through the application's own pool, and refuse to
 * start when it is unsafe, unless an explicit setting accepts the risk, which is then said loudly in the log.
 */
final class StartupRefusal {

    interface Check {
        /** What is unsafe; empty when nothing is. */
        List<String> violations(Connection connection) throws SQLException;
    }

    private StartupRefusal() {
    }

    /** Returns the violations found (empty when safe or accepted by the override); throws to stop the start. */
    static List<String> enforce(DataSource dataSource, Check check, String what, boolean overridden,
            String overrideProperty, String refusal, String acceptedRisk, Logger log) {
        List<String> violations;
        try (Connection connection = dataSource.getConnection()) {
            violations = check.violations(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Refusing to start: could not read " + what + ": " + e.getMessage(), e);
        }
        if (violations.isEmpty()) {
            return violations;
        }
        if (overridden) {
            log.warnf("%s (%s=true): %s", acceptedRisk, overrideProperty, String.join(", ", violations));
            return violations;
        }
        throw new IllegalStateException("Refusing to start: " + refusal + " (" + String.join(", ", violations) + "); "
                + overrideProperty + "=true overrides this check.");
    }
}
