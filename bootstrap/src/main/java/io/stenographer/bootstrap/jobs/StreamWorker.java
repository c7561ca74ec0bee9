package io.stenographer.bootstrap.jobs;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.stenographer.application.port.in.DeliverStreamsUseCase;
import io.stenographer.application.port.in.DeliverStreamsUseCase.DeliveryPass;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Delivers stream sinks on {@code stenographer.streams.workers} threads per instance (0: this instance delivers
 * nothing). Each thread leases one due sink at a time and sends its batches until it is caught up, fails, or its time
 * slice ends; with nothing due it waits {@code stenographer.streams.poll-every}. Safe on every instance at once: a
 * sink is leased by one worker at a time, and its lease moves to another instance when its holder stops renewing it.
 */
@ApplicationScoped
public class StreamWorker {

    private static final Logger LOG = Logger.getLogger(StreamWorker.class);

    private final DeliverStreamsUseCase deliver;
    private final int workers;
    private final Duration pollEvery;
    /** A new id at every start: a restarted instance's old leases simply expire. */
    private final String instance = UUID.randomUUID().toString();
    private ScheduledExecutorService loop;

    StreamWorker(DeliverStreamsUseCase deliver,
            @ConfigProperty(name = "stenographer.streams.workers") int workers,
            @ConfigProperty(name = "stenographer.streams.poll-every") Duration pollEvery) {
        if (workers < 0 || workers > 64) {
            throw new IllegalArgumentException("stenographer.streams.workers must be 0-64, not " + workers);
        }
        this.deliver = deliver;
        this.workers = workers;
        this.pollEvery = pollEvery;
    }

    void start(@Observes StartupEvent startup, StreamWorker self) {
        if (workers == 0) {
            LOG.info("stream delivery is off on this instance (stenographer.streams.workers=0)");
            return;
        }
        loop = Executors.newScheduledThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "stenographer-streams");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < workers; i++) {
            String owner = instance + "/" + i;
            loop.scheduleWithFixedDelay(() -> self.work(owner), pollEvery.toMillis(), pollEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        LOG.infof("stream workers: %d on instance %s", workers, instance);
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        // A batch cut off here was not acknowledged: its cursor did not move, so it is sent again.
        if (loop != null) {
            loop.shutdownNow();
            loop.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @ActivateRequestContext
    void work(String owner) {
        try {
            DeliveryPass pass;
            do {
                pass = deliver.deliver(owner, 1);
                if (pass.failures() > 0) {
                    LOG.debugf("stream delivery by %s: %d failed attempt(s)", owner, pass.failures());
                }
            } while (pass.sinks() > 0 && !Thread.currentThread().isInterrupted());
        } catch (RuntimeException | Error e) {
            // Whatever is thrown must end here: a scheduled task that throws is never run again, and this
            // worker's sinks would wait for another instance's lease.
            LOG.error("stream delivery round failed; the next round retries", e);
        }
    }
}
