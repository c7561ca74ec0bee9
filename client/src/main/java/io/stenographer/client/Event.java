package io.stenographer.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One audited action as the application states it. Every field of the event model has a setter; tenant and
 * {@code source.application} come from the client's configuration, and {@code occurredAt} defaults to the time of
 * {@code log()}. Validation happens in {@code log()}, with the server's own rules.
 *
 * <pre>{@code
 * Event.builder("case.export").actor("officer-17").resource("case", "C-2024-001")
 *         .reason("FOIA request 88").metadata(Map.of("format", "pdf")).build();
 * }</pre>
 */
public final class Event {

    /** How the action ended. */
    public enum Outcome {
        SUCCESS("success"), FAILURE("failure"), DENIED("denied");

        final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }
    }

    /** Who acted. */
    public enum ActorType {
        USER("user"), SERVICE("service");

        final String wireName;

        ActorType(String wireName) {
            this.wireName = wireName;
        }
    }

    final String action;
    final String actorId;
    final ActorType actorType;
    final String actorDisplayName;
    final String resourceType;
    final String resourceId;
    final String reason;
    final Outcome outcome;
    final Instant occurredAt;
    final String sourceIp;
    final String userAgent;
    final String correlationId;
    final Map<String, Object> metadata;
    final String clientEventId;

    /** This event as the client sent it: with the idempotency key and {@code occurredAt} it was sent with. */
    Event asSent(String key, Instant sentOccurredAt) {
        Builder b = new Builder(action);
        b.actorId = actorId;
        b.actorType = actorType;
        b.actorDisplayName = actorDisplayName;
        b.resourceType = resourceType;
        b.resourceId = resourceId;
        b.reason = reason;
        b.outcome = outcome;
        b.occurredAt = sentOccurredAt;
        b.sourceIp = sourceIp;
        b.userAgent = userAgent;
        b.correlationId = correlationId;
        b.metadata = metadata;
        b.clientEventId = key;
        return new Event(b);
    }

    private Event(Builder b) {
        this.action = b.action;
        this.actorId = b.actorId;
        this.actorType = b.actorType;
        this.actorDisplayName = b.actorDisplayName;
        this.resourceType = b.resourceType;
        this.resourceId = b.resourceId;
        this.reason = b.reason;
        this.outcome = b.outcome;
        this.occurredAt = b.occurredAt;
        this.sourceIp = b.sourceIp;
        this.userAgent = b.userAgent;
        this.correlationId = b.correlationId;
        this.metadata = b.metadata == null ? null : new LinkedHashMap<>(b.metadata);
        this.clientEventId = b.clientEventId;
    }

    public static Builder builder(String action) {
        return new Builder(action);
    }

    /** The idempotency key given by the application, or null: the client then assigns one in {@code log()}. */
    public String clientEventId() {
        return clientEventId;
    }

    public static final class Builder {
        private final String action;
        private String actorId;
        private ActorType actorType = ActorType.USER;
        private String actorDisplayName;
        private String resourceType;
        private String resourceId;
        private String reason;
        private Outcome outcome = Outcome.SUCCESS;
        private Instant occurredAt;
        private String sourceIp;
        private String userAgent;
        private String correlationId;
        private Map<String, ?> metadata;
        private String clientEventId;

        private Builder(String action) {
            this.action = action;
        }

        public Builder actor(String id) {
            this.actorId = id;
            return this;
        }

        public Builder actor(String id, ActorType type, String displayName) {
            this.actorId = id;
            this.actorType = Objects.requireNonNull(type, "type");
            this.actorDisplayName = displayName;
            return this;
        }

        public Builder resource(String type, String id) {
            this.resourceType = type;
            this.resourceId = id;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder outcome(Outcome outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        /** When the action happened; at most microsecond precision. Default: when {@code log()} is called. */
        public Builder occurredAt(Instant occurredAt) {
            this.occurredAt = occurredAt;
            return this;
        }

        /** The end user's address and agent, as the application saw them. */
        public Builder source(String ip, String userAgent) {
            this.sourceIp = ip;
            this.userAgent = userAgent;
            return this;
        }

        public Builder correlationId(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        /**
         * A JSON object: values are strings, numbers, booleans, null, lists and maps with string keys. At most
         * 64 KiB as canonical JSON and 16 levels deep.
         */
        public Builder metadata(Map<String, ?> metadata) {
            this.metadata = metadata;
            return this;
        }

        /** The idempotency key, unique per tenant. Default: a random one assigned by {@code log()}. */
        public Builder clientEventId(String clientEventId) {
            this.clientEventId = clientEventId;
            return this;
        }

        public Event build() {
            return new Event(this);
        }
    }
}
