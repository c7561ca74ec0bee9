package io.stenographer.bootstrap.jobs;

import io.stenographer.application.port.in.IntegrateEventsUseCase.IntegrationRound;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.stenographer.application.port.in.IntegrateEventsUseCase;
import io.stenographer.application.port.out.StoreUnavailable;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the sequencer often enough that an accepted event is in a signed checkpoint within a second.
 * Its own thread, not {@code @Scheduled}: Quarkus' scheduler checks triggers once a second, which
 * alone would use up the whole budget. Safe on every instance at once: each tenant is integrated
 * under a PostgreSQL advisory lock. A round that left a backlog behind is followed by the next one at
 * once; otherwise rounds start a period apart, so an idle service does not poll the database hot.
 */
@ApplicationScoped
public class IntegrationTrigger {

    private static final Logger LOG = Logger.getLogger(IntegrationTrigger.class);
    private static final Duration ALARM_INTERVAL = Duration.ofMinutes(1);

    private final IntegrateEventsUseCase integrateEvents;
    private final Duration period;
    private ScheduledExecutorService loop;
    private IntegrationTrigger self;
    /** Last alarm per tenant, so a refused log is reported once a minute, not four times a second. */
    private final Map<TenantId, Instant> lastAlarm = new ConcurrentHashMap<>();

    IntegrationTrigger(IntegrateEventsUseCase integrateEvents,
            @ConfigProperty(name = "stenographer.log.integrate-every") Duration period) {
        this.integrateEvents = integrateEvents;
        this.period = period;
    }

    void start(@Observes StartupEvent startup, IntegrationTrigger self) {
        this.self = self; // the proxy, so that each round gets its request context
        loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stenographer-sequencer");
            thread.setDaemon(true);
            return thread;
        });
        scheduleNext(period);
    }

    /** One round, then the next is scheduled: a round is never overlapped by another on this instance. */
    private void runRound() {
        Duration next = period;
        try {
            long started = System.nanoTime();
            Optional<IntegrationRound> round = self.integrate();
            next = delayAfter(round, period, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            scheduleNext(next); // even after an Error, the loop goes on
        }
    }

    private void scheduleNext(Duration delay) {
        try {
            loop.schedule(this::runRound, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: no further rounds.
        }
    }

    /**
     * No wait after a round that left a backlog. After one that caught up, what is left of the period since the round
     * started, so rounds start a period apart however long each takes (with many tenants a round takes a good part of
     * the period, and waiting the whole period after it would add that to every event's time to a checkpoint). The
     * whole period after a failed round, so a failing database is not retried hot.
     */
    static Duration delayAfter(Optional<IntegrationRound> round, Duration period, Duration roundTook) {
        if (round.isEmpty()) {
            return period;
        }
        if (round.get().backlogRemains() || roundTook.compareTo(period) >= 0) {
            return Duration.ZERO;
        }
        return period.minus(roundTook);
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (loop != null) {
            loop.shutdown();
            // Let a running round commit or roll back before the persistence unit closes.
            if (!loop.awaitTermination(10, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
        }
    }

    /** Set while rounds fail because the database is unreachable; only the loop thread touches it. */
    private Instant databaseLostAt;

    private boolean alarmDue(TenantId tenant, Instant now) {
        Instant last = lastAlarm.get(tenant);
        if (last == null || last.isBefore(now.minus(ALARM_INTERVAL))) {
            lastAlarm.put(tenant, now);
            return true;
        }
        return false;
    }

    /** One round, with its alarms logged; empty when it failed as a whole. */
    @ActivateRequestContext
    Optional<IntegrationRound> integrate() {
        try {
            Instant now = Instant.now();
            IntegrationRound round = integrateEvents.integratePending();
            round.refused().forEach((tenant, reason) -> {
                if (alarmDue(tenant, now)) {
                    LOG.errorf("LOG INTEGRITY: not extending the log of %s (its events stay queued): %s",
                            tenant, reason);
                }
            });
            round.failed().forEach((tenant, error) -> {
                if (alarmDue(tenant, now)) {
                    LOG.errorf("integrating the log of %s failed (its events stay queued, retried every round): %s",
                            tenant, error);
                }
            });
            if (databaseLostAt != null) {
                LOG.infof("integration resumed; the database was unreachable since %s", databaseLostAt);
                databaseLostAt = null;
            }
            return Optional.of(round);
        } catch (StoreUnavailable e) {
            // Expected while the database restarts: one line when it starts, not a stack trace per round.
            if (databaseLostAt == null) {
                databaseLostAt = Instant.now();
                LOG.warnf("integration paused until the database is back: %s", e.getMessage());
            }
        } catch (RuntimeException e) {
            // Never silent, never fatal to the loop: the next round retries.
            LOG.error("integration round failed", e);
        }
        return Optional.empty();
    }
}
