package io.stenographer.bootstrap.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import io.stenographer.testing.TcpProxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The database cut off from the service (the relay in front of it resets every connection and refuses new
 * ones): ingest is answered 503 unavailable with Retry-After within the pool's bound, nothing is half-stored,
 * readiness is DOWN, and once the network is back the service recovers by itself.
 */
@QuarkusTest
class DatabaseOutageTest {

    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(90);
    /** The configured bound is 2 s; the margin absorbs a loaded CI machine, not a missing timeout (Agroal's is 5 s, the driver's 10 s+). */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(4);

    @Test
    void anUnreachableDatabaseIsA503WithRetryAfterAndTheServiceRecoversWithoutRestart() throws Exception {
        String tenant = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.writer("outage-writer", tenant);
        single(token, tenant, "before", event(tenant, "before")).then().statusCode(201);
        String during = event(tenant, "during");
        String batchDuring = "{\"events\":[" + event(tenant, "b1") + "," + event(tenant, "b2") + "]}";

        TcpProxy network = EmbeddedPostgresTestResource.network();
        network.cut();
        try {
            Instant asked = Instant.now();
            Response refused = single(token, tenant, "during", during);
            Duration took = Duration.between(asked, Instant.now());
            refused.then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", equalTo("2"))
                    .body("type", equalTo("urn:stenographer:problem:unavailable"));
            assertThat(took).as("time to answer while the database is unreachable").isLessThan(ANSWER_BOUND);

            batch(token, tenant, "batch-during", batchDuring).then().statusCode(503)
                    .body("type", equalTo("urn:stenographer:problem:unavailable"));

            given().when().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
            given().when().get("/q/health/live").then().statusCode(200);
        } finally {
            network.restore();
        }

        awaitReady();
        assertThat(storedCount(tenant)).as("nothing of the refused requests was stored").isEqualTo(1);

        single(token, tenant, "during", during).then().statusCode(201).body("status", equalTo("created"));
        Response retried = batch(token, tenant, "batch-during", batchDuring);
        retried.then().statusCode(200);
        assertThat(retried.jsonPath().getList("items.status", String.class)).containsExactly("created", "created");
        single(token, tenant, "during", during).then().statusCode(200).body("status", equalTo("duplicate"));
        assertThat(storedCount(tenant)).isEqualTo(4);
    }

    private static String event(String tenant, String resource) {
        return Events.event(tenant, "dana", "case.view", "C-" + resource);
    }

    private static Response single(String token, String tenant, String key, String body) {
        return given().auth().oauth2(token).contentType("application/json").header("Idempotency-Key", key)
                .body(body).when().post("/api/v1/events");
    }

    private static Response batch(String token, String tenant, String key, String body) {
        return given().auth().oauth2(token).contentType("application/json").header("Idempotency-Key", key)
                .body(body).when().post("/api/v1/events/batch");
    }

    private static void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(RECOVERY_DEADLINE);
        int status = 0;
        while (Instant.now().isBefore(deadline)) {
            status = given().when().get("/q/health/ready").statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("readiness did not come back within " + RECOVERY_DEADLINE + " (last " + status + ")");
    }

    private static long storedCount(String tenant) throws SQLException {
        try (Connection c = EmbeddedPostgresTestResource.server().connectionAs(EmbeddedPostgresServer.APP_ROLE);
                PreparedStatement count = c.prepareStatement("SELECT count(*) FROM audit_event WHERE tenant = ?")) {
            count.setString(1, tenant);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
