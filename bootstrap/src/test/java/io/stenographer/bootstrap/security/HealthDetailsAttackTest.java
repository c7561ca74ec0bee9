package io.stenographer.bootstrap.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stenographer.bootstrap.support.S3MockTestResource;
import io.stenographer.bootstrap.support.TestTokens;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Anyone can call the health probes (load balancers must). They answer each check's name and UP or DOWN only:
 * error text, addresses and ports go to operators (metrics-reader) at /api/v1/operations/health, never to a tenant's
 * own staff (docs/SECURITY.md).
 */
@QuarkusTest
class HealthDetailsAttackTest {

    @Test
    void thePublicProbesCarryNoDetails() {
        for (String probe : List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/health/group/archive")) {
            JsonPath body = given().when().get(probe).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> checks = body.getList("checks");
            assertThat(checks).as(probe).allSatisfy(check -> assertThat(check).containsOnlyKeys("name", "status"));
        }
    }

    @Test
    void aFailingCheckSaysWhyOnlyToAnOperator() throws Exception {
        S3MockTestResource.kill();
        try {
            String publicAnswer = given().when().get("/q/health/group/archive").then().statusCode(503)
                    .body("status", equalTo("DOWN")).extract().asString();
            assertThat(publicAnswer).doesNotContain("reason", "127.0.0.1", "localhost", "Exception", "store");

            given().when().get("/api/v1/operations/health").then().statusCode(401);
            given().auth().oauth2(TestTokens.auditor("aud", "acme")).when().get("/api/v1/operations/health")
                    .then().statusCode(403);
            // A tenant's compliance admin runs that tenant, not the service: database and store errors are not theirs.
            given().auth().oauth2(TestTokens.admin("admin", "acme")).when().get("/api/v1/operations/health")
                    .then().statusCode(403);
            JsonPath details = given().auth().oauth2(TestTokens.valid("ops", Set.of("metrics-reader"), "acme"))
                    .when().get("/api/v1/operations/health").then().statusCode(200).extract().jsonPath();
            assertThat(details.getString("find { it.name == 'archive' }.status")).isEqualTo("DOWN");
            assertThat(details.getString("find { it.name == 'archive' }.data.reason")).isNotBlank();
            assertThat(details.getString("find { it.name == 'database' }.status")).isEqualTo("UP");
        } finally {
            S3MockTestResource.restart();
        }
    }
}
