package io.stenographer.bootstrap.operations;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the database through the application's own pool. Replaces the datasource's built-in check, whose
 * public answer carried the connection error text (with host and port).
 */
@Readiness
@ApplicationScoped
public class DatabaseHealth extends DetailedHealthCheck {

    static final String NAME = "database";

    private final DataSource dataSource;

    DatabaseHealth(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse detailed() {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(2)) {
                return HealthCheckResponse.named(NAME).up().build();
            }
            return HealthCheckResponse.named(NAME).down().withData("reason", "the connection did not validate")
                    .build();
        } catch (SQLException e) {
            return HealthCheckResponse.named(NAME).down().withData("reason", String.valueOf(e.getMessage())).build();
        }
    }
}
