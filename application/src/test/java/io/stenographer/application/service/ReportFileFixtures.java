package io.stenographer.application.service;

import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportStatus;
import io.stenographer.domain.report.ReportType;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reports for the report-file tests: only {@code find} and {@code recent} of the jobs port answer. */
final class ReportFileFixtures {

    private ReportFileFixtures() {
    }

    static final class Reports {
        final Map<UUID, ReportJob> jobs = new LinkedHashMap<>();

        ReportJob succeeded(TenantId tenant, ReportFormat format, Instant from, Instant to, Instant at, byte[] content) {
            ReportJob job = new ReportJob(UUID.randomUUID(), tenant, ReportType.FOIA_EXPORT, format,
                    ReportParameters.period(from, to), "ann", at, 7, ReportStatus.SUCCEEDED, at, at, 3L,
                    (long) content.length, sha256(content), null);
            jobs.put(job.id(), job);
            return job;
        }

        ReportJob queued(TenantId tenant, Instant at) {
            ReportJob job = ReportJob.request(UUID.randomUUID(), tenant, ReportType.FOIA_EXPORT, ReportFormat.CSV,
                    ReportParameters.period(at.minusSeconds(3600), at), "ann", at, 7);
            jobs.put(job.id(), job);
            return job;
        }

        TrackReportJobsPort port() {
            return (TrackReportJobsPort) Proxy.newProxyInstance(TrackReportJobsPort.class.getClassLoader(),
                    new Class<?>[] {TrackReportJobsPort.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "find" -> Optional.ofNullable(jobs.get((UUID) args[0]));
                        case "recent" -> List.copyOf(jobs.values()).stream()
                                .filter(j -> j.tenant().equals(args[0])).limit((Integer) args[1]).toList();
                        case "toString" -> "Reports";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    static Hash sha256(byte[] bytes) {
        return io.stenographer.application.service.fakes.InMemoryReportStaging.sha256(bytes);
    }
}
