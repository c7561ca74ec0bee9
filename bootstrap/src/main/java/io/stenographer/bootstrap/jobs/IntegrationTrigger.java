package io.stenographer.bootstrap.jobs;

import io.quarkus.scheduler.Scheduled;
import io.stenographer.application.port.in.IntegrateEventsUseCase;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Runs the sequencer often enough that an accepted event is in a signed checkpoint within a second.
 * Safe on every instance at once: each tenant is integrated under a PostgreSQL advisory lock.
 */
@ApplicationScoped
public class IntegrationTrigger {

    private static final Logger LOG = Logger.getLogger(IntegrationTrigger.class);

    private final IntegrateEventsUseCase integrateEvents;

    IntegrationTrigger(IntegrateEventsUseCase integrateEvents) {
        this.integrateEvents = integrateEvents;
    }

    @Scheduled(every = "${stenographer.log.integrate-every}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void integrate() {
        try {
            integrateEvents.integratePending().refused().forEach((tenant, reason) ->
                    LOG.errorf("LOG INTEGRITY: not extending the log of %s: %s", tenant, reason));
        } catch (RuntimeException e) {
            // Never silent: an integrity violation here means someone touched the log.
            LOG.error("integration round failed", e);
        }
    }
}
