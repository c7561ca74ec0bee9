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
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.event.Commitment;
import io.stenographer.domain.event.Commitments;
import io.stenographer.domain.event.PersonalField;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** One event on its way to the service: its request bytes, how to seal it for the receipt check, and who to tell. */
interface Outgoing {

    byte[] json();

    String clientEventId();

    /**
     * The event as the service sealed it, given the fields its answer names: format v1 when {@code openings} is
     * empty, else v2 with each field that has an opening taken out of the event and committed to under it (an
     * identifier replaced by its pseudonym from {@code pseudonyms}).
     *
     * @throws LogIntegrityException.ReceiptMismatch when an opening names a field this event did not send: the
     *         service cannot have committed to a value it was never given
     */
    AuditEvent sealedWith(EventId id, Instant receivedAt, String submittedBy, Map<PersonalField, byte[]> openings,
            Map<PersonalField, String> pseudonyms);

    /**
     * Seals {@code draft} as the service does under a data policy, with the openings the service used (its own
     * random ones, returned to the writer in the answer), so that the leaf hash can be recomputed by the client.
     */
    static AuditEvent seal(EventId id, Instant receivedAt, String submittedBy, EventDraft draft,
            Map<PersonalField, byte[]> openings, Map<PersonalField, String> pseudonyms) {
        Map<PersonalField, Hash> commitments = new TreeMap<>();
        Map<PersonalField, String> identifierPseudonyms = new TreeMap<>();
        for (Map.Entry<PersonalField, byte[]> opening : new TreeMap<>(openings).entrySet()) {
            PersonalField field = opening.getKey();
            JsonValue value = field.valueIn(draft);
            if (value == null) {
                throw new LogIntegrityException.ReceiptMismatch("the service's answer for event " + id
                        + " has an opening for " + field + ", which the client did not send: the leaf cannot"
                        + " commit to it and be the hash of the event sent");
            }
            commitments.put(field, Commitment.of(opening.getValue(), field, value));
            String pseudonym = pseudonyms.get(field);
            if (field.isIdentifier() && pseudonym == null) {
                throw new LogIntegrityException.ReceiptMismatch("the service's answer for event " + id
                        + " commits to " + field + " but names no pseudonym for it: the leaf must hold one there");
            }
            if (field.isIdentifier()) {
                // The client cannot compute a pseudonym (it is keyed), but the leaf's commitment binds the real id.
                identifierPseudonyms.put(field, pseudonym);
            }
        }
        EventDraft committed = PersonalField.committedIn(draft, List.copyOf(commitments.keySet()),
                identifierPseudonyms);
        return AuditEvent.restore(id, receivedAt, submittedBy, committed, Commitments.of(commitments));
    }

    void succeed(Receipt receipt);

    void fail(AuditClientException reason);

    /** Logged in this process: the caller holds the future. */
    record Pending(Event event, EventDraft draft, byte[] json, CompletableFuture<Receipt> future)
            implements Outgoing {

        @Override
        public String clientEventId() {
            return draft.clientEventId();
        }

        @Override
        public AuditEvent sealedWith(EventId id, Instant receivedAt, String submittedBy,
                Map<PersonalField, byte[]> openings, Map<PersonalField, String> pseudonyms) {
            return Outgoing.seal(id, receivedAt, submittedBy, draft, openings, pseudonyms);
        }

        @Override
        public void succeed(Receipt receipt) {
            future.complete(receipt);
        }

        /**
         * An undelivered event's failure names the event as sent (its key and {@code occurredAt}, which the client
         * may have chosen), so that the caller can log it again and have it recorded at most once.
         */
        @Override
        public void fail(AuditClientException reason) {
            future.completeExceptionally(reason instanceof DeliveryFailedException undelivered
                    ? undelivered.of(event.asSent(draft.clientEventId(), draft.occurredAt())) : reason);
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
        public AuditEvent sealedWith(EventId id, Instant receivedAt, String submittedBy,
                Map<PersonalField, byte[]> openings, Map<PersonalField, String> pseudonyms) {
            Map<String, JsonValue> sealed = new LinkedHashMap<>(((JsonObject) JsonParser.parse(json, 64)).members());
            sealed.put("format", new JsonString(SealedEventFormat.FORMAT));
            sealed.put("id", new JsonString(id.toString()));
            sealed.put("receivedAt", new JsonString(Timestamps.format(receivedAt)));
            sealed.put("submittedBy", new JsonString(submittedBy));
            EventDraft sent = SealedEventFormat.fromJson(new JsonObject(sealed)).content();
            return Outgoing.seal(id, receivedAt, submittedBy, sent, openings, pseudonyms);
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
