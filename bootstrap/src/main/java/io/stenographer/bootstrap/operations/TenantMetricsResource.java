package io.stenographer.bootstrap.operations;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.exporter.common.TextFormat;
import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.TenantId;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * One tenant's metrics for its auditors. {@code /q/metrics} names every tenant and their volumes, so it is kept for
 * the operators' {@code metrics-reader} role; this answers only the series tagged {@code tenant=<the tenant>}, and
 * only to an auditor of that tenant. Series without a tenant tag (JVM, HTTP, ingest totals) are never shown here.
 */
@Path("/api/v1/logs/{tenant}/metrics")
@Tag(name = "logs")
@SecurityRequirement(name = "bearer")
public class TenantMetricsResource {

    /** The Prometheus text exposition format, as {@code /q/metrics} answers it by default. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String TENANT_LABEL = "tenant";

    @SuppressWarnings("deprecation")
    private final PrometheusMeterRegistry registry;
    private final CurrentCaller currentCaller;

    TenantMetricsResource(@SuppressWarnings("deprecation") PrometheusMeterRegistry registry,
            CurrentCaller currentCaller) {
        this.registry = registry;
        this.currentCaller = currentCaller;
    }

    @GET
    @RolesAllowed("auditor")
    @Produces(PROMETHEUS_TEXT)
    @Operation(summary = "The tenant's own metrics, in Prometheus text format",
            description = "Only the series tagged tenant=<tenant> (archive lag, events archived and purged), for "
                    + "auditors of the tenant; series of other tenants and series without a tenant never appear. "
                    + "Operators scrape everything at /q/metrics with the metrics-reader role. Not recorded in the "
                    + "tenant's log: it shows counts, no event.")
    public String metrics(@PathParam("tenant") String tenant) {
        TenantId tenantId = new TenantId(tenant);
        currentCaller.get().require(Role.AUDITOR, tenantId);
        return write(ofTenant(registry.getPrometheusRegistry().metricFamilySamples(), tenantId));
    }

    /**
     * The samples whose {@code tenant} label is exactly {@code tenant}; families left without a sample are dropped,
     * so not even a metric's name tells what other tenants have.
     */
    static List<MetricFamilySamples> ofTenant(Enumeration<MetricFamilySamples> families, TenantId tenant) {
        List<MetricFamilySamples> kept = new ArrayList<>();
        for (MetricFamilySamples family : Collections.list(families)) {
            List<MetricFamilySamples.Sample> samples = family.samples.stream()
                    .filter(sample -> tenant.value().equals(label(sample, TENANT_LABEL)))
                    .toList();
            if (!samples.isEmpty()) {
                kept.add(new MetricFamilySamples(family.name, family.unit, family.type, family.help, samples));
            }
        }
        return kept;
    }

    private static String label(MetricFamilySamples.Sample sample, String name) {
        int at = sample.labelNames.indexOf(name);
        return at < 0 ? null : sample.labelValues.get(at);
    }

    private static String write(List<MetricFamilySamples> families) {
        StringWriter out = new StringWriter();
        try {
            TextFormat.write004(out, Collections.enumeration(families));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
