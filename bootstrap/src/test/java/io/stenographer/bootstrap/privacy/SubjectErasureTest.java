package io.stenographer.bootstrap.privacy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.Proofs;
import io.stenographer.bootstrap.support.TestTokens;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Erasure by crypto-shredding through the API, on the real database: values gone, leaves and proofs untouched,
 * holds respected, every step in the tenant's log, the subject named only by its blind index.
 */
@QuarkusTest
class SubjectErasureTest {

    private static String tenant() {
        return "privacy-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String record(String tenant, String actorId) {
        return given().auth().oauth2(TestTokens.writer("writer", tenant)).contentType("application/json")
                .body("{\"events\":[" + Events.event(tenant, actorId, "case.view", "C-1") + "]}")
                .when().post("/api/v1/events/batch")
                .then().statusCode(200).body("created", equalTo(1))
                .body("items[0].openings.'actor.displayName'", matchesPattern("[0-9a-f]{64}"))
                .extract().jsonPath().getString("items[0].id");
    }

    private static JsonPath readAsPrivacyOfficer(String tenant, String eventId) {
        return given().auth().oauth2(TestTokens.valid("privacy-officer", Set.of("auditor", "personal-data-reader"),
                        tenant))
                .when().get("/api/v1/events/" + eventId)
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void erasureDestroysTheValuesAndLeavesEveryProofValid() {
        String tenant = tenant();
        String erased = record(tenant, "subject-1");
        String kept = record(tenant, "subject-2");
        JsonPath before = Proofs.await(tenant, erased);
        assertThat(readAsPrivacyOfficer(tenant, erased).getString("personalData.'actor.displayName'.value"))
                .isEqualTo("Dana Doe");

        String admin = TestTokens.admin("admin-1", tenant);
        JsonPath erasure = given().auth().oauth2(admin).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"reason\":\"GDPR Art. 17 request 118\"}")
                .when().post("/api/v1/subjects/subject-1/erasures")
                .then().statusCode(201)
                .body("keysDestroyed", equalTo(1)).body("eventsCleared", equalTo(1)).body("valuesPending", equalTo(false))
                .body("subjectIndex", matchesPattern("[0-9a-f]{64}"))
                .body(not(containsString("subject-1")))
                .extract().jsonPath();

        JsonPath after = readAsPrivacyOfficer(tenant, erased);
        for (String field : List.of("actor.displayName", "source.ip", "source.userAgent")) {
            assertThat(after.getString("personalData.'" + field + "'.status")).as(field).isEqualTo("erased");
        }
        assertThat(readAsPrivacyOfficer(tenant, kept).getString("personalData.'source.ip'.value"))
                .isEqualTo("192.0.2.10");

        // The leaf is what it was: rebuilt from what is served after the erasure, it hashes to the leaf the proof
        // made before the erasure proves, and that proof still leads to the root it was made against.
        String leafHash = before.getString("leafHash");
        assertThat(after.getString("leafHash")).isEqualTo(leafHash);
        Hash rebuilt = SealedEventFormat.fromJson(sealedForm(tenant, erased)).leafHash();
        assertThat(rebuilt.hex()).isEqualTo(leafHash);
        InclusionProof proof = new InclusionProof(before.getLong("proof.leafIndex"), before.getLong("proof.treeSize"),
                before.getList("proof.inclusionProof", String.class).stream().map(Hash::fromBase64).toList());
        assertThat(proof.verify(rebuilt, Hash.fromBase64(before.getString("proof.rootHash")))).isTrue();

        // A full verification of the log after the erasure finds nothing wrong.
        given().auth().oauth2(admin).contentType("application/json").body("{}")
                .when().post("/api/v1/logs/" + tenant + "/verifications")
                .then().statusCode(200).body("ok", equalTo(true));

        // The same request again erases nothing more and answers with the first erasure.
        given().auth().oauth2(admin).contentType("application/json").body("{\"tenant\":\"" + tenant + "\"}")
                .when().post("/api/v1/subjects/subject-1/erasures")
                .then().statusCode(200).body("id", equalTo(erasure.getString("id")));
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("tenant", tenant)
                .when().get("/api/v1/subjects/subject-1/erasures")
                .then().statusCode(200).body("size()", equalTo(1)).body("[0].requestedBy", equalTo("admin-1"));

        // The erasure is in the log, naming the subject by its blind index only.
        JsonPath events = given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .queryParam("action", "subject.erased").when().get("/api/v1/events")
                .then().statusCode(200).body("events.size()", equalTo(1)).extract().jsonPath();
        assertThat(events.getString("events[0].resource.id")).isEqualTo(erasure.getString("subjectIndex"));
        assertThat(events.prettify()).doesNotContain("subject-1");
    }

