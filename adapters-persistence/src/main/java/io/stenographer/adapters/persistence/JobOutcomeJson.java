package io.stenographer.adapters.persistence;

import io.stenographer.application.port.in.ArchiveTenantOutcome;
import io.stenographer.application.port.in.JobOutcome;
import io.stenographer.application.port.in.JobOutcome.IndexRange;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.PurgeTenantOutcome;
import io.stenographer.application.port.in.ReportFilesTenantOutcome;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job run's outcome as the {@code job_run.counts} column holds it, both ways. The layout:
 * <pre>
 * {"tenants": {"&lt;tenant&gt;": {..counts..}, ..}, "eventsArchived" | "eventsPurged" | "reportFilesPurged": N,
 *  "failedWith": "&lt;exception&gt;"}
 * </pre>
 * each member present only when the run got that far. The REST API serves the same layout.
 */
final class JobOutcomeJson {

    private JobOutcomeJson() {
    }

    static JsonObject toJson(JobRun.Job job, JobOutcome outcome) {
        Map<String, JsonValue> json = new LinkedHashMap<>();
        if (outcome.tenants() != null) {
            Map<String, JsonValue> tenants = new LinkedHashMap<>();
            outcome.tenants().forEach((tenant, counts) -> tenants.put(tenant.value(), tenant(counts)));
            json.put("tenants", new JsonObject(tenants));
        }
        if (outcome.eventsTotal() != null) {
            json.put(totalName(job), new JsonNumber(outcome.eventsTotal()));
        }
        if (outcome.failedWith() != null) {
            json.put("failedWith", new JsonString(outcome.failedWith()));
        }
        return new JsonObject(json);
    }

