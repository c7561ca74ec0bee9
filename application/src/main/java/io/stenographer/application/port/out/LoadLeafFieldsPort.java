package io.stenographer.application.port.out;

import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.merkle.Hash;
import java.util.List;

/** Reads a tenant's leaves with their events' stored fields as they are, for verification to hash them directly. */
public interface LoadLeafFieldsPort {

    /**
     * Leaves with {@code from <= index < to} in index order, each with its event's stored fields read in the same
     * query: {@code fields} is null when the event row is missing or was purged after archiving
     * ({@code archivedLeafHash} set). Nothing is validated: an altered column comes back as it is stored.
     */
    List<LeafFields> leavesWithFields(TenantId tenant, long from, long to);

    record LeafFields(LogLeaf leaf, StoredEventFields fields, Hash archivedLeafHash) {
    }
}
