package io.stenographer.client;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.event.Timestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One event on its way to the service: its request bytes, how to seal it for the receipt check, and who to tell. */
interface Outgoing {

    byte[] json();

    String clientEventId();

    /** The event as the service sealed it, given the fields its answer names. */
    AuditEvent sealedWith(EventId id, Instant receivedAt, String submittedBy);

    void succeed(Receipt receipt);

    void fail(AuditClientException reason);

    /** Logged in this process: the caller holds the future. */
    record Pending(EventDraft draft, byte[] json, CompletableFuture<Receipt> future) implements Outgoing {

        @Override
        public String clientEventId() {
            return draft.clientEventId();
        }

        @Override
        public AuditEvent sealedWith(EventId id, Instant receivedAt, String submittedBy) {
            return AuditEvent.restore(id, receivedAt, submittedBy, draft);
        }

        @Override
        public void succeed(Receipt receipt) {
            future.complete(receipt);
        }

        @Override
        public void fail(AuditClientException reason) {
            future.completeExceptionally(reason);
        }
    }

    /**
     * Spooled by an earlier run of the application: nobody waits on it, so its outcome goes to the
     * {@link SpoolListener}. It is rebuilt from the request bytes themselves, which the spool kept.
     */
    record Recovered(byte[] json, String clientEventId, SpoolListener listener) implements Outgoing {

        static Recovered of(byte[] json, SpoolListener listener) {
            JsonValue parsed = JsonParser.parse(json, 64);
            String key = parsed instanceof JsonObject object && object.get("clientEventId") instanceof JsonString s
                    ? s.value() : null;
            return new Recovered(json, key, listener);
        }

        @Override
        public AuditEvent sealedWith(EventId id, Instant receivedAt, String submittedBy) {
            Map<String, JsonValue> sealed = new LinkedHashMap<>(((JsonObject) JsonParser.parse(json, 64)).members());
            sealed.put("format", new JsonString(SealedEventFormat.FORMAT));
            sealed.put("id", new JsonString(id.toString()));
            sealed.put("receivedAt", new JsonString(Timestamps.format(receivedAt)));
            sealed.put("submittedBy", new JsonString(submittedBy));
            return SealedEventFormat.fromJson(new JsonObject(sealed));
        }

        @Override
        public void succeed(Receipt receipt) {
            listener.delivered(receipt);
        }

        @Override
        public void fail(AuditClientException reason) {
            listener.failed(clientEventId, reason);
        }
    }
}
