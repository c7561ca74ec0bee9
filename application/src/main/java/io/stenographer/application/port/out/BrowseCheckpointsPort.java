package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.PublishedCheckpoint;
import java.util.List;

/** Pages back through the signed checkpoints a tenant's log has published. */
public interface BrowseCheckpointsPort {

    /** At most {@code limit} of the tenant's checkpoints smaller than {@code belowSize}, newest (largest) first. */
    List<PublishedCheckpoint> newestBelow(TenantId tenant, long belowSize, int limit);
}
