package io.stenographer.bootstrap.archive;

import io.quarkus.runtime.StartupEvent;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The archive must be able to keep objects immutable. Checked at start-up (the service refuses to start
 * otherwise) and in every readiness probe.
 */
@Readiness
@ApplicationScoped
public class ArchiveHealth implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(ArchiveHealth.class);

    private final ArchiveSegmentsPort archive;
    private final ArchiveSettings settings;

    ArchiveHealth(ArchiveSegmentsPort archive, ArchiveSettings settings) {
        this.archive = archive;
        this.settings = settings;
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
            // Ingest does not need the archive; readiness reports it down and archive runs fail until it is back.
            LOG.errorf("the archive (%s) is unreachable at start-up: %s", settings.store(), e.getMessage());
            return;
        }
        LOG.infof("archive (%s) confirmed write-once capable", settings.store());
    }

    @Override
    public HealthCheckResponse call() {
        try {
            archive.checkWormCapable();
            return HealthCheckResponse.named("archive").up().withData("store", settings.store()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("archive").down().withData("store", settings.store())
                    .withData("reason", String.valueOf(e.getMessage())).build();
        }
    }
}
