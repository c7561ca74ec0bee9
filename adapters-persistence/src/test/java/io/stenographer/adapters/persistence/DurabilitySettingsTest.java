package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The startup check reads what the application's connections see. SIGKILL cannot show fsync or
 * full_page_writes being off (the page cache survives a process kill), so the check is tested directly,
 * against real servers: the durable embedded one, and one started with the launcher's unsafe defaults.
 */
class DurabilitySettingsTest {

    private static EmbeddedPostgresServer durable;

    @BeforeAll
    static void start() {
        durable = EmbeddedPostgresServer.start(null, 0);
    }

    @AfterAll
    static void stop() {
        durable.close();
    }

    @Test
    void theEmbeddedServerIsDurableForTheApplicationRole() throws SQLException {
        try (Connection app = durable.connectionAs(EmbeddedPostgresServer.APP_ROLE)) {
            assertThat(DurabilitySettings.violations(app)).isEmpty();
        }
    }

    @Test
    void aRoleSettingIsSeen() throws SQLException {
        String role = "lossy_role";
        try (Connection admin = durable.superuserConnection(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE " + role + " LOGIN");
            sql.execute("ALTER ROLE " + role + " SET synchronous_commit = off");
        }
        try (Connection lossy = durable.connectionAs(role)) {
            assertThat(DurabilitySettings.violations(lossy)).singleElement().asString()
                    .startsWith("synchronous_commit=off").contains("user");
        }
    }

    @Test
    void aDatabaseSettingIsSeen() throws SQLException {
        try (Connection admin = durable.superuserConnection(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE lossy_db");
            sql.execute("ALTER DATABASE lossy_db SET synchronous_commit = off");
        }
        String url = "jdbc:postgresql://127.0.0.1:" + durable.port() + "/lossy_db";
        try (Connection lossy = DriverManager.getConnection(url, EmbeddedPostgresServer.APP_ROLE, "")) {
            assertThat(DurabilitySettings.violations(lossy)).singleElement().asString()
                    .startsWith("synchronous_commit=off").contains("database");
        }
    }

    @Test
    void aConnectionOptionIsSeen() throws SQLException {
        Properties options = new Properties();
        options.setProperty("user", EmbeddedPostgresServer.APP_ROLE);
        options.setProperty("options", "-c synchronous_commit=off");
        try (Connection lossy = DriverManager.getConnection(durable.jdbcUrl(), options)) {
            assertThat(DurabilitySettings.violations(lossy)).singleElement().asString()
                    .startsWith("synchronous_commit=off").contains("client");
        }
    }

    @Test
    void theLaunchersDefaultsAreRefusedNamingEachSetting() throws Exception {
        // zonky's own defaults: -F (fsync off) and synchronous_commit=off; full_page_writes off on top.
        try (EmbeddedPostgres unsafe = EmbeddedPostgres.builder().setServerConfig("full_page_writes", "off").start();
                Connection connection = unsafe.getPostgresDatabase().getConnection()) {
            assertThat(DurabilitySettings.violations(connection))
                    .hasSize(3)
                    .anySatisfy(v -> assertThat(v).startsWith("fsync=off"))
                    .anySatisfy(v -> assertThat(v).startsWith("full_page_writes=off"))
                    .anySatisfy(v -> assertThat(v).startsWith("synchronous_commit=off"));
        }
    }
}
