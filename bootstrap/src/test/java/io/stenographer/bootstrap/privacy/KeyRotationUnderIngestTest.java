package io.stenographer.bootstrap.privacy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stenographer.application.port.out.KeyManagementPort;
import io.stenographer.application.service.RewrapDataKeysService;
import io.stenographer.application.service.RewrapDataKeysService.RewrapOutcome;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Key-encryption keys rotate while writers keep ingesting: every acknowledged event is stored with its receipt's
 * leaf hash, and every personal value still decrypts, also after the generations it was first wrapped under are
 * destroyed (the rewrap moved every data key to the current one).
 */
@QuarkusTest
class KeyRotationUnderIngestTest {

    private static final int WRITERS = 3;
    private static final int SUBJECTS = 40;

    @Inject
    LocalKeyring keyring;
    @Inject
    RewrapDataKeysService rewrap;
    @Inject
    KeyManagementPort keyManagement;

    @Test
    void nothingIsLostAndEverythingStillDecrypts() throws Exception {
        String tenant = "rotation-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // event id -> leaf hash from the receipt
        AtomicBoolean stop = new AtomicBoolean();
        String writer = TestTokens.writer("writer", tenant);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int seed = w;
            writers.add(pool.submit(() -> {
                int round = 0;
                while (!stop.get()) {
                    StringBuilder batch = new StringBuilder("{\"events\":[");
                    for (int i = 0; i < 10; i++) {
                        String actor = "subject-" + ((seed * 7 + round * 3 + i) % SUBJECTS);
                        batch.append(i == 0 ? "" : ",").append(Events.event(tenant, actor, "case.view", "C-" + i));
                    }
                    JsonPath answer = given().auth().oauth2(writer).contentType("application/json")
                            .body(batch.append("]}").toString()).when().post("/api/v1/events/batch")
                            .then().statusCode(200).extract().jsonPath();
                    List<Map<String, Object>> items = answer.getList("items");
                    for (Map<String, Object> item : items) {
                        assertThat(item.get("status")).isEqualTo("created");
                        acknowledged.put((String) item.get("id"), (String) item.get("leafHash"));
                    }
                    round++;
                }
                return null;
            }));
        }
        try {
            List<String> generationsBefore = new ArrayList<>();
            for (int rotation = 0; rotation < 2; rotation++) {
                int seen = acknowledged.size();
                Await.until("more events acknowledged", Await.DEADLINE, acknowledged::size, n -> n >= seen + 60);
                generationsBefore.add(keyManagement.currentKeyEncryptionKeyId(TenantId.of(tenant)));
                keyring.rotate();
                RewrapOutcome outcome = rewrap.rewrapAll(100_000);
                assertThat(outcome.rewrapped()).as("keys moved in rotation %d", rotation).isPositive();
            }
            int seen = acknowledged.size();
            Await.until("events acknowledged after the last rotation", Await.DEADLINE, acknowledged::size,
                    n -> n >= seen + 60);
            stop.set(true);
            for (Future<?> future : writers) {
                future.get();
            }
            // Keys a writer created under the old generation during the last pass move now.
            assertThat(rewrap.rewrapAll(100_000).complete()).isTrue();
            for (String generation : generationsBefore) {
                keyring.destroyGeneration(generation);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }

        Map<String, JsonObject> stored = readAll(tenant);
        assertThat(stored.keySet()).containsAll(acknowledged.keySet());
        for (Map.Entry<String, String> receipt : acknowledged.entrySet()) {
            JsonObject event = stored.get(receipt.getKey());
            assertThat(text(event, "leafHash")).isEqualTo(receipt.getValue());
            for (String field : List.of("actor.displayName", "source.ip", "source.userAgent")) {
                assertThat(text(event, "personalData", field, "status"))
                        .as("%s of %s", field, receipt.getKey()).isEqualTo("revealed");
            }
            assertThat(text(event, "personalData", "actor.displayName", "value")).isEqualTo("Dana Doe");
        }
    }

    /** The string at {@code path}, or null. (JsonPath took about a minute for these few thousand events.) */
    private static String text(JsonObject object, String... path) {
        JsonValue value = object;
        for (String name : path) {
            value = value instanceof JsonObject o ? o.get(name) : null;
        }
        return value instanceof JsonString string ? string.value() : null;
    }

    /** Every event of the tenant's writers as a personal-data reader sees it, by id; each page parsed once. */
    private static Map<String, JsonObject> readAll(String tenant) {
        String reader = TestTokens.valid("privacy-officer", Set.of("auditor", "personal-data-reader"), tenant);
        Map<String, JsonObject> byId = new HashMap<>();
        String cursor = null;
        do {
            var request = given().auth().oauth2(reader).queryParam("tenant", tenant).queryParam("action", "case.view")
                    .queryParam("limit", 1000);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            String body = request.when().get("/api/v1/events").then().statusCode(200).extract().asString();
            JsonObject page = (JsonObject) JsonParser.parse(body, 64);
            for (JsonValue event : ((JsonArray) page.get("events")).elements()) {
                byId.put(text((JsonObject) event, "id"), (JsonObject) event);
            }
            cursor = page.get("nextCursor") instanceof JsonString next ? next.value() : null;
        } while (cursor != null);
        return byId;
    }
}
