package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.StartupEvent;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.testing.TestCertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code sslmode=verify-full} against a real PostgreSQL serving a certificate from a test CA. The certificate
 * names only {@code localhost}, so the same server reached as {@code 127.0.0.1} (the same socket, a name the
 * certificate does not carry) shows the name check on its own, and a second CA shows the chain check on its own.
 */
class DatabaseTlsTest {

    private static final String APP = EmbeddedPostgresServer.APP_ROLE;

    @TempDir
    static Path dir;

    private static TestCertificateAuthority ca;
    private static TestCertificateAuthority stranger;
    private static EmbeddedPostgresServer tls;
    private static EmbeddedPostgresServer plain;

    @BeforeAll
    static void start() {
        ca = TestCertificateAuthority.create(dir.resolve("ca"));
        stranger = TestCertificateAuthority.create(dir.resolve("stranger-ca"));
        TestCertificateAuthority.Issued certificate = ca.issue("localhost", "dns:localhost");
        tls = EmbeddedPostgresServer.start(null, 0,
                new EmbeddedPostgresServer.Tls(certificate.certificatePem(), certificate.privateKeyPem()));
        plain = EmbeddedPostgresServer.start(null, 0);
    }

    @AfterAll
    static void stop() {
        try (EmbeddedPostgresServer first = tls; EmbeddedPostgresServer second = plain) {
            // both closed, even when one fails
        }
    }

    private static String url(String host, EmbeddedPostgresServer server, String parameters) {
        return "jdbc:postgresql://" + host + ":" + server.port() + "/" + EmbeddedPostgresServer.DATABASE + "?"
                + parameters;
    }

    private static String verifyFull(String host, Path root) {
        return url(host, tls, "sslmode=verify-full&sslrootcert=" + root);
    }

