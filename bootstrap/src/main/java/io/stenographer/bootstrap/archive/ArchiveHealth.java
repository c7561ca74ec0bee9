package io.stenographer.bootstrap.archive;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthGroup;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.bootstrap.operations.DetailedHealthCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

/**
 * The archive must be able to keep objects immutable. Checked at start-up (the service refuses to start
 * otherwise), at {@code /q/health/group/archive} and as the gauge {@code stenographer.archive.available}.
 * Not a readiness check: archiving is asynchronous and retried, so an archive outage must not take
 * ingest and reads out of a load balancer's rotation.
 */
@HealthGroup(ArchiveHealth.GROUP)
@ApplicationScoped
public class ArchiveHealth extends DetailedHealthCheck {

    public static final String GROUP = "archive";
    private static final Logger LOG = Logger.getLogger(ArchiveHealth.class);

    private final ArchiveSegmentsPort archive;
    private final ArchiveSettings settings;
    /** The last probe's answer, for the gauge: a scrape must not call S3 itself. */
    private volatile boolean available = true;

    ArchiveHealth(ArchiveSegmentsPort archive, ArchiveSettings settings, MeterRegistry registry) {
        this.archive = archive;
        this.settings = settings;
        Gauge.builder("stenographer.archive.available", this, health -> health.available ? 1 : 0)
                .description("1 when the last archive probe (start-up or health check) reached a write-once store")
                .tag("store", settings.store())
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (!settings.requireWorm()) {
            LOG.warn("stenographer.archive.require-worm=false: the archive is not checked for Object Lock at start");
            return;
        }
        try {
            archive.checkWormCapable();
        } catch (ArchiveSegmentsPort.ArchiveNotWormCapable e) {
            throw new IllegalStateException("Refusing to start: the archive cannot keep objects immutable. "
                    + e.getMessage(), e);
        } catch (ArchiveSegmentsPort.ArchiveUnavailable e) {
            // Ingest does not need the archive; its health group reports it down and archive runs fail until it is back.
            available = false;
            LOG.errorf("the archive (%s) is unreachable at start-up: %s", settings.store(), e.getMessage());
            return;
        }
        LOG.infof("archive (%s) confirmed write-once capable", settings.store());
    }

    @Override
    public HealthCheckResponse detailed() {
        try {
            archive.checkWormCapable();
            available = true;
            return HealthCheckResponse.named(GROUP).up().withData("store", settings.store()).build();
        } catch (RuntimeException e) {
            available = false;
            return HealthCheckResponse.named(GROUP).down().withData("store", settings.store())
                    .withData("reason", String.valueOf(e.getMessage())).build();
        }
    }
}
