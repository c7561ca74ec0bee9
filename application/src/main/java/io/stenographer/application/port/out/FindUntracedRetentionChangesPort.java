package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import java.util.List;

/**
 * Hold releases and retention policy versions or retirements of a tenant that have no self-audit event in its
 * log: the services always write the event first, so such a change was written around them.
 */
public interface FindUntracedRetentionChangesPort {

    /** One description per untraced change (e.g. "release of legal hold 0193…"), at most {@code limit}. */
    List<String> untracedChanges(TenantId tenant, int limit);
}
