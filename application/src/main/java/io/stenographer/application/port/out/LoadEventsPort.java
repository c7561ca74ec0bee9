package io.stenographer.application.port.out;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Reads individual events back. */
public interface LoadEventsPort {

    Optional<AuditEvent> findById(EventId id);

    /** What was recorded under each of these idempotency keys, keyed by client event id. */
    Map<String, IdempotencyRecord> findByClientEventIds(TenantId tenant, Collection<String> clientEventIds);

    /**
     * The event first recorded under a key.
     *
     * @param contentDigest null once the event has been purged from the hot store: its key stays taken, but a
     *                      retry can no longer be told apart from a different event
     */
    record IdempotencyRecord(EventId id, Hash leafHash, Instant receivedAt, String submittedBy,
            String contentDigest) {

        /** The key of an event that has left the hot store. */
        public static IdempotencyRecord purged(EventId id) {
            return new IdempotencyRecord(id, null, null, null, null);
        }

        public boolean sameContentAs(String digest) {
            return contentDigest != null && contentDigest.equals(digest);
        }
    }
}
