package io.stenographer.adapters.persistence;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The append-only guarantees hold only while the serving process cannot alter the schema: an owner or superuser
 * can drop the triggers and functions that enforce them. So the service refuses to start when its pool connects
 * as a superuser, as the owner (or a member of the owner role) of its schema's objects, or with CREATE on the
 * schema. Migrations run with their own credentials ({@code quarkus.flyway.username}). The only way past it is
 * {@code stenographer.database.allow-owner-credentials=true}, which says so in the log.
 */
@ApplicationScoped
public class LeastPrivilegeGuard {

    public static final String ALLOW_OWNER_CREDENTIALS = "stenographer.database.allow-owner-credentials";
    private static final Logger LOG = Logger.getLogger(LeastPrivilegeGuard.class);

    private final DataSource dataSource;
    private final boolean allowOwnerCredentials;

    LeastPrivilegeGuard(DataSource dataSource,
            @ConfigProperty(name = ALLOW_OWNER_CREDENTIALS, defaultValue = "false") boolean allowOwnerCredentials) {
        this.dataSource = dataSource;
        this.allowOwnerCredentials = allowOwnerCredentials;
    }

    void onStart(@Observes @Priority(2) StartupEvent startup) {
        StartupRefusal.enforce(dataSource, LeastPrivilegeGuard::violations, "the database user's privileges",
                allowOwnerCredentials, ALLOW_OWNER_CREDENTIALS, "the service's database user could alter the"
                        + " append-only schema. Connect with the application role (e.g. stenographer_app) and give"
                        + " Flyway the owner's credentials (quarkus.flyway.username)",
                "OWNER CREDENTIALS ALLOWED: the serving process could alter the append-only schema", LOG);
    }

    /** Why the connection's user could change the schema it serves from; empty when it cannot. */
    public static List<String> violations(Connection connection) throws SQLException {
        List<String> violations = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT r.rolsuper,
                       has_schema_privilege(current_user, current_schema(), 'CREATE'),
                       (SELECT string_agg(DISTINCT pg_get_userbyid(c.relowner), ', ')
                        FROM pg_class c
                        WHERE c.relnamespace = current_schema()::regnamespace
                          AND pg_has_role(current_user, c.relowner, 'MEMBER'))
                FROM pg_roles r WHERE r.rolname = current_user""");
                ResultSet row = query.executeQuery()) {
            row.next();
            if (row.getBoolean(1)) {
                violations.add("is a superuser");
            }
            if (row.getBoolean(2)) {
                violations.add("may create objects in the schema");
            }
            String owners = row.getString(3);
            if (owners != null) {
                violations.add("owns the schema's tables (as " + owners + ")");
            }
        }
        return violations;
    }
}
