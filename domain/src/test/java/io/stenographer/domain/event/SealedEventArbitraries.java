package io.stenographer.domain.event;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNull;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.time.Instant;
import io.stenographer.domain.event.Commitment;
import io.stenographer.domain.privacy.DataPolicy;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Valid sealed events of every shape: each optional field present or absent, any text a field accepts. */
public final class SealedEventArbitraries {

    private SealedEventArbitraries() {
    }

    public static Arbitrary<AuditEvent> events() {
        Arbitrary<EventDraft> drafts = Combinators.combine(
                Combinators.combine(tenants(), actors(), actions(), resources().injectNull(0.3),
                        text(2048).injectNull(0.3), Arbitraries.of(Outcome.class)).as(Head::new),
                instants(),
                sources(),
                text(128).injectNull(0.3),
                metadata(),
                clientEventIds().injectNull(0.3))
                .as((head, occurredAt, source, correlationId, metadata, clientEventId) -> new EventDraft(
                        head.tenant, head.actor, head.action, head.resource, head.reason, head.outcome, occurredAt,
                        source, correlationId, metadata, clientEventId));
        return Combinators.combine(Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong())),
                        instants(), text(256), drafts, policies(), Arbitraries.longs())
                .as((id, receivedAt, submittedBy, draft, policy, seed) -> {
                    // v1 and v2 events alike: each policy commits to a different set of the fields present.
                    java.util.Random openings = new java.util.Random(seed);
                    DataPolicy.Separation separation = policy.separate(draft, () -> {
                        byte[] opening = new byte[Commitment.OPENING_LENGTH];
                        openings.nextBytes(opening);
                        return opening;
                    }, io.stenographer.domain.privacy.TestPseudonyms.FIXED_KEY);
                    return AuditEvent.restore(new EventId(id), receivedAt, submittedBy,
                            separation.committedDraft(), separation.commitments());
                });
    }

    public static Arbitrary<DataPolicy> policies() {
        return Arbitraries.of(DataPolicy.NOTHING_PERSONAL, DataPolicy.DEFAULT,
                DataPolicy.of(java.util.List.of("reason", "source.ip", "metadata.a", "metadata.b-1"), "actor.id"),
                DataPolicy.of(java.util.List.of("actor.displayName", "metadata.x_y"), "resource.id"),
                DataPolicy.of(java.util.List.of("actor.id", "source.ip"), "actor.id"),
                DataPolicy.of(java.util.List.of("resource.id", "reason"), "resource.id"));
    }

    private record Head(TenantId tenant, Actor actor, Action action, ResourceRef resource, String reason,
            Outcome outcome) {
    }

    public static Arbitrary<TenantId> tenants() {
        return Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').numeric().ofLength(1),
                Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-').ofMaxLength(62))
                .as((first, rest) -> new TenantId(first + rest));
    }

    public static Arbitrary<Actor> actors() {
        return Combinators.combine(text(256), Arbitraries.of(ActorType.class), text(256).injectNull(0.4))
                .as(Actor::new);
    }

    public static Arbitrary<Action> actions() {
        Arbitrary<String> segment = Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').ofLength(1),
                Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('_', '-').ofMaxLength(12))
                .as(String::concat);
        return segment.list().ofMinSize(2).ofMaxSize(4).map(parts -> new Action(String.join(".", parts)));
    }

    public static Arbitrary<ResourceRef> resources() {
        return Combinators.combine(text(128), text(256)).as(ResourceRef::new);
    }

    public static Arbitrary<Source> sources() {
        return Combinators.combine(text(128),
                Arbitraries.of("10.0.0.1", "255.255.255.255", "::1", "2001:db8::7", "::ffff:192.0.2.1").injectNull(0.4),
                text(512).injectNull(0.4)).as(Source::new);
    }

    public static Arbitrary<String> clientEventIds() {
        return Arbitraries.strings().alpha().numeric().withChars("._:@/+=-").ofMinLength(1).ofMaxLength(128);
    }

    /** 1970-01-01 to 9999-12-31, whole microseconds. */
    public static Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.longs().between(0, 253_402_300_799L),
                        Arbitraries.integers().between(0, 999_999))
                .as((seconds, micros) -> Instant.ofEpochSecond(seconds, micros * 1_000L));
    }

    /**
     * Text a free-text field accepts: any code point but lone surrogates and control characters other than tab,
     * with quotes, backslashes, non-ASCII and characters beyond the BMP made likely.
     */
    public static Arbitrary<String> text(int maxLength) {
        Arbitrary<String> any = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(24);
        Arbitrary<String> tricky = Arbitraries.strings().withChars("aZ \t\"\\/'é€\u2028\u00a0\ufeff<>&")
                .ofMinLength(1).ofMaxLength(24);
        Arbitrary<String> astral = Arbitraries.of("😀", "𝄞", "\"😀\\", "\t𝕏");
        return Combinators.combine(Arbitraries.oneOf(any, tricky), astral.injectNull(0.6))
                .as((text, suffix) -> suffix == null ? text : text + suffix)
                .filter(SealedEventArbitraries::acceptedText)
                .map(text -> text.length() > maxLength ? text.substring(0, maxLength) : text)
                .filter(SealedEventArbitraries::acceptedText);
    }

    private static boolean acceptedText(String text) {
        if (text.isBlank()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Metadata objects up to four levels deep; keys and strings may hold control characters, JSON escapes them. */
    public static Arbitrary<JsonObject> metadata() {
        Arbitrary<String> strings = Arbitraries.strings().all().ofMaxLength(8)
                .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF));
        Arbitrary<JsonValue> scalars = Arbitraries.oneOf(
                Arbitraries.just(JsonNull.INSTANCE),
                Arbitraries.of(JsonBoolean.TRUE, JsonBoolean.FALSE),
                Arbitraries.longs().between(-9_007_199_254_740_992L, 9_007_199_254_740_992L).map(n -> new JsonNumber(n)),
                Arbitraries.doubles().map(JsonNumber::new),
                Arbitraries.of(1e21, 1e-7, 5e-324, -1.7976931348623157e308, 0.1).map(JsonNumber::new),
                strings.map(JsonString::new));
        Arbitrary<JsonValue> values = Arbitraries.recursive(
                () -> scalars,
                inner -> Arbitraries.oneOf(
                        inner.list().ofMaxSize(3).map(JsonArray::new),
                        Arbitraries.maps(strings, inner).ofMaxSize(3).map(JsonObject::new)),
                0, 3);
        return Arbitraries.maps(strings, values).ofMaxSize(4).map(JsonObject::new);
    }
}
