package io.stenographer.adapters.rest.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/** Ingest metrics: accepted events, rejects by reason, and request latency. */
@ApplicationScoped
public class IngestMetrics {

    private final MeterRegistry registry;
    private final Timer singleLatency;
    private final Timer batchLatency;

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.singleLatency = Timer.builder("stenographer.ingest.latency").tag("mode", "single")
                .description("Time to durably record a request").publishPercentileHistogram().register(registry);
        this.batchLatency = Timer.builder("stenographer.ingest.latency").tag("mode", "batch")
                .description("Time to durably record a request").publishPercentileHistogram().register(registry);
    }

    Timer latency(boolean batch) {
        return batch ? batchLatency : singleLatency;
    }

    void ingested(int count, String status) {
        if (count > 0) {
            Counter.builder("stenographer.events.ingested").tag("status", status)
                    .description("Events accepted by ingest").register(registry).increment(count);
        }
    }

    public void rejected(String reason, int count) {
        if (count > 0) {
            Counter.builder("stenographer.ingest.rejected").tag("reason", reason)
                    .description("Events or requests refused by ingest").register(registry).increment(count);
        }
    }
}
