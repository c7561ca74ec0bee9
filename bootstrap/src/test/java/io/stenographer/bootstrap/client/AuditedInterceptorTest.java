package io.stenographer.bootstrap.client;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.TestTokens;
import io.stenographer.client.AuditClient;
import java.net.URI;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code @Audited} in a Quarkus application: the interceptor from {@code client-cdi} logs each call through the
 * real client into the running service, with the authenticated user as actor and the outcome of the call.
 */
@QuarkusTest
class AuditedInterceptorTest {

    @TestHTTPResource("/")
    URL service;

    private final AuditedCaseRecords cases;
    private final TestAuditClients clients;
    private final SignCheckpointPort signer;

    AuditedInterceptorTest(AuditedCaseRecords cases, TestAuditClients clients, SignCheckpointPort signer) {
        this.cases = cases;
        this.clients = clients;
        this.signer = signer;
    }

    @Test
    void eachCallIsAnEventWithTheUserAsActorAndTheCallsOutcome() throws Exception {
        String tenant = "audited-" + UUID.randomUUID().toString().substring(0, 8);
        AuditClient audit = AuditClient.builder(URI.create(service.toString())).tenant(tenant)
                .application("case-portal").tokens(() -> TestTokens.writer("case-portal-backend", tenant))
                .verifierKey(signer.verifier().toVerifierKey()).linger(Duration.ofMillis(5)).build();
        clients.use(audit);

        String officer = TestTokens.valid("officer-17", Set.of("case-officer"), tenant);

        given().auth().oauth2(officer).when().get("/test-only/audited-cases/C-1/export")
                .then().statusCode(200).body(equalTo("C-1.pdf"));
        given().auth().oauth2(officer).when().get("/test-only/audited-cases/C-2/export-missing")
                .then().statusCode(greaterThanOrEqualTo(400));
        given().auth().oauth2(officer).when().get("/test-only/audited-cases/C-3/view-sealed")
                .then().statusCode(greaterThanOrEqualTo(400));
        assertThat(cases.export("C-4", "csv")).as("called with no login, e.g. from a scheduled job")
                .isEqualTo("C-4.csv");
        assertThatThrownBy(() -> cases.renderTooDeep("C-6")).as("an Error is recorded as a failure, then rethrown")
                .isInstanceOf(StackOverflowError.class);
        assertThat(cases.print("C-5")).as("not waiting for the receipt").isEqualTo("printed C-5");
        audit.flush(Duration.ofSeconds(30));

        assertThat(eventsOf(tenant)).containsExactly(
                "officer-17 case.export case C-1 success {\"method\":\"AuditedCaseRecords.export\"}",
                "officer-17 case.export case C-2 failure {\"method\":\"AuditedCaseRecords.exportMissing\"}",
                "officer-17 case.view case C-3 denied {\"method\":\"AuditedCaseRecords.viewSealed\"}",
                "anonymous case.export case C-4 success {\"method\":\"AuditedCaseRecords.export\"}",
                "anonymous case.render case C-6 failure {\"method\":\"AuditedCaseRecords.renderTooDeep\"}",
                "anonymous case.print case C-5 success {\"method\":\"AuditedCaseRecords.print\"}");
        clients.use(null);
    }

    private static List<String> eventsOf(String tenant) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement ps = db.prepareStatement("SELECT actor_id, action, resource_type, resource_id,"
                        + " outcome, metadata FROM audit_event WHERE tenant = ? ORDER BY id")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4)
                            + " " + rs.getString(5) + " " + rs.getString(6));
                }
            }
        }
        return rows;
    }
}
