package io.stenographer.bootstrap.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import org.junit.jupiter.api.Test;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

@QuarkusTest
class EventIngestTest {

    @Test
    void recordsAnEventAndReturnsAReceipt() {
        String tenant = "acme";
        String actor = Events.unique("alice");
        given().auth().oauth2(TestTokens.writer("writer-1", tenant))
                .contentType("application/json")
                .body(Events.event(tenant, actor, "case.view", Events.unique("C")))
                .when().post("/api/v1/events")
                .then().statusCode(201)
                .body("status", equalTo("created"))
                .body("leafHash", matchesPattern("[0-9a-f]{64}"));

        given().auth().oauth2(TestTokens.auditor("auditor-1", tenant))
                .queryParam("actor", actor)
                .when().get("/api/v1/events")
                .then().statusCode(200)
                .body("events.size()", equalTo(1))
                .body("events[0].submittedBy", equalTo("writer-1@" + TestTokens.ISSUER));
    }
}
