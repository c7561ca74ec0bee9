package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.RecordVerificationRunsPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.VerificationReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stored verification runs, newest last, with the anchor each run left, as the adapter keeps them. */
public final class InMemoryVerificationRuns implements RecordVerificationRunsPort {

    private final List<VerificationReport> saved = new ArrayList<>();
    private final List<String> anchors = new ArrayList<>();
    private final List<Long> segmentMarks = new ArrayList<>();

    @Override
    public void save(VerificationReport report, String newestAcceptedCheckpoint, long segmentsCheckedUpTo) {
        saved.add(report);
        anchors.add(newestAcceptedCheckpoint);
        segmentMarks.add(segmentsCheckedUpTo);
    }

    @Override
    public Optional<Anchor> anchor(TenantId tenant) {
        for (int i = saved.size() - 1; i >= 0; i--) {
            VerificationReport run = saved.get(i);
            if (run.tenant().equals(tenant)) {
                return run.ok() && anchors.get(i) != null
                        ? Optional.of(new Anchor(anchors.get(i), run.startedAt(), segmentMarks.get(i)))
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public List<VerificationReport> recent(TenantId tenant, int limit) {
        List<VerificationReport> newestFirst = new ArrayList<>(saved.stream().filter(r -> r.tenant().equals(tenant))
                .toList());
        Collections.reverse(newestFirst);
        return newestFirst.subList(0, Math.min(limit, newestFirst.size()));
    }

    @Override
    public Optional<VerificationReport> find(TenantId tenant, UUID id) {
        return saved.stream().filter(r -> r.tenant().equals(tenant) && r.id().equals(id)).findFirst();
    }
}
