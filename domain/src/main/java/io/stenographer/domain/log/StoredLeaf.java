package io.stenographer.domain.log;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.merkle.Hash;

/**
 * A log position as read back from storage with its event, for {@link LogVerifier}: the leaf row, and the event
 * read back with it, or why it is absent.
 */
public interface StoredLeaf {

    LogLeaf leaf();

    /**
     * The stored event, or null when its row is missing, could not be read, or was purged after archiving; also
     * null when {@link #eventMatchesLeaf()} already vouches for it.
     */
    AuditEvent event();

    /** Why a row that exists could not be read as an event, or null. */
    String unreadable();

    /** The leaf hash the archive index recorded for the event, or null when it was never archived. */
    Hash archivedLeafHash();

    /**
     * Whether the stored event was found to hash to this leaf and to belong to the leaf's tenant without being
     * rebuilt (from its stored fields, {@link LeafWithStoredFields}). When false, {@link #event()} tells.
     */
    default boolean eventMatchesLeaf() {
        return false;
    }

    /** The payload left the hot store after it was archived; the archive index recorded this leaf hash. */
    default boolean purged() {
        return event() == null && unreadable() == null && archivedLeafHash() != null;
    }
}
