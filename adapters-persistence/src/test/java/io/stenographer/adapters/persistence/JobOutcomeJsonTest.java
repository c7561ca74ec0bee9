package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.in.ArchiveTenantOutcome;
import io.stenographer.application.port.in.JobOutcome;
import io.stenographer.application.port.in.JobOutcome.IndexRange;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.PurgeTenantOutcome;
import io.stenographer.application.port.in.ReportFilesTenantOutcome;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code job_run.counts} layout: the same text rows have always held, read back into the same outcome. */
class JobOutcomeJsonTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    private static String stored(JobRun.Job job, JobOutcome outcome) {
        return CanonicalJson.canonicalize(JobOutcomeJson.toJson(job, outcome));
    }

    private static JobOutcome read(JobRun.Job job, String text) {
        return JobOutcomeJson.fromJson(job, (JsonObject) JsonParser.parse(text, 16));
    }

    @Test
    void anArchiveRunIsStoredInItsLayoutAndReadBack() {
        Map<TenantId, JobOutcome.TenantOutcome> tenants = new LinkedHashMap<>();
        tenants.put(ACME, new ArchiveTenantOutcome(3, List.of(new ArchiveTenantOutcome.Segment("acme/0", 0, 3,
                Instant.parse("2033-01-01T00:00:00Z"))), new IndexRange(0, 2), 1, 2, 60, null));
        tenants.put(GLOBEX, new ArchiveTenantOutcome(0, List.of(), null, 0, 0, 0, "bucket is gone"));
        JobOutcome outcome = new JobOutcome(tenants, 3L, "PartialFailure");

        String text = stored(JobRun.Job.ARCHIVE, outcome);

        assertThat(text).isEqualTo("{\"eventsArchived\":3,\"failedWith\":\"PartialFailure\",\"tenants\":{"
                + "\"acme\":{\"archiveLagSeconds\":60,\"eventsArchived\":3,\"indexRange\":[0,2],\"legalHoldsApplied\":2,"
                + "\"segments\":[{\"from\":0,\"key\":\"acme/0\",\"retainUntil\":\"2033-01-01T00:00:00Z\",\"to\":3}],"
                + "\"segmentsReused\":1},"
                + "\"globex\":{\"archiveLagSeconds\":0,\"error\":\"bucket is gone\",\"eventsArchived\":0,"
                + "\"legalHoldsApplied\":0,\"segments\":[],\"segmentsReused\":0}}}");
        assertThat(read(JobRun.Job.ARCHIVE, text)).isEqualTo(outcome);
    }

    @Test
    void aPurgeRunIsStoredInItsLayoutAndReadBack() {
        JobOutcome outcome = new JobOutcome(Map.of(ACME, new PurgeTenantOutcome(5, 0, 1, 1,
                List.of(new IndexRange(0, 2), new IndexRange(4, 5)), 1, 0, 3, 1, 7, null)), 5L, null);

        String text = stored(JobRun.Job.PURGE, outcome);

        assertThat(text).isEqualTo("{\"eventsPurged\":5,\"tenants\":{\"acme\":{\"eventsHeld\":1,"
                + "\"eventsNotYetDue\":1,\"eventsPurged\":5,\"eventsWouldPurge\":0,\"personalValuesDeleted\":7,"
                + "\"purgedIndexRanges\":[[0,2],[4,5]],\"segmentsDeleted\":1,\"segmentsKept\":3,\"segmentsLockExtended\":1,\"segmentsWouldDelete\":0}}}");
        assertThat(read(JobRun.Job.PURGE, text)).isEqualTo(outcome);
    }

    @Test
    void aReportFilePurgeRunIsStoredInItsLayoutAndReadBack() {
        JobOutcome outcome = new JobOutcome(Map.of(ACME, new ReportFilesTenantOutcome(2, 0, 1, 1, 0, 40_000, null)),
                2L, null);

        String text = stored(JobRun.Job.REPORT_FILES, outcome);

        assertThat(text).isEqualTo("{\"reportFilesPurged\":2,\"tenants\":{\"acme\":{\"bytesPurged\":40000,"
                + "\"filesBelowFloor\":0,\"filesHeld\":1,\"filesLocked\":1,\"filesPurged\":2,\"filesWouldPurge\":0}}}");
        assertThat(read(JobRun.Job.REPORT_FILES, text)).isEqualTo(outcome);
    }

    @Test
    void aRunThatGotNowhereIsAnEmptyObjectOrItsFailureAlone() {
        assertThat(stored(JobRun.Job.ARCHIVE, JobOutcome.NONE)).isEqualTo("{}");
        assertThat(read(JobRun.Job.PURGE, "{}")).isEqualTo(JobOutcome.NONE);
        JobOutcome failed = JobOutcome.NONE.failedWith("ArchiveNotWormCapable");
        assertThat(stored(JobRun.Job.ARCHIVE, failed)).isEqualTo("{\"failedWith\":\"ArchiveNotWormCapable\"}");
        assertThat(read(JobRun.Job.ARCHIVE, "{\"failedWith\":\"ArchiveNotWormCapable\"}")).isEqualTo(failed);
        JobOutcome noTenants = new JobOutcome(Map.of(), 0L, null);
        assertThat(stored(JobRun.Job.ARCHIVE, noTenants)).isEqualTo("{\"eventsArchived\":0,\"tenants\":{}}");
        assertThat(read(JobRun.Job.ARCHIVE, "{\"eventsArchived\":0,\"tenants\":{}}")).isEqualTo(noTenants);
    }
}
