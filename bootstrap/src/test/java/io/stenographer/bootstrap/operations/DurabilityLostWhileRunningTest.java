package io.stenographer.bootstrap.operations;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stenographer.adapters.persistence.DurableDatabaseGuard;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The start-up check refuses to start on settings that lose commits; this is the same promise kept while running:
 * a role altered afterwards to {@code synchronous_commit=off} makes the next check refuse ingest and fail readiness,
 * and restoring it lets events in again. The check is driven here, not waited for (it runs every 30 s).
 */
@QuarkusTest
class DurabilityLostWhileRunningTest {

    @Inject
    DurableDatabaseGuard guard;

    @Inject
    AgroalDataSource pool;

    private String poolRole() throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_user")) {
            row.next();
            return row.getString(1);
        }
    }

    private static void asSuperuser(String sql) throws SQLException {
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    private static io.restassured.response.Response ingest() {
        return given().auth().oauth2(TestTokens.writer("writer-1", "acme")).contentType("application/json")
                .body(Events.event("acme", Events.unique("alice"), "case.view", Events.unique("C")))
                .when().post("/api/v1/events");
    }

    /** Drops the pool's sessions and checks again until {@code done} holds, for at most 30 s. */
    private List<String> checkUntil(Predicate<List<String>> done) {
        Instant deadline = Instant.now().plusSeconds(30);
        List<String> found = guard.recheck();
        while (!done.test(found) && Instant.now().isBefore(deadline)) {
            pool.flush(AgroalDataSource.FlushMode.ALL);
            found = guard.recheck();
        }
        return found;
    }

    @Test
    void settingsThatLoseCommitsFoundWhileRunningStopIngestUntilTheyAreRestored() throws SQLException {
        String role = poolRole();
        try {
            asSuperuser("ALTER ROLE \"" + role + "\" SET synchronous_commit = off");

            // New sessions take the role's setting; the pool may still hand out an older one for a moment.
            assertThat(checkUntil(found -> !found.isEmpty())).singleElement().asString()
                    .startsWith("synchronous_commit=off");
            ingest().then().statusCode(503)
                    .body("type", equalTo("urn:stenographer:problem:unavailable"))
                    .body("detail", equalTo("the service cannot promise that a stored event survives a crash just"
                            + " now, so nothing was stored; retry later"));
            JsonPath ready = given().when().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
            assertThat(ready.getString("checks.find { it.name == 'database-durability' }.status")).isEqualTo("DOWN");
        } finally {
            asSuperuser("ALTER ROLE \"" + role + "\" RESET synchronous_commit");
            checkUntil(List::isEmpty);
        }
        assertThat(guard.violations()).isEmpty();
        afterTheFlushes().then().statusCode(201);
    }

    /**
     * An ingest once the pool has settled: the checks above flushed it, and Agroal closes flushed connections from a
     * background thread, so a request right after may be handed one being closed (503, the store unreachable). Only
     * that answer is tried again, until a deadline; a durability refusal would fail the test.
     */
    private static io.restassured.response.Response afterTheFlushes() {
        Instant deadline = Instant.now().plusSeconds(30);
        io.restassured.response.Response answer = ingest();
        while (answer.statusCode() == 503 && String.valueOf(answer.jsonPath().getString("detail"))
                .startsWith("the event store is unreachable") && Instant.now().isBefore(deadline)) {
            answer = ingest();
        }
        return answer;
    }
}
