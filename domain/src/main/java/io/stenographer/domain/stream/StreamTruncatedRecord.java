package io.stenographer.domain.stream;

import io.stenographer.domain.event.EventId;
import io.stenographer.domain.merkle.Hash;
import java.util.Objects;

/**
 * The stand-in for an event record too large for the sink's largest message (a syslog receiver's limit): the
 * event's index, leaf hash, tenant and id, without the event. It fills its index, so a verifier sees no gap, but the
 * leaf hash cannot be recomputed from it: the event must be fetched from the API by its id to be verified.
 */
public record StreamTruncatedRecord(long index, Hash leafHash, String tenant, String eventId) implements StreamLine {

    public StreamTruncatedRecord {
        if (index < 0 || index > StreamRecordFormat.MAX_INDEX) {
            throw new IllegalArgumentException("index must be in [0, 2^53], was " + index);
        }
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(eventId, "eventId");
        EventId.parse(eventId); // the API looks the event up by it, so it must be one
    }

    /** The truncated stand-in of an event record. */
    public static StreamTruncatedRecord of(StreamRecord record) {
        String id = record.eventId();
        if (id == null) {
            throw new IllegalArgumentException("the event record at index " + record.index() + " has no event id");
        }
        return new StreamTruncatedRecord(record.index(), record.leafHash(), record.tenant(), id);
    }
}
