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
     */
    record IntegrationRound(long integrated, Map<TenantId, String> refused, Map<TenantId, String> failed) {

        public IntegrationRound {
            refused = Map.copyOf(refused);
            failed = Map.copyOf(failed);
        }
    }
}
