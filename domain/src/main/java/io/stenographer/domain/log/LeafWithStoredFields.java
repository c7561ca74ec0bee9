package io.stenographer.domain.log;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventBytes;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.merkle.Hash;
import java.util.Objects;

/**
 * A stored leaf checked against its event's stored fields, for {@link LogVerifier}: the fields are hashed straight
 * from their columns ({@link SealedEventBytes}), and only when that hash or the tenant differs is the event rebuilt,
 * to tell an altered event from one altered into something no valid event is. {@link #check} is pure and may run on
 * many leaves at once.
 */
public final class LeafWithStoredFields implements StoredLeaf {

    private final LogLeaf leaf;
    private final Hash archivedLeafHash;
    private final boolean fieldsStored;
    private final boolean eventMatchesLeaf;
    private final AuditEvent event;
    private final String unreadable;

    private LeafWithStoredFields(LogLeaf leaf, Hash archivedLeafHash, boolean fieldsStored, boolean eventMatchesLeaf,
            AuditEvent event, String unreadable) {
        this.leaf = leaf;
        this.archivedLeafHash = archivedLeafHash;
        this.fieldsStored = fieldsStored;
        this.eventMatchesLeaf = eventMatchesLeaf;
        this.event = event;
        this.unreadable = unreadable;
    }

    /**
     * @param fields           the event's stored fields, or null when its row is missing or was purged
     * @param archivedLeafHash the leaf hash the archive index recorded for the event, or null when never archived
     */
    public static LeafWithStoredFields check(LogLeaf leaf, StoredEventFields fields, Hash archivedLeafHash) {
        Objects.requireNonNull(leaf, "leaf");
        if (fields == null) {
            return new LeafWithStoredFields(leaf, archivedLeafHash, false, false, null, null);
        }
        if (leaf.tenant().value().equals(fields.tenant()) && leaf.leafHash().equals(hashOrNull(fields))) {
            return new LeafWithStoredFields(leaf, archivedLeafHash, true, true, null, null);
        }
        try {
            return new LeafWithStoredFields(leaf, archivedLeafHash, true, false, fields.restore(), null);
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
            return new LeafWithStoredFields(leaf, archivedLeafHash, true, false, null, String.valueOf(e.getMessage()));
        }
    }

    /** Null when the fields cannot be written as a valid event's: rebuilding the event then says why. */
    private static Hash hashOrNull(StoredEventFields fields) {
        try {
            return SealedEventBytes.leafHash(fields);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public LogLeaf leaf() {
        return leaf;
    }

    @Override
    public boolean eventMatchesLeaf() {
        return eventMatchesLeaf;
    }

    @Override
    public AuditEvent event() {
        return event;
    }

    @Override
    public String unreadable() {
        return unreadable;
    }

    @Override
    public Hash archivedLeafHash() {
        return archivedLeafHash;
    }

    @Override
    public boolean purged() {
        return !fieldsStored && archivedLeafHash != null;
    }
}
