package io.stenographer.domain.stream;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.merkle.Hash;
import java.util.Objects;

/**
 * An event record of a stream: the sealed event ({@value SealedEventFormat#FORMAT}, exactly the leaf input) with
 * its leaf index, its leaf hash and its tenant. The record does not vouch for itself: a reader recomputes the leaf
 * hash from {@link #event()} ({@link StreamEvents#leafHashOf}) and proves its index with a checkpoint record.
 */
public record StreamRecord(long index, Hash leafHash, String tenant, JsonObject event) implements StreamLine {

    public StreamRecord {
        if (index < 0 || index > StreamRecordFormat.MAX_INDEX) {
            throw new IllegalArgumentException("index must be in [0, 2^53], was " + index);
        }
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(event, "event");
    }

    /** The record of an integrated event at {@code index}; its leaf hash through the one canonicaliser. */
    public static StreamRecord of(long index, AuditEvent event) {
        return new StreamRecord(index, event.leafHash(), event.tenant().value(), SealedEventFormat.toJson(event));
    }

    /** The event id as the record carries it, or null when the event has none (a malformed record). */
    public String eventId() {
        return event.get("id") instanceof io.stenographer.domain.json.JsonString id ? id.value() : null;
    }
}
