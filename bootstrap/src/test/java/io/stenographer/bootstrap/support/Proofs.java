package io.stenographer.bootstrap.support;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.util.Optional;

/** Waits for the scheduled sequencer to put an event into a signed checkpoint. */
public final class Proofs {

    private Proofs() {
    }

    /** The event read back with {@code proof=true}, once it has an inclusion proof. */
    public static JsonPath await(String tenant, String eventId) {
        return Await.present("an inclusion proof for event " + eventId + " of " + tenant, Await.DEADLINE, () -> {
            JsonPath body = given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("proof", "true")
                    .when().get("/api/v1/events/" + eventId)
                    .then().statusCode(200).extract().jsonPath();
            return body.get("proof.leafIndex") != null ? Optional.of(body) : Optional.empty();
        });
    }
}
