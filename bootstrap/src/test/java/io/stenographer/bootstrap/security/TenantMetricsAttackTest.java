package io.stenographer.bootstrap.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.bootstrap.archive.ArchiveMetrics;
import io.stenographer.bootstrap.support.TestTokens;
import io.stenographer.domain.event.TenantId;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Auditors read their own tenants' series at {@code GET /api/v1/logs/{tenant}/metrics}; nothing there names another
 * tenant or shows a series without a tenant (docs/SECURITY.md, "An auditor"). {@code /q/metrics} stays for the
 * operators' metrics-reader role ({@link MetricsTenantNamesAttackTest}).
 */
@QuarkusTest
class TenantMetricsAttackTest {

    private final String acme = "acme-" + UUID.randomUUID().toString().substring(0, 8);
    private final String globex = "globex-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    ArchiveMetrics metrics;

    @BeforeEach
    void bothTenantsHaveSeries() {
        metrics.archived(new TenantId(acme), 7);
        metrics.purged(new TenantId(acme), 2);
        metrics.lag(new TenantId(acme), Duration.ofSeconds(42));
        metrics.archived(new TenantId(globex), 1_000);
        metrics.lag(new TenantId(globex), Duration.ofSeconds(99));
    }

    private String metricsOf(String token, String tenant, int status) {
        return given().auth().oauth2(token).when().get("/api/v1/logs/{tenant}/metrics", tenant)
                .then().statusCode(status).extract().asString();
    }

    @Test
    void anAuditorOfOneTenantSeesItsSeriesAndNeverAnotherTenantsName() {
        String body = metricsOf(TestTokens.auditor("curious", acme), acme, 200);

        assertThat(body).contains("stenographer_archive_events_total{tenant=\"" + acme + "\",} 7.0",
                "stenographer_purge_events_total{tenant=\"" + acme + "\",} 2.0",
                "stenographer_archive_lag_seconds{tenant=\"" + acme + "\",} 42.0",
                "# TYPE stenographer_archive_events_total counter");
        assertThat(body).doesNotContain(globex, "globex");
        // Series without a tenant (JVM, HTTP, ingest totals) are the operators' business.
        assertThat(body).doesNotContain("jvm_", "http_server", "stenographer_events_ingested");
        body.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> assertThat(line).contains("tenant=\"" + acme + "\""));
    }

    @Test
    void anAuditorWithoutAGrantOnTheTenantIsRefused() {
        String body = given().auth().oauth2(TestTokens.auditor("curious", globex))
                .when().get("/api/v1/logs/{tenant}/metrics", acme)
                .then().statusCode(403).contentType("application/problem+json").extract().asString();
        assertThat(body).doesNotContain("stenographer_");
    }

    @Test
    void aComplianceAdminOrAWriterOfTheTenantIsRefused() {
        metricsOf(TestTokens.admin("curious-admin", acme), acme, 403);
        metricsOf(TestTokens.writer("curious-writer", acme), acme, 403);
    }

    @Test
    void anonymousIsUnauthorized() {
        given().when().get("/api/v1/logs/{tenant}/metrics", acme).then().statusCode(401);
    }

    @Test
    void aPerTenantGrantShowsOnlyTheGrantedTenant() {
        String token = TestTokens.withGrants("mixed", Set.of("auditor", "audit-writer"),
                List.of("grant:auditor:" + acme, "grant:audit-writer:" + globex), acme, globex);

        String body = metricsOf(token, acme, 200);
        assertThat(body).contains("tenant=\"" + acme + "\"").doesNotContain(globex);
        metricsOf(token, globex, 403);
    }

    @Test
    void anotherTenantCannotBeAddedThroughAQueryParameter() {
        String body = given().auth().oauth2(TestTokens.auditor("curious", acme)).queryParam("tenant", globex)
                .when().get("/api/v1/logs/{tenant}/metrics", acme)
                .then().statusCode(400).contentType("application/problem+json").extract().asString();
        assertThat(body).contains("tenant").doesNotContain("stenographer_archive");
    }
}
