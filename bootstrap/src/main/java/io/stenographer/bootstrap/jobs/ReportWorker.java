package io.stenographer.bootstrap.jobs;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.stenographer.application.port.in.GenerateReportsUseCase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Generates queued reports on its own thread, one at a time per instance (reports are long, CPU- and
 * I/O-heavy reads; one at a time keeps ingest and the sequencer responsive). Safe on every instance at
 * once: a report is claimed by inserting its 'running' status, which only one instance can do. Reports
 * left running by a dead instance are failed after {@code stenographer.reports.stale-after}.
 */
@ApplicationScoped
public class ReportWorker {

    private static final Logger LOG = Logger.getLogger(ReportWorker.class);

    private final GenerateReportsUseCase generate;
    private final Duration period;
    private final Duration staleAfter;
    private ScheduledExecutorService loop;

    ReportWorker(GenerateReportsUseCase generate,
            @ConfigProperty(name = "stenographer.reports.poll-every") Duration period,
            @ConfigProperty(name = "stenographer.reports.stale-after") Duration staleAfter) {
        this.generate = generate;
        this.period = period;
        this.staleAfter = staleAfter;
    }

    void start(@Observes StartupEvent startup, ReportWorker self) {
        loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stenographer-reports");
            thread.setDaemon(true);
            return thread;
        });
        loop.scheduleWithFixedDelay(self::work, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (loop != null) {
            loop.shutdownNow();
            loop.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @ActivateRequestContext
    void work() {
        try {
            int interrupted = generate.failInterrupted(staleAfter);
            if (interrupted > 0) {
                LOG.warnf("failed %d reports that ran longer than %s (their worker stopped)", interrupted, staleAfter);
            }
            // Drain the queue, then wait for the next round.
            for (Optional<GenerateReportsUseCase.Outcome> outcome = generate.generateNext(); outcome.isPresent()
                    && !Thread.currentThread().isInterrupted(); outcome = generate.generateNext()) {
                GenerateReportsUseCase.Outcome done = outcome.get();
                if (done.error() == null) {
                    LOG.infof("report %s generated: %d events", done.reportId(), done.events());
                } else if (done.cause() != null) {
                    LOG.errorf(done.cause(), "report %s failed: %s", done.reportId(), done.error());
                } else {
                    LOG.infof("report %s refused: %s", done.reportId(), done.error());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("report round failed; the next round retries", e);
        }
    }
}
