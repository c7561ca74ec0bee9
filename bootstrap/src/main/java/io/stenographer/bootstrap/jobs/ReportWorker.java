package io.stenographer.bootstrap.jobs;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.stenographer.application.port.in.GenerateReportsUseCase;
import io.stenographer.domain.report.ReportClaim;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Generates queued reports on {@code stenographer.reports.workers} threads per instance, one report at a time each
 * (reports are long, CPU- and I/O-heavy reads; a small pool keeps ingest and the sequencer responsive). While a
 * report is generated, one more thread refreshes its claim's heartbeat every
 * {@code stenographer.reports.heartbeat-every}; a worker whose heartbeat finds the claim taken over stops at its next
 * chunk. Safe on every instance at once: claims are chosen under one database lock, and a claim whose heartbeat is
 * older than {@code stenographer.reports.takeover-after} (its instance died) is taken over by another.
 */
@ApplicationScoped
public class ReportWorker {

    private static final Logger LOG = Logger.getLogger(ReportWorker.class);

    private final GenerateReportsUseCase generate;
    private final Duration period;
    private final int workers;
    private final Duration heartbeatEvery;
    private final Duration takeoverAfter;
    private ScheduledExecutorService loop;
    private ScheduledExecutorService heartbeats;
    private ReportWorker self;

    ReportWorker(GenerateReportsUseCase generate,
            @ConfigProperty(name = "stenographer.reports.poll-every") Duration period,
            @ConfigProperty(name = "stenographer.reports.workers") int workers,
            @ConfigProperty(name = "stenographer.reports.heartbeat-every") Duration heartbeatEvery,
            @ConfigProperty(name = "stenographer.reports.takeover-after") Duration takeoverAfter) {
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("stenographer.reports.workers must be 1-64, not " + workers);
        }
        // A heartbeat late by a pause or a slow commit must not look like a dead instance.
        if (heartbeatEvery.isNegative() || heartbeatEvery.isZero()
                || takeoverAfter.compareTo(heartbeatEvery.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("stenographer.reports.takeover-after (" + takeoverAfter
                    + ") must be at least three times stenographer.reports.heartbeat-every (" + heartbeatEvery + ")");
        }
        this.generate = generate;
        this.period = period;
        this.workers = workers;
        this.heartbeatEvery = heartbeatEvery;
        this.takeoverAfter = takeoverAfter;
    }

    void start(@Observes StartupEvent startup, ReportWorker self) {
        this.self = self;
        AtomicInteger number = new AtomicInteger();
        loop = Executors.newScheduledThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "stenographer-reports-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stenographer-report-heartbeats");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < workers; i++) {
            loop.scheduleWithFixedDelay(self::work, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.infof("report workers: %d on instance %s, heartbeat every %s, taken over after %s without one", workers,
                generate.instance(), heartbeatEvery, takeoverAfter);
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        // Interrupted workers stop at their next chunk without recording anything; another instance takes over.
        for (ScheduledExecutorService executor : new ScheduledExecutorService[] {loop, heartbeats}) {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
        if (loop != null) {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @ActivateRequestContext
    void work() {
        try {
            int abandoned = generate.failAbandoned();
            if (abandoned > 0) {
                LOG.warnf("failed %d reports interrupted at every attempt (their instances stopped)", abandoned);
            }
            // Drain the queue, then wait for the next round.
            for (Optional<ReportClaim> claim = generate.claimNext(); claim.isPresent()
                    && !Thread.currentThread().isInterrupted(); claim = generate.claimNext()) {
                generate(claim.get());
            }
        } catch (RuntimeException e) {
            LOG.error("report round failed; the next round retries", e);
        }
    }

    private void generate(ReportClaim claim) {
        LOG.infof("report %s claimed by instance %s, attempt %d", claim.job().id(), claim.instance(), claim.attempt());
        AtomicBoolean lost = new AtomicBoolean();
        ScheduledFuture<?> beating = heartbeats.scheduleWithFixedDelay(() -> {
            try {
                if (!self.heartbeat(claim)) {
                    lost.set(true);
                }
            } catch (RuntimeException e) {
                // The database may be back before anyone takes over; if not, the claim is lost and the next beat says so.
                LOG.warnf("heartbeat of report %s failed: %s", claim.job().id(), e.toString());
            }
        }, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
        Thread worker = Thread.currentThread();
        try {
            GenerateReportsUseCase.Outcome done = generate.generate(claim,
                    () -> !lost.get() && !worker.isInterrupted());
            if (done.lost()) {
                LOG.warnf("report %s: %s", done.reportId(), done.error());
            } else if (done.error() == null) {
                LOG.infof("report %s generated: %d events (attempt %d)", done.reportId(), done.events(),
                        done.attempt());
            } else if (done.cause() != null) {
                LOG.errorf(done.cause(), "report %s failed: %s", done.reportId(), done.error());
            } else {
                LOG.infof("report %s refused: %s", done.reportId(), done.error());
            }
        } finally {
            beating.cancel(false);
        }
    }

    @ActivateRequestContext
    boolean heartbeat(ReportClaim claim) {
        return generate.heartbeat(claim);
    }
}
