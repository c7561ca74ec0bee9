package io.stenographer.domain.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SealedEventBytesPropertiesTest {

    @Provide
    Arbitrary<AuditEvent> events() {
        return SealedEventArbitraries.events();
    }

    @Property(tries = 2000)
    void theBytesFromStoredFieldsAreTheLeafInput(@ForAll("events") AuditEvent event) {
        assertThat(SealedEventBytes.leafInput(StoredEventFields.of(event))).isEqualTo(event.leafInput());
        assertThat(SealedEventBytes.leafHash(StoredEventFields.of(event))).isEqualTo(event.leafHash());
    }

    @Property(tries = 500)
    void restoringTheStoredFieldsGivesBackTheEvent(@ForAll("events") AuditEvent event) {
        assertThat(StoredEventFields.of(event).restore()).isEqualTo(event);
    }

    /**
     * Any string, also ones no valid event holds (control characters, DEL, U+0080..U+009F), is escaped as
     * CanonicalJson escapes it: the reference is the event's own JSON tree with the strings swapped in.
     */
    @Property(tries = 1000)
    void everyStringIsEscapedAsCanonicalJsonDoes(@ForAll("events") AuditEvent event,
            @ForAll("anyStrings") String reason, @ForAll("anyStrings") String displayName) {
        StoredEventFields stored = StoredEventFields.of(event);
        StoredEventFields swapped = new StoredEventFields(stored.id(), stored.tenant(), stored.receivedAt(),
                stored.submittedBy(), stored.actorId(), stored.actorType(), displayName, stored.action(),
                stored.resourceType(), stored.resourceId(), reason, stored.outcome(), stored.occurredAt(),
                stored.sourceApplication(), stored.sourceIp(), stored.sourceUserAgent(), stored.correlationId(),
                stored.metadata(), stored.clientEventId(), stored.personal());

        Map<String, JsonValue> members = new LinkedHashMap<>(SealedEventFormat.toJson(event).members());
        members.put("reason", new JsonString(reason));
        Map<String, JsonValue> actor = new LinkedHashMap<>(((JsonObject) members.get("actor")).members());
        actor.put("displayName", new JsonString(displayName));
        members.put("actor", new JsonObject(actor));

        assertThat(SealedEventBytes.leafInput(swapped))
                .isEqualTo(CanonicalJson.canonicalBytes(new JsonObject(members)));
    }

    @Provide
    Arbitrary<String> anyStrings() {
        Arbitrary<String> controls = Arbitraries.strings().withCharRange('\u0000', '\u009f').ofMaxLength(16);
        return Arbitraries.oneOf(controls, Arbitraries.strings().all().ofMaxLength(16))
                .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF));
    }

    /** Calendar edges the uniform instants seldom reach: epoch, leap days, century rules, the last instant. */
    @Example
    void calendarEdgesAreWrittenAsTimestampsFormatsThem() {
        AuditEvent sample = SealedEventArbitraries.events().sample();
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "1972-02-29T12:00:00.5Z", "1999-12-31T23:59:59Z",
                "2000-02-29T23:59:59.999999Z", "2000-03-01T00:00:00Z", "2100-02-28T00:00:00.000001Z",
                "2100-03-01T00:00:00Z", "2400-02-29T01:02:03Z", "9999-12-31T23:59:59.999999Z"}) {
            AuditEvent event = AuditEvent.restore(sample.id(), Instant.parse(edge), sample.submittedBy(),
                    sample.content());
            assertThat(SealedEventBytes.leafInput(StoredEventFields.of(event))).as(edge)
                    .isEqualTo(event.leafInput());
        }
    }

    @Example
    void aFieldThatCannotBeWrittenAsAValidEventsIsRefused() {
        AuditEvent event = SealedEventArbitraries.events().sample();
        StoredEventFields stored = StoredEventFields.of(event);

        assertThatThrownBy(() -> SealedEventBytes.leafInput(withReason(stored, "a\uD800b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
        assertThatThrownBy(() -> SealedEventBytes.leafInput(withReceivedAt(stored, Instant.parse("1969-12-31T23:59:59Z"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 1970-9999");
        assertThatThrownBy(() -> SealedEventBytes.leafInput(withReceivedAt(stored,
                Instant.parse("2026-01-01T00:00:00.000000001Z"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finer than microseconds");
        assertThatThrownBy(() -> SealedEventBytes.leafInput(withReceivedAt(stored, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("receivedAt is missing");
    }

    private static StoredEventFields withReason(StoredEventFields f, String reason) {
        return new StoredEventFields(f.id(), f.tenant(), f.receivedAt(), f.submittedBy(), f.actorId(), f.actorType(),
                f.actorDisplayName(), f.action(), f.resourceType(), f.resourceId(), reason, f.outcome(),
                f.occurredAt(), f.sourceApplication(), f.sourceIp(), f.sourceUserAgent(), f.correlationId(),
                f.metadata(), f.clientEventId());
    }

    private static StoredEventFields withReceivedAt(StoredEventFields f, Instant receivedAt) {
        return new StoredEventFields(f.id(), f.tenant(), receivedAt, f.submittedBy(), f.actorId(), f.actorType(),
                f.actorDisplayName(), f.action(), f.resourceType(), f.resourceId(), f.reason(), f.outcome(),
                f.occurredAt(), f.sourceApplication(), f.sourceIp(), f.sourceUserAgent(), f.correlationId(),
                f.metadata(), f.clientEventId());
    }
}
