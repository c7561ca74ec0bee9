package io.stenographer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNull;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.event.Commitment;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.event.PersonalField;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Receipts of {@code stenographer.event/v2} events: the service commits to personal values under random openings and
 * returns those openings to the writer, which rebuilds the sealed event and checks the leaf hash as for v1.
 */
class PersonalDataReceiptTest {

    private static final Instant OCCURRED = Instant.parse("2026-03-01T10:15:30.123456Z");
    private static final DataPolicy REASON_AND_EMAIL = DataPolicy.of(List.of("reason", "metadata.email"), "actor.id");
    private static final DataPolicy PERSONAL_IDENTIFIERS = DataPolicy.of(List.of("actor.id", "resource.id",
            "actor.displayName"), "resource.id");
    private static final String EVERY_FIELD_ACTOR = "u-17";

    private FakeAuditService service;
    private AuditClient client;
    private final List<LogIntegrityException> alerts = new CopyOnWriteArrayList<>();

    @TempDir
    Path spoolDirectory;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (service != null) {
            service.close();
        }
    }

    private AuditClient start(DataPolicy policy) {
        service = new FakeAuditService(policy);
        client = service.client().integrityListener(alerts::add).build();
        return client;
    }

    /** Every field a policy can make personal, with a value. */
    private static Event.Builder everyField(String key) {
        return Event.builder("patient.record.viewed").actor(EVERY_FIELD_ACTOR, Event.ActorType.USER, "Jane Canary")
                .resource("patient", "p-9").reason("treatment").occurredAt(OCCURRED)
                .source("203.0.113.7", "Mozilla/5.0 canary")
                .metadata(Map.of("email", "jane@example.org", "ward", "4B")).clientEventId(key);
    }

    private static Receipt receiptOf(CompletableFuture<Receipt> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<Receipt> future) throws Exception {
        try {
            future.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the event was recorded; a failure was expected");
    }

    private Set<String> openingsAnswered(int item) {
        return ((JsonObject) service.answeredItems.get(item).get("openings")).members().keySet();
    }

    @Test
    void aV2ReceiptForTheDefaultFieldsIsCheckedAndItsProofVerified() throws Exception {
        start(DataPolicy.DEFAULT);

        Receipt receipt = receiptOf(client.log(everyField("k-1").build()));
        Receipt.Inclusion inclusion = receipt.verify();

        AuditEvent sealed = service.sealedEvents.get(0);
        assertThat(sealed.format()).isEqualTo(SealedEventFormat.FORMAT_V2);
        assertThat(new String(sealed.leafInput(), StandardCharsets.UTF_8))
                .doesNotContain("Jane Canary", "203.0.113.7", "Mozilla");
        assertThat(openingsAnswered(0)).containsExactly("actor.displayName", "source.ip", "source.userAgent");
        assertThat(receipt.leafHash()).isEqualTo(sealed.leafHash().hex());
        assertThat(inclusion.leafIndex()).isZero();
        assertThat(alerts).isEmpty();
    }

    @Test
    void aV2ReceiptWithPersonalIdentifiersCarriesTheirPseudonymsAndIsChecked() throws Exception {
        start(PERSONAL_IDENTIFIERS);

        Receipt receipt = receiptOf(client.log(everyField("k-1").build()));
        receipt.verify();

        AuditEvent sealed = service.sealedEvents.get(0);
        String leaf = new String(sealed.leafInput(), StandardCharsets.UTF_8);
        String actorPseudonym = FakeAuditService.PSEUDONYMS.of(EVERY_FIELD_ACTOR);
        assertThat(leaf).doesNotContain("\"" + EVERY_FIELD_ACTOR + "\"").contains(actorPseudonym);
        assertThat(openingsAnswered(0)).contains("actor.id", "resource.id");
        assertThat(((JsonObject) service.answeredItems.get(0).get("pseudonyms")).members())
                .containsOnlyKeys("actor.id", "resource.id")
                .containsEntry("actor.id", new JsonString(actorPseudonym));
        assertThat(receipt.leafHash()).isEqualTo(sealed.leafHash().hex());
        assertThat(alerts).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = FakeAuditService.Lie.class, names = {"WRONG_PSEUDONYM", "MISSING_PSEUDONYM"})
    void aPseudonymThatIsNotTheLeafsIsAnIntegrityViolation(FakeAuditService.Lie lie) throws Exception {
        start(PERSONAL_IDENTIFIERS);
        service.lie = lie;

        Throwable failure = failureOf(client.log(everyField("k-1").build()));

        assertThat(failure).isInstanceOf(LogIntegrityException.ReceiptMismatch.class)
                .hasMessageContaining(lie == FakeAuditService.Lie.MISSING_PSEUDONYM ? "names no pseudonym"
                        : "is not the hash of the event sent");
        assertThat(alerts).containsExactly((LogIntegrityException) failure);
    }

    @Test
    void pseudonymsAreReadStrictly() {
        Map<PersonalField, byte[]> openings = Map.of(PersonalField.ACTOR_ID, new byte[Commitment.OPENING_LENGTH]);
        String pseudonym = FakeAuditService.PSEUDONYMS.of("u-1");
        assertThat(AuditClient.pseudonyms(null, openings)).isEmpty();
        assertThat(AuditClient.pseudonyms(new JsonObject(Map.of("actor.id", new JsonString(pseudonym))), openings))
                .containsExactly(Map.entry(PersonalField.ACTOR_ID, pseudonym));
        for (JsonValue malformed : List.<JsonValue>of(new JsonObject(Map.of()),
                new JsonObject(Map.of("resource.id", new JsonString(pseudonym))),
                new JsonObject(Map.of("source.ip", new JsonString(pseudonym))),
                new JsonObject(Map.of("actor.id", new JsonString("u-1"))),
                new JsonObject(Map.of("actor.id", new JsonString(pseudonym.toUpperCase(java.util.Locale.ROOT)))))) {
            assertThatThrownBy(() -> AuditClient.pseudonyms(malformed, openings)).as(malformed.toString())
                    .isInstanceOf(AuditClient.MalformedAnswer.class);
        }
    }

    @Test
    void aV2ReceiptForTheReasonAndAMetadataKeyIsChecked() throws Exception {
        start(REASON_AND_EMAIL);

        Receipt receipt = receiptOf(client.log(everyField("k-1").build()));
        receipt.verify();

        String leaf = new String(service.sealedEvents.get(0).leafInput(), StandardCharsets.UTF_8);
        assertThat(leaf).doesNotContain("treatment", "jane@example.org").contains("\"ward\":\"4B\"", "Jane Canary");
        assertThat(openingsAnswered(0)).containsExactly("metadata.email", "reason");
        assertThat(alerts).isEmpty();
    }

    @Test
    void aMetadataValueThatIsNotAStringIsCommittedAsItsCanonicalJson() throws Exception {
        start(DataPolicy.of(List.of("metadata.visits", "metadata.tags", "metadata.none"), "actor.id"));
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("z", List.of(true, 1.5));
        tags.put("a", "\u00e9\u674e");

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("visits", 3);
        metadata.put("tags", tags);
        metadata.put("none", null);
        Receipt receipt = receiptOf(client.log(Event.builder("patient.record.viewed").actor("u-17")
                .metadata(metadata).build()));

        assertThat(openingsAnswered(0)).containsExactlyInAnyOrder("metadata.visits", "metadata.tags",
                "metadata.none");
        assertThat(receipt.leafHash()).isEqualTo(service.sealedEvents.get(0).leafHash().hex());
        assertThat(alerts).isEmpty();
    }

    @Test
    void anEventWithNoPersonalValueStaysV1WithoutOpenings() throws Exception {
        start(DataPolicy.DEFAULT);

        Receipt receipt = receiptOf(client.log(Event.builder("job.ran").actor("svc").reason("nightly")
                .metadata(Map.of("email", "ops@example.org")).build()));
        receipt.verify();

        AuditEvent sealed = service.sealedEvents.get(0);
        assertThat(sealed.format()).isEqualTo(SealedEventFormat.FORMAT);
        assertThat(sealed.personal().isEmpty()).isTrue();
        assertThat(service.answeredItems.get(0).get("openings")).isNull();
        assertThat(receipt.leafHash()).isEqualTo(sealed.leafHash().hex());
    }

    @Test
    void aReplayedV2ReceiptCarriesItsOpeningsAndIsChecked() throws Exception {
        start(DataPolicy.DEFAULT);

        Receipt first = receiptOf(client.log(everyField("k-1").build()));
        Receipt again = receiptOf(client.log(everyField("k-1").build()));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.leafHash()).isEqualTo(first.leafHash());
        assertThat(service.recordedEvents()).isEqualTo(1);
        assertThat(alerts).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = FakeAuditService.Lie.class, names = {"WRONG_OPENING", "MISSING_OPENING",
        "OPENING_FOR_UNSENT_FIELD"})
    void openingsThatDoNotOpenTheLeafAreAnIntegrityViolation(FakeAuditService.Lie lie) throws Exception {
        start(DataPolicy.DEFAULT);
        service.lie = lie;

        Throwable failure = failureOf(client.log(everyField("k-1").build()));

        assertThat(failure).isInstanceOf(LogIntegrityException.ReceiptMismatch.class);
        if (lie == FakeAuditService.Lie.OPENING_FOR_UNSENT_FIELD) {
            assertThat(failure).hasMessageContaining("metadata.unsent").hasMessageContaining("did not send");
        }
        assertThat(alerts).containsExactly((LogIntegrityException) failure);
        assertThat(client.metrics().failed()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = FakeAuditService.Lie.class, names = {"UPPER_CASE_OPENING",
        "OPENING_FOR_FIELD_THAT_CANNOT_BE_PERSONAL"})
    void malformedOpeningsAreAProtocolError(FakeAuditService.Lie lie) throws Exception {
        start(DataPolicy.DEFAULT);
        service.lie = lie;

        Throwable failure = failureOf(client.log(everyField("k-1").build()));

        assertThat(failure).isExactlyInstanceOf(AuditClientException.class)
                .hasMessageStartingWith("the service's answer for this event is not readable: ")
                .hasMessageContaining(lie == FakeAuditService.Lie.UPPER_CASE_OPENING ? "lower-case hex"
                        : "'actor.type', which is not a field that can be personal");
        assertThat(alerts).isEmpty();
    }

    @Test
    void openingsAreReadStrictly() {
        String hex = "ab".repeat(32);
        assertThat(AuditClient.openings(null)).isEmpty();
        assertThat(AuditClient.openings(JsonNull.INSTANCE)).as("a null claims nothing: the v1 leaf is recomputed")
                .isEmpty();
        Map<PersonalField, byte[]> read = AuditClient.openings(new JsonObject(Map.of("source.ip", new JsonString(hex),
                "metadata.email", new JsonString("00".repeat(32)))));
        assertThat(read.keySet()).containsExactly(new PersonalField("metadata.email"), PersonalField.SOURCE_IP);
        assertThat(read.get(PersonalField.SOURCE_IP)).hasSize(Commitment.OPENING_LENGTH).containsOnly((byte) 0xab);

        for (JsonValue malformed : List.of(new JsonString(hex), JsonObject.EMPTY, new JsonArray(List.of()),
                new JsonObject(Map.of("resource.type", new JsonString(hex))),
                new JsonObject(Map.of("metadata.a.b", new JsonString(hex))),
                new JsonObject(Map.of("source.ip", new JsonString(hex.substring(2)))),
                new JsonObject(Map.of("source.ip", new JsonString(hex + "00"))),
                new JsonObject(Map.of("source.ip", new JsonString("AB".repeat(32)))),
                new JsonObject(Map.of("source.ip", new JsonString("g".repeat(64)))),
                new JsonObject(Map.of("source.ip", new JsonNumber(1))),
                new JsonObject(Map.of("source.ip", JsonNull.INSTANCE)))) {
            assertThatThrownBy(() -> AuditClient.openings(malformed)).as(malformed.toString())
                    .isInstanceOf(AuditClient.MalformedAnswer.class);
        }
    }

    @Test
    void aReplayAfterErasureComesBackWithoutOpeningsAndIsReportedNotAccepted() throws Exception {
        start(DataPolicy.DEFAULT);
        receiptOf(client.log(everyField("k-1").build()));
        service.openingsErased = true;

        Throwable failure = failureOf(client.log(everyField("k-1").build()));

        assertThat(failure).isInstanceOf(LogIntegrityException.ReceiptMismatch.class)
                .hasMessageContaining("no openings").hasMessageContaining("cannot be verified");
        assertThat(alerts).containsExactly((LogIntegrityException) failure);
    }

    @Test
    void spooledEventsDeliveredByTheNextRunAreCheckedAsV2() throws Exception {
        service = new FakeAuditService(REASON_AND_EMAIL);
        for (int i = 0; i < 100_000; i++) {
            service.scriptedStatuses.add(503);
        }
        try (AuditClient away = service.client().queueFullPolicy(QueueFullPolicy.SPOOL)
                .spoolDirectory(spoolDirectory).closeTimeout(Duration.ofMillis(300)).build()) {
            for (int i = 0; i < 4; i++) {
                away.log(everyField("k-" + i).build());
            }
            away.log(Event.builder("job.ran").actor("svc").clientEventId("k-plain").build());
        }
        service.scriptedStatuses.clear();

        Set<String> delivered = ConcurrentHashMap.newKeySet();
        List<AuditClientException> refused = new CopyOnWriteArrayList<>();
        try (AuditClient next = service.client().queueFullPolicy(QueueFullPolicy.SPOOL)
                .spoolDirectory(spoolDirectory).integrityListener(alerts::add).spoolListener(new SpoolListener() {
                    @Override
                    public void delivered(Receipt receipt) {
                        delivered.add(receipt.clientEventId());
                    }

                    @Override
                    public void failed(String clientEventId, AuditClientException reason) {
                        refused.add(reason);
                    }
                }).build()) {
            Receipt fresh = receiptOf(next.log(everyField("k-new").build()));
            fresh.verify();
        }

        assertThat(refused).isEmpty();
        assertThat(alerts).isEmpty();
        assertThat(delivered).containsExactlyInAnyOrder("k-0", "k-1", "k-2", "k-3", "k-plain");
        assertThat(service.sealedEvents).extracting(AuditEvent::format).containsOnly(SealedEventFormat.FORMAT_V2,
                SealedEventFormat.FORMAT).hasSize(6);
    }

    @Test
    void aRecoveredEventIsSealedExactlyAsTheLiveOne() {
        EventDraft draft = crossCheckDraft();
        byte[] json = CanonicalJson.canonicalBytes(SealedEventFormat.clientFields(draft));
        Outgoing live = new Outgoing.Pending(null, draft, json, new CompletableFuture<>());
        Outgoing recovered = Outgoing.Recovered.of(json, SpoolListener.LOG);
        EventId id = EventId.parse(CROSS_CHECK_ID);
        Instant receivedAt = Instant.parse(CROSS_CHECK_RECEIVED_AT);

        for (Map<PersonalField, byte[]> openings : List.of(Map.<PersonalField, byte[]>of(), crossCheckOpenings())) {
            assertThat(recovered.sealedWith(id, receivedAt, CROSS_CHECK_SUBMITTER, openings, Map.of()).leafInput())
                    .isEqualTo(live.sealedWith(id, receivedAt, CROSS_CHECK_SUBMITTER, openings, Map.of()).leafInput());
        }
        Map<PersonalField, byte[]> unsent = new TreeMap<>(crossCheckOpenings());
        unsent.put(new PersonalField("metadata.unsent"), new byte[Commitment.OPENING_LENGTH]);
        for (Outgoing outgoing : List.of(live, recovered)) {
            assertThatThrownBy(() -> outgoing.sealedWith(id, receivedAt, CROSS_CHECK_SUBMITTER, unsent, Map.of()))
                    .isInstanceOf(LogIntegrityException.ReceiptMismatch.class)
                    .hasMessageContaining("metadata.unsent");
        }
    }

    // ---- the cross-check vector, asserted with the same hex in client-python/tests/test_personal.py ---------------

    static final String CROSS_CHECK_ID = "0190f2a4-6b7c-7d8e-9f00-112233445566";
    static final String CROSS_CHECK_RECEIVED_AT = "2026-03-01T10:15:31.000001Z";
    static final String CROSS_CHECK_SUBMITTER = "svc-ehr@https://idp.example";
    /** Leaf hash of {@link #crossCheckDraft()} sealed with {@link #crossCheckOpenings()}. */
    /** The commitment to {@code source.ip} under 32 bytes of 0x05. */
    static final String CROSS_CHECK_SOURCE_IP = "264d17d30fc4cf1daca803df74ebb5a7a44a8732353e314d9cc5446847854fc5";
    static final String CROSS_CHECK_LEAF_HASH = "157b09a5e67cc4f7fd6984527852728d29a3a054401d58510a9cae66bd2acff9";

    /** Six personal values: three default fields, the reason, a string and an object in metadata; non-ASCII text. */
    static EventDraft crossCheckDraft() {
        Map<String, JsonValue> tags = new LinkedHashMap<>();
        tags.put("z", new JsonArray(List.of(JsonBoolean.TRUE, JsonNull.INSTANCE, new JsonNumber(1.5))));
        tags.put("a", new JsonString("\u00e9\u674e"));
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("email", new JsonString("jane@example.org"));
        metadata.put("tags", new JsonObject(tags));
        metadata.put("ward", new JsonString("4B"));
        return new EventDraft(TenantId.of("acme"), new Actor("u-17", ActorType.USER, "J\u00e4ne \u674e Canary"),
                new Action("patient.record.viewed"), new ResourceRef("patient", "p-9"), "treatment",
                Outcome.SUCCESS, Instant.parse("2026-03-01T10:15:30.123456Z"),
                new Source("ehr", "203.0.113.7", "Mozilla/5.0 canary"), "corr-1", new JsonObject(metadata),
                "k-cross-check");
    }

    /** Openings of 32 bytes 0x01, 0x02, ... for the personal fields in path order. */
    static Map<PersonalField, byte[]> crossCheckOpenings() {
        Map<PersonalField, byte[]> openings = new TreeMap<>();
        byte next = 1;
        for (PersonalField field : crossCheckPolicy().personalFields()) {
            byte[] opening = new byte[Commitment.OPENING_LENGTH];
            Arrays.fill(opening, next++);
            openings.put(field, opening);
        }
        return openings;
    }

    static DataPolicy crossCheckPolicy() {
        return DataPolicy.of(List.of("actor.displayName", "source.ip", "source.userAgent", "reason",
                "metadata.email", "metadata.tags"), "actor.id");
    }

    @Test
    void theCrossCheckVectorIsWhatTheServiceSealsAndWhatTheClientRecomputes() {
        EventDraft draft = crossCheckDraft();
        byte[] json = CanonicalJson.canonicalBytes(SealedEventFormat.clientFields(draft));
        AuditEvent recomputed = new Outgoing.Pending(null, draft, json, new CompletableFuture<>()).sealedWith(
                EventId.parse(CROSS_CHECK_ID), Instant.parse(CROSS_CHECK_RECEIVED_AT), CROSS_CHECK_SUBMITTER,
                crossCheckOpenings(), Map.of());

        int[] next = {1};
        Supplier<byte[]> counting = () -> {
            byte[] opening = new byte[Commitment.OPENING_LENGTH];
            Arrays.fill(opening, (byte) next[0]++);
            return opening;
        };
        DataPolicy.Separation separation = crossCheckPolicy().separate(draft, counting, FakeAuditService.PSEUDONYMS);
        AuditEvent sealedByService = AuditEvent.record(EventId.parse(CROSS_CHECK_ID),
                Instant.parse(CROSS_CHECK_RECEIVED_AT), CROSS_CHECK_SUBMITTER, separation.committedDraft(),
                separation.commitments());

        assertThat(recomputed.leafInput()).isEqualTo(sealedByService.leafInput());
        assertThat(recomputed.format()).isEqualTo(SealedEventFormat.FORMAT_V2);
        assertThat(recomputed.personal().byField()).hasSize(6);
        JsonObject leaf = (JsonObject) JsonParser.parse(new String(recomputed.leafInput(), StandardCharsets.UTF_8),
                32);
        assertThat(((JsonObject) leaf.get("metadata")).members().keySet()).containsExactly("ward");
        assertThat(recomputed.personal().get(PersonalField.SOURCE_IP).hex()).isEqualTo(CROSS_CHECK_SOURCE_IP);
        assertThat(recomputed.leafHash().hex()).isEqualTo(CROSS_CHECK_LEAF_HASH);
    }

    /** Leaf hash of the same event and openings plus actor.id under 32 bytes 0x07, held as the pseudonym below. */
    static final String CROSS_CHECK_IDENTIFIER_LEAF_HASH =
            "cf454e78e42e092bd2907c1c537b0d2370e8bd473dd5e57803484ccc0985c070";
    static final String CROSS_CHECK_ACTOR_PSEUDONYM = "pseudonym:" + "ab".repeat(32);

    @Test
    void theIdentifierCrossCheckVectorIsWhatThePythonClientRecomputes() {
        EventDraft draft = crossCheckDraft();
        byte[] json = CanonicalJson.canonicalBytes(SealedEventFormat.clientFields(draft));
        Map<PersonalField, byte[]> openings = new TreeMap<>(crossCheckOpenings());
        byte[] actorOpening = new byte[Commitment.OPENING_LENGTH];
        Arrays.fill(actorOpening, (byte) 7);
        openings.put(PersonalField.ACTOR_ID, actorOpening);

        AuditEvent recomputed = new Outgoing.Pending(null, draft, json, new CompletableFuture<>()).sealedWith(
                EventId.parse(CROSS_CHECK_ID), Instant.parse(CROSS_CHECK_RECEIVED_AT), CROSS_CHECK_SUBMITTER,
                openings, Map.of(PersonalField.ACTOR_ID, CROSS_CHECK_ACTOR_PSEUDONYM));

        List<String> paths = new java.util.ArrayList<>(List.of("actor.id"));
        crossCheckPolicy().personalFields().forEach(field -> paths.add(field.path()));
        DataPolicy.Separation byService = DataPolicy.of(paths, "actor.id").separate(draft, openings::get,
                identifier -> CROSS_CHECK_ACTOR_PSEUDONYM);
        AuditEvent sealedByService = AuditEvent.record(EventId.parse(CROSS_CHECK_ID),
                Instant.parse(CROSS_CHECK_RECEIVED_AT), CROSS_CHECK_SUBMITTER, byService.committedDraft(),
                byService.commitments());
        assertThat(recomputed.leafInput()).as("the service's sealing gives the same bytes")
                .isEqualTo(sealedByService.leafInput());
        assertThat(recomputed.content().actor().id()).isEqualTo(CROSS_CHECK_ACTOR_PSEUDONYM);
        assertThat(recomputed.personal().get(PersonalField.ACTOR_ID).hex())
                .isEqualTo("74c5efad9fe3bcbb10a5d5ffbf63d6c7695cddc5a34ef7b09f58cb739d76eca9");
        assertThat(recomputed.leafHash().hex()).isEqualTo(CROSS_CHECK_IDENTIFIER_LEAF_HASH);
    }
}
