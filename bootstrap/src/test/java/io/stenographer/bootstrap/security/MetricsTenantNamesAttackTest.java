package io.stenographer.bootstrap.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.bootstrap.support.TestTokens;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Metrics name every tenant (archive lag per tenant) and show their volumes. An auditor or compliance admin of one
 * tenant must not learn the others from them (docs/SECURITY.md); only the operators' metrics-reader role may.
 */
@QuarkusTest
class MetricsTenantNamesAttackTest {

    @Test
    void anAuditorOfOneTenantCannotReadOtherTenantsNamesFromMetrics() {
        String body = given().auth().oauth2(TestTokens.auditor("curious", "acme")).when().get("/q/metrics")
                .then().statusCode(403).extract().asString();
        assertThat(body).doesNotContain("tenant=", "stenographer_");
    }

    @Test
    void aComplianceAdminOfOneTenantCannotEither() {
        given().auth().oauth2(TestTokens.admin("curious-admin", "acme")).when().get("/q/metrics")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.valid("scraper", Set.of("metrics-reader"), "acme")).when().get("/q/metrics")
                .then().statusCode(200);
    }
}
