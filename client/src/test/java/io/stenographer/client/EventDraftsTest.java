package io.stenographer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the client sends is the event model's canonical client fields, built from the application's values. */
class EventDraftsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:15:30.123456789Z");

    @Test
    void everyFieldReachesTheRequestAndTimesAreCutToMicroseconds() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("pages", 12);
        metadata.put("ratio", 0.5);
        metadata.put("exact", new BigDecimal("1.25"));
        metadata.put("tags", List.of("a", true));
        metadata.put("none", null);
        Event event = Event.builder("case.export")
                .actor("officer-17", Event.ActorType.USER, "Ivan Petrov")
                .resource("case", "C-1").reason("FOIA 88").outcome(Event.Outcome.DENIED)
                .source("2001:db8::1", "Mozilla/5.0").correlationId("req-9").metadata(metadata).build();

        EventDraft draft = EventDrafts.draft(event, new TenantId("acme"), "portal", NOW, "k-1");
        String json = new String(CanonicalJson.canonicalBytes(SealedEventFormat.clientFields(draft)),
                StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"action\":\"case.export\",\"actor\":{\"displayName\":\"Ivan Petrov\","
                + "\"id\":\"officer-17\",\"type\":\"user\"},\"clientEventId\":\"k-1\",\"correlationId\":\"req-9\","
                + "\"metadata\":{\"exact\":1.25,\"none\":null,\"pages\":12,\"ratio\":0.5,\"tags\":[\"a\",true]},"
                + "\"occurredAt\":\"2026-12-06T10:15:30.123456Z\",\"outcome\":\"denied\",\"reason\":\"FOIA 88\","
                + "\"resource\":{\"id\":\"C-1\",\"type\":\"case\"},\"source\":{\"application\":\"portal\","
                + "\"ip\":\"2001:db8::1\",\"userAgent\":\"Mozilla/5.0\"},\"tenant\":\"acme\"}");
    }

    @Test
    void valuesJsonCannotHoldExactlyAreRefusedWithTheirPath() {
        assertThatThrownBy(() -> draft(Map.of("big", Long.MAX_VALUE)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.field()).isEqualTo("metadata.big");
                    assertThat(e.detail()).contains("2^53");
                });
        assertThatThrownBy(() -> draft(Map.of("huge", 1e18)))
                .as("written 1000000000000000000, an integer the service refuses beyond 2^53")
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("metadata.huge"));
        assertThat(draft(Map.of("fine", 1e300)).metadata().get("fine")).isNotNull();
        assertThatThrownBy(() -> draft(Map.of("nested", Map.of("x", Double.NaN))))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.field()).isEqualTo("metadata.nested.x"));
        assertThatThrownBy(() -> draft(Map.of("k", Map.of(1, "v"))))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.detail()).contains("string keys"));
        assertThatThrownBy(() -> EventDrafts.draft(Event.builder("case.view").actor("u")
                .occurredAt(Instant.parse("2026-12-06T10:15:30.123456789Z")).build(), new TenantId("acme"), "p",
                NOW, null)).isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.field()).isEqualTo("occurredAt"));
    }

    private static EventDraft draft(Map<String, ?> metadata) {
        return EventDrafts.draft(Event.builder("case.view").actor("u").metadata(metadata).build(),
                new TenantId("acme"), "p", NOW, null);
    }
}