    @Test
    void anActiveLegalHoldBlocksTheErasureUntilItIsReleased() {
        String tenant = tenant();
        String event = record(tenant, "held-subject");
        String admin = TestTokens.admin("admin-1", tenant);
        String holdId = given().auth().oauth2(admin).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"actorId\":\"held-subject\",\"caseReference\":\"LIT-7\","
                        + "\"reason\":\"litigation\"}")
                .when().post("/api/v1/legal-holds").then().statusCode(201).extract().jsonPath().getString("id");

        given().auth().oauth2(admin).contentType("application/json").body("{\"tenant\":\"" + tenant + "\"}")
                .when().post("/api/v1/subjects/held-subject/erasures")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("subject-under-legal-hold"))
                .body("detail", containsString(holdId));
        assertThat(readAsPrivacyOfficer(tenant, event).getString("personalData.'actor.displayName'.status"))
                .isEqualTo("revealed");
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("action", "subject.erased")
                .when().get("/api/v1/events").then().statusCode(200).body("events.size()", equalTo(0));

        given().auth().oauth2(admin).contentType("application/json").body("{\"reason\":\"settled\"}")
                .when().post("/api/v1/legal-holds/" + holdId + "/release").then().statusCode(200);
        given().auth().oauth2(admin).contentType("application/json").body("{\"tenant\":\"" + tenant + "\"}")
                .when().post("/api/v1/subjects/held-subject/erasures")
                .then().statusCode(201).body("keysDestroyed", equalTo(1));
    }

    @Test
    void onlyAComplianceAdminOfTheTenantErasesAndOnlyReadersWithThePermissionSeeValues() {
        String tenant = tenant();
        String event = record(tenant, "subject-3");
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\"}")
                .when().post("/api/v1/subjects/subject-3/erasures").then().statusCode(403);
        given().auth().oauth2(TestTokens.admin("other-admin", "other-" + tenant)).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\"}")
                .when().post("/api/v1/subjects/subject-3/erasures").then().statusCode(403);
        given().auth().oauth2(TestTokens.admin("admin-1", tenant)).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"unknown\":1}")
                .when().post("/api/v1/subjects/subject-3/erasures").then().statusCode(400);
        // A reader with the permission on another tenant only sees this tenant's commitments.
        given().auth().oauth2(TestTokens.withGrants("mixed", Set.of("auditor", "personal-data-reader"),
                        List.of("grant:auditor:" + tenant, "grant:personal-data-reader:other-" + tenant), tenant,
                        "other-" + tenant))
                .when().get("/api/v1/events/" + event)
                .then().statusCode(200).body("personalData.'actor.displayName'.status", equalTo("withheld"))
                .body("actor.displayName", equalTo(null));
    }

    /** The event as sealed, from what the API serves: the served fields without the API's own additions. */
    private static JsonObject sealedForm(String tenant, String eventId) {
        String body = given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .when().get("/api/v1/events/" + eventId).then().statusCode(200).extract().asString();
        Map<String, JsonValue> members = new LinkedHashMap<>(((JsonObject) JsonParser.parse(body, 32)).members());
        for (String added : List.of("leafHash", "proof", "personalData")) {
            members.remove(added);
        }
        return new JsonObject(members);
    }
}
