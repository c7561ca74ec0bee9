package io.stenographer.application.port.in;

import io.stenographer.domain.event.TenantId;
import java.util.Map;

/** The sequencer: give pending events their leaf indices, extend the trees, sign checkpoints. */
public interface IntegrateEventsUseCase {

    /** One round over every tenant with pending events. */
    IntegrationRound integratePending();

    /**
     * @param refused tenants whose log failed an integrity check and was not extended, with the reason
     * @param failed  tenants whose round failed for another reason (retried next round), with the error;
     *     one tenant never stops the others
     * @param backlogRemains the round left events behind on purpose (a tenant's leaf limit, the round's time budget,
     *     or more tenants than one round serves): the next round should start at once
     */
    record IntegrationRound(long integrated, Map<TenantId, String> refused, Map<TenantId, String> failed,
            boolean backlogRemains) {

        public IntegrationRound {
            refused = Map.copyOf(refused);
            failed = Map.copyOf(failed);
        }
    }
}
