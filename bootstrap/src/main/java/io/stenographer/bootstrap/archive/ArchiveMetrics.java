package io.stenographer.bootstrap.archive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stenographer.application.port.out.ReportArchiveProgressPort;
import io.stenographer.application.port.out.ReportPurgeProgressPort;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Archive lag per tenant (age of the oldest event past its archive date that is not archived, as of the last
 * run), and events archived and purged.
 */
@ApplicationScoped
public class ArchiveMetrics implements ReportArchiveProgressPort, ReportPurgeProgressPort {

    private final MeterRegistry registry;
    private final Map<TenantId, AtomicLong> lagSeconds = new ConcurrentHashMap<>();

    ArchiveMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void lag(TenantId tenant, Duration lag) {
        lagSeconds.computeIfAbsent(tenant, t -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("stenographer.archive.lag", value, AtomicLong::get)
                    .description("Age of the oldest event past its archive date that is not archived yet")
                    .baseUnit("seconds").tag("tenant", t.value()).register(registry);
            return value;
        }).set(lag.toSeconds());
    }

    @Override
    public void archived(TenantId tenant, long events) {
        Counter.builder("stenographer.archive.events").description("Events copied to the archive")
                .tag("tenant", tenant.value()).register(registry).increment(events);
    }

    @Override
    public void purged(TenantId tenant, long events) {
        Counter.builder("stenographer.purge.events").description("Events removed from the hot store")
                .tag("tenant", tenant.value()).register(registry).increment(events);
    }
}
