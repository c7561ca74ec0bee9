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
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * With {@code stenographer.database.require-tls=true} the service refuses to start unless its database traffic is
 * encrypted and the server's identity is checked. Two things are read, because neither alone is enough:
 * <ul>
 * <li>the server's view of the pool's own connection ({@code pg_stat_ssl}): TLS on, version 1.2 or later. This
 * catches a URL that silently falls back to plain text ({@code sslmode=prefer}, pgjdbc's default);</li>
 * <li>the configured {@code sslmode} of the pool and of Flyway: the server cannot see whether the client checked
 * its certificate, and an unchecked one ({@code require}) lets anyone in the path read and alter the traffic.</li>
 * </ul>
 * Off by default: the embedded default run talks to its own PostgreSQL over loopback.
 */
@ApplicationScoped
public class DatabaseTlsGuard {

    public static final String REQUIRE_TLS = "stenographer.database.require-tls";
    static final String POOL_URL = "quarkus.datasource.jdbc.url";
    static final String POOL_SSLMODE = "quarkus.datasource.jdbc.additional-jdbc-properties.sslmode";
    static final String FLYWAY_URL = "quarkus.flyway.jdbc-url";
    private static final Set<String> ACCEPTED_VERSIONS = Set.of("TLSv1.2", "TLSv1.3");
    private static final Logger LOG = Logger.getLogger(DatabaseTlsGuard.class);

    private final DataSource dataSource;
    private final boolean requireTls;
    private final Optional<String> poolUrl;
    private final Optional<String> poolSslmode;
    private final Optional<String> flywayUrl;

    DatabaseTlsGuard(DataSource dataSource,
            @ConfigProperty(name = REQUIRE_TLS, defaultValue = "false") boolean requireTls,
            @ConfigProperty(name = POOL_URL) Optional<String> poolUrl,
            @ConfigProperty(name = POOL_SSLMODE) Optional<String> poolSslmode,
            @ConfigProperty(name = FLYWAY_URL) Optional<String> flywayUrl) {
        this.dataSource = dataSource;
        this.requireTls = requireTls;
        this.poolUrl = poolUrl;
        this.poolSslmode = poolSslmode;
        this.flywayUrl = flywayUrl;
    }

    // Before the other guards: they send their queries over this same channel.
    void onStart(@Observes @Priority(0) StartupEvent startup) {
        if (!requireTls) {
            LOG.debugf("%s=false: the database connection's encryption is not checked", REQUIRE_TLS);
            return;
        }
        List<String> violations = new ArrayList<>(configuredViolations(poolUrl, poolSslmode, flywayUrl));
        String version;
        try (Connection connection = dataSource.getConnection()) {
            violations.addAll(connectionViolations(connection));
            version = tlsVersion(connection).orElse("none");
        } catch (SQLException e) {
            throw new IllegalStateException("Refusing to start: " + REQUIRE_TLS + "=true but the connection's"
                    + " encryption could not be read from pg_stat_ssl: " + e.getMessage(), e);
        }
        refuseIfAny(violations);
        LOG.infof("database connection encrypted (%s) and its certificate checked with sslmode=verify-full", version);
    }

    /** Throws the start-up refusal when there is anything to refuse; the message says how to fix it. */
    static void refuseIfAny(List<String> violations) {
        if (!violations.isEmpty()) {
            throw new IllegalStateException("Refusing to start: " + REQUIRE_TLS + "=true but the database"
                    + " connection is not verified TLS (" + String.join("; ", violations) + "). Connect with"
                    + " sslmode=verify-full and the server's CA as sslrootcert in " + POOL_URL + " (and "
                    + FLYWAY_URL + " if set), e.g. jdbc:postgresql://db.example.com:5432/stenographer"
                    + "?sslmode=verify-full&sslrootcert=/etc/stenographer/db-ca.pem, or set " + REQUIRE_TLS
                    + "=false where the database is only reachable over a trusted local link.");
        }
    }

    /** What the server says about this connection: encrypted at all, and with TLS 1.2 or later. */
    public static List<String> connectionViolations(Connection connection) throws SQLException {
        Optional<String> version = tlsVersion(connection);
        if (version.isEmpty()) {
            return List.of("the server reports this connection as unencrypted (pg_stat_ssl.ssl = false)");
        }
        if (!ACCEPTED_VERSIONS.contains(version.get())) {
            return List.of("the connection uses " + version.get() + ", older than TLSv1.2");
        }
        return List.of();
    }

    /** The TLS version the server reports for this connection; empty when it is not encrypted. */
    public static Optional<String> tlsVersion(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
                ResultSet row = query.executeQuery()) {
            if (!row.next() || !row.getBoolean(1)) {
                return Optional.empty();
            }
            return Optional.of(row.getString(2));
        }
    }

    /** The pool's and Flyway's configured sslmode, each of which must be verify-full. */
    static List<String> configuredViolations(Optional<String> poolUrl, Optional<String> poolSslmode,
            Optional<String> flywayUrl) {
        List<String> violations = new ArrayList<>();
        String pool = sslmode(poolUrl.orElse(""), poolSslmode);
        if (!pool.equals("verify-full")) {
            violations.add(POOL_URL + " has sslmode=" + pool + ", which does not check the server's name");
        }
        // Flyway uses the pool's URL when it has none of its own; its own URL carries the owner's credentials.
        if (flywayUrl.isPresent() && !flywayUrl.get().isBlank()) {
            String flyway = sslmode(flywayUrl.get(), Optional.empty());
            if (!flyway.equals("verify-full")) {
                violations.add(FLYWAY_URL + " has sslmode=" + flyway + ", which does not check the server's name");
            }
        }
        return violations;
    }

    /**
     * The sslmode pgjdbc will use for {@code jdbcUrl}: a URL parameter wins over a driver property; without
     * either, {@code ssl=true} means verify-full and nothing at all means prefer (pgjdbc's documented defaults).
     * A service file ({@code service=}) is not read: a URL that relies on one is refused, to be safe.
     */
    static String sslmode(String jdbcUrl, Optional<String> property) {
        Optional<String> fromUrl = parameter(jdbcUrl, "sslmode");
        if (fromUrl.isPresent()) {
            return fromUrl.get().toLowerCase(Locale.ROOT);
        }
        if (property.isPresent() && !property.get().isBlank()) {
            return property.get().trim().toLowerCase(Locale.ROOT);
        }
        // pgjdbc treats a bare "ssl" or "ssl=" like "ssl=true".
        return parameter(jdbcUrl, "ssl").filter(ssl -> ssl.isEmpty() || ssl.equalsIgnoreCase("true"))
                .map(ssl -> "verify-full").orElse("prefer");
    }

    private static Optional<String> parameter(String jdbcUrl, String name) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return Optional.empty();
        }
        Optional<String> value = Optional.empty();
        for (String pair : jdbcUrl.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (key.equals(name)) { // pgjdbc's parameter names are case-sensitive
                // pgjdbc keeps the last occurrence of a repeated parameter.
                value = Optional.of(equals < 0 ? "" : pair.substring(equals + 1).trim());
            }
        }
        return value;
    }
}
