package io.stenographer.domain.event;

import io.stenographer.domain.merkle.Hash;
import java.util.Objects;

/**
 * An event together with its leaf hash, computed exactly once. Hashing the canonical form is the
 * largest cost of ingest, so the hash travels with the event instead of being recomputed by each
 * layer. The only way to build one is {@link #of(AuditEvent)}, so the pair cannot disagree.
 */
public final class SealedEvent {

    private final AuditEvent event;
    private final Hash leafHash;

    private SealedEvent(AuditEvent event, Hash leafHash) {
        this.event = event;
        this.leafHash = leafHash;
    }

    public static SealedEvent of(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        return new SealedEvent(event, event.leafHash());
    }

    public AuditEvent event() {
        return event;
    }

    public Hash leafHash() {
        return leafHash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedEvent sealed && sealed.event.equals(event);
    }

    @Override
    public int hashCode() {
        return event.hashCode();
    }

    @Override
    public String toString() {
        return "SealedEvent[" + event.id() + ", " + leafHash.hex() + "]";
    }
}