    static JobOutcome fromJson(JobRun.Job job, JsonObject json) {
        Map<TenantId, JobOutcome.TenantOutcome> tenants = null;
        if (json.get("tenants") instanceof JsonObject perTenant) {
            tenants = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> entry : perTenant.members().entrySet()) {
                JsonObject counts = (JsonObject) entry.getValue();
                tenants.put(new TenantId(entry.getKey()), switch (job) {
                    case ARCHIVE -> archive(counts);
                    case PURGE -> purge(counts);
                    case REPORT_FILES -> reportFiles(counts);
                });
            }
        }
        Long total = json.get(totalName(job)) instanceof JsonNumber number ? (long) number.value() : null;
        String failedWith = json.get("failedWith") instanceof JsonString text ? text.value() : null;
        return new JobOutcome(tenants, total, failedWith);
    }

    private static String totalName(JobRun.Job job) {
        return switch (job) {
            case ARCHIVE -> "eventsArchived";
            case PURGE -> "eventsPurged";
            case REPORT_FILES -> "reportFilesPurged";
        };
    }

    private static JsonObject tenant(JobOutcome.TenantOutcome counts) {
        Map<String, JsonValue> json = new LinkedHashMap<>();
        if (counts instanceof ArchiveTenantOutcome archive) {
            json.put("eventsArchived", new JsonNumber(archive.eventsArchived()));
            List<JsonValue> segments = new ArrayList<>();
            for (ArchiveTenantOutcome.Segment segment : archive.segments()) {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                members.put("key", new JsonString(segment.key()));
                members.put("from", new JsonNumber(segment.from()));
                members.put("to", new JsonNumber(segment.to()));
                members.put("retainUntil", new JsonString(segment.retainUntil().toString()));
                segments.add(new JsonObject(members));
            }
            json.put("segments", new JsonArray(segments));
            if (archive.indexRange() != null) {
                json.put("indexRange", range(archive.indexRange()));
            }
            json.put("segmentsReused", new JsonNumber(archive.segmentsReused()));
            json.put("legalHoldsApplied", new JsonNumber(archive.legalHoldsApplied()));
            json.put("archiveLagSeconds", new JsonNumber(archive.archiveLagSeconds()));
        } else if (counts instanceof PurgeTenantOutcome purge) {
            json.put("eventsPurged", new JsonNumber(purge.eventsPurged()));
            json.put("eventsWouldPurge", new JsonNumber(purge.eventsWouldPurge()));
            json.put("eventsHeld", new JsonNumber(purge.eventsHeld()));
            json.put("eventsNotYetDue", new JsonNumber(purge.eventsNotYetDue()));
            json.put("purgedIndexRanges", new JsonArray(purge.purgedIndexRanges().stream()
                    .map(JobOutcomeJson::range).map(JsonValue.class::cast).toList()));
            json.put("segmentsDeleted", new JsonNumber(purge.segmentsDeleted()));
            json.put("segmentsWouldDelete", new JsonNumber(purge.segmentsWouldDelete()));
            json.put("segmentsKept", new JsonNumber(purge.segmentsKept()));
            json.put("segmentsLockExtended", new JsonNumber(purge.segmentsLockExtended()));
            json.put("personalValuesDeleted", new JsonNumber(purge.personalValuesDeleted()));
        } else if (counts instanceof ReportFilesTenantOutcome files) {
            json.put("filesPurged", new JsonNumber(files.filesPurged()));
            json.put("filesWouldPurge", new JsonNumber(files.filesWouldPurge()));
            json.put("filesHeld", new JsonNumber(files.filesHeld()));
            json.put("filesLocked", new JsonNumber(files.filesLocked()));
            json.put("filesBelowFloor", new JsonNumber(files.filesBelowFloor()));
            json.put("bytesPurged", new JsonNumber(files.bytesPurged()));
        }
        if (counts.error() != null) {
            json.put("error", new JsonString(counts.error()));
        }
        return new JsonObject(json);
    }

    private static ArchiveTenantOutcome archive(JsonObject json) {
        List<ArchiveTenantOutcome.Segment> segments = new ArrayList<>();
        if (json.get("segments") instanceof JsonArray array) {
            for (JsonValue element : array.elements()) {
                JsonObject segment = (JsonObject) element;
                segments.add(new ArchiveTenantOutcome.Segment(string(segment, "key"), number(segment, "from"),
                        number(segment, "to"), Instant.parse(string(segment, "retainUntil"))));
            }
        }
        IndexRange range = json.get("indexRange") instanceof JsonArray array ? range(array) : null;
        return new ArchiveTenantOutcome(number(json, "eventsArchived"), segments, range,
                (int) number(json, "segmentsReused"), (int) number(json, "legalHoldsApplied"),
                number(json, "archiveLagSeconds"), string(json, "error"));
    }

    private static PurgeTenantOutcome purge(JsonObject json) {
        List<IndexRange> ranges = new ArrayList<>();
        if (json.get("purgedIndexRanges") instanceof JsonArray array) {
            array.elements().forEach(element -> ranges.add(range((JsonArray) element)));
        }
        return new PurgeTenantOutcome(number(json, "eventsPurged"), number(json, "eventsWouldPurge"),
                number(json, "eventsHeld"), number(json, "eventsNotYetDue"), ranges,
                (int) number(json, "segmentsDeleted"), (int) number(json, "segmentsWouldDelete"),
                (int) number(json, "segmentsKept"), (int) number(json, "segmentsLockExtended"),
                number(json, "personalValuesDeleted"), string(json, "error"));
    }

    private static ReportFilesTenantOutcome reportFiles(JsonObject json) {
        return new ReportFilesTenantOutcome(number(json, "filesPurged"), number(json, "filesWouldPurge"),
                number(json, "filesHeld"), number(json, "filesLocked"), number(json, "filesBelowFloor"),
                number(json, "bytesPurged"), string(json, "error"));
    }

    private static JsonArray range(IndexRange range) {
        return new JsonArray(List.of(new JsonNumber(range.first()), new JsonNumber(range.last())));
    }

    private static IndexRange range(JsonArray pair) {
        return new IndexRange((long) ((JsonNumber) pair.elements().get(0)).value(),
                (long) ((JsonNumber) pair.elements().get(1)).value());
    }

    /** A count; 0 where a row written by an older version lacks it. */
    private static long number(JsonObject json, String name) {
        return json.get(name) instanceof JsonNumber number ? (long) number.value() : 0;
    }

    private static String string(JsonObject json, String name) {
        return json.get(name) instanceof JsonString text ? text.value() : null;
    }
}