    @Test
    void verifyFullToTheCertificatesNameConnectsOverTls() throws SQLException {
        try (Connection connection = DriverManager.getConnection(verifyFull("localhost", ca.certificatePem()), APP,
                "");
                Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery(
                        "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getBoolean(1)).as("pg_stat_ssl.ssl").isTrue();
            assertThat(row.getString(2)).isIn("TLSv1.2", "TLSv1.3");
            assertThat(DatabaseTlsGuard.tlsVersion(connection)).contains(row.getString(2));
            assertThat(DatabaseTlsGuard.connectionViolations(connection)).isEmpty();
        }
    }

    @Test
    void theServerAcceptsNothingOlderThanTls12() throws SQLException {
        // Only a privileged role may read the setting; the application role cannot.
        try (Connection connection = tls.superuserConnection(); Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery("SELECT current_setting('ssl'),"
                        + " current_setting('ssl_min_protocol_version')")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo("on");
            assertThat(row.getString(2)).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void aRootThatDidNotSignTheServerCertificateIsRefused() {
        assertThatThrownBy(() -> DriverManager.getConnection(verifyFull("localhost", stranger.certificatePem()),
                APP, "").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("SSL error")
                .rootCause().hasMessageContaining("unable to find valid certification path");
    }

    @Test
    void aNameTheCertificateDoesNotCarryIsRefusedThoughItsChainIsTrusted() throws SQLException {
        // 127.0.0.1 reaches the very same server; only the name differs from the certificate's.
        assertThatThrownBy(() -> DriverManager.getConnection(verifyFull("127.0.0.1", ca.certificatePem()), APP, "")
                .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("hostname 127.0.0.1 could not be verified");
        // The same URL without the name check connects: the chain was not the reason.
        String verifyCa = url("127.0.0.1", tls, "sslmode=verify-ca&sslrootcert=" + ca.certificatePem());
        try (Connection connection = DriverManager.getConnection(verifyCa, APP, "")) {
            assertThat(DatabaseTlsGuard.tlsVersion(connection)).isPresent();
        }
    }

    @Test
    void theServersKeyIsAPrivateCopyOnlyItsOwnerCanRead() throws Exception {
        try (Connection connection = tls.superuserConnection(); Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery("SELECT current_setting('ssl_key_file')")) {
            row.next();
            Path key = Path.of(row.getString(1));
            assertThat(key.startsWith(dir)).as("copied out of the caller's directory").isFalse();
            assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(key.getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void theDefaultServerStaysPlain() throws SQLException {
        assertThat(plain.tls()).isFalse();
        assertThat(tls.tls()).isTrue();
        try (Connection connection = plain.connectionAs(APP); Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery("SHOW ssl")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo("off");
        }
        String verifyFullToPlain = url("localhost", plain, "sslmode=verify-full&sslrootcert=" + ca.certificatePem());
        assertThatThrownBy(() -> DriverManager.getConnection(verifyFullToPlain, APP, "").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not support SSL");
    }

    @Test
    void theGuardPassesAVerifiedTlsConnection() {
        String url = verifyFull("localhost", ca.certificatePem());
        assertThatCode(() -> guard(true, url, Optional.empty()).onStart(new StartupEvent())).doesNotThrowAnyException();
    }

    @Test
    void theGuardRefusesAPlainConnectionNamingTheSettingAndTheFix() {
        String url = url("localhost", tls, "sslmode=disable");
        assertThatThrownBy(() -> guard(true, url, Optional.empty()).onStart(new StartupEvent()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Refusing to start: stenographer.database.require-tls=true")
                .hasMessageContaining("pg_stat_ssl.ssl = false")
                .hasMessageContaining("sslmode=disable")
                .hasMessageContaining("sslmode=verify-full");
    }

    @Test
    void theGuardRefusesPgjdbcsDefaultOnAServerWithoutTls() {
        // No sslmode: pgjdbc prefers TLS but falls back to plain text, as it does against this server.
        String url = url("localhost", plain, "connectTimeout=2");
        assertThatThrownBy(() -> guard(true, url, Optional.empty()).onStart(new StartupEvent()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sslmode=prefer")
                .hasMessageContaining("unencrypted");
    }

    @Test
    void theGuardRefusesEncryptionWhoseCertificateIsNotChecked() throws SQLException {
        String url = url("localhost", tls, "sslmode=require");
        try (Connection connection = DriverManager.getConnection(url, APP, "")) {
            assertThat(DatabaseTlsGuard.tlsVersion(connection)).as("encrypted, yet unverified").isPresent();
        }
        assertThatThrownBy(() -> guard(true, url, Optional.empty()).onStart(new StartupEvent()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus.datasource.jdbc.url has sslmode=require");
    }

    @Test
    void theGuardChecksFlywaysOwnUrlToo() {
        String url = verifyFull("localhost", ca.certificatePem());
        String flyway = url("localhost", tls, "sslmode=disable");
        assertThatThrownBy(() -> guard(true, url, Optional.of(flyway)).onStart(new StartupEvent()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus.flyway.jdbc-url has sslmode=disable");
    }

    @Test
    void theGuardIsOffByDefault() {
        String url = url("localhost", plain, "sslmode=disable");
        assertThatCode(() -> guard(false, url, Optional.empty()).onStart(new StartupEvent()))
                .doesNotThrowAnyException();
    }

    @Test
    void theConfiguredSslmodeIsReadAsPgjdbcReadsIt() {
        String base = "jdbc:postgresql://db.example.com:5432/stenographer";
        assertThat(DatabaseTlsGuard.sslmode(base, Optional.empty())).isEqualTo("prefer");
        assertThat(DatabaseTlsGuard.sslmode(base + "?ssl=true", Optional.empty())).isEqualTo("verify-full");
        assertThat(DatabaseTlsGuard.sslmode(base + "?ssl=false", Optional.empty())).isEqualTo("prefer");
        assertThat(DatabaseTlsGuard.sslmode(base, Optional.of("verify-full"))).isEqualTo("verify-full");
        assertThat(DatabaseTlsGuard.sslmode(base + "?sslmode=require", Optional.of("verify-full")))
                .as("the URL wins over a driver property").isEqualTo("require");
        assertThat(DatabaseTlsGuard.sslmode(base + "?sslmode=verify-full&sslmode=require", Optional.empty()))
                .as("the last repeated parameter wins").isEqualTo("require");
        assertThat(DatabaseTlsGuard.sslmode(base + "?ssl=true&sslmode=verify-ca", Optional.empty()))
                .isEqualTo("verify-ca");
    }

    private static DatabaseTlsGuard guard(boolean requireTls, String url, Optional<String> flywayUrl) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(APP);
        return new DatabaseTlsGuard(dataSource, requireTls, Optional.of(url), Optional.empty(), flywayUrl);
    }
}
