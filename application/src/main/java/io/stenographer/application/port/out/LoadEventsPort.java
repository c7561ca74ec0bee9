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

    record IdempotencyRecord(EventId id, Hash leafHash, Instant receivedAt, String contentDigest) {
    }
}
