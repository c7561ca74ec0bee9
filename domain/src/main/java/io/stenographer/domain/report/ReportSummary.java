package io.stenographer.domain.report;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule {@value #ID}: totals and activity over time of the events a report considered. The period is
 * cut into at most 92 equal buckets: hours for periods up to 2 days, days up to 92 days, weeks beyond.
 */
public final class ReportSummary {

    public static final String ID = "summary/1";

    private final Instant from;
    private final Duration bucket;
    private final long[] histogram;
    private long total;
    private long success;
    private long failure;
    private long denied;

    ReportSummary(Instant from, Instant to) {
        this.from = from;
        Duration period = Duration.between(from, to);
        this.bucket = period.compareTo(Duration.ofDays(2)) <= 0 ? Duration.ofHours(1)
                : period.compareTo(Duration.ofDays(92)) <= 0 ? Duration.ofDays(1) : Duration.ofDays(7);
        long buckets = (period.toNanos() + bucket.toNanos() - 1) / bucket.toNanos();
        this.histogram = new long[(int) buckets];
    }

    void accept(AuditEvent event) {
        total++;
        switch (event.content().outcome()) {
            case SUCCESS -> success++;
            case FAILURE -> failure++;
            case DENIED -> denied++;
        }
        long index = Duration.between(from, event.content().occurredAt()).toNanos() / bucket.toNanos();
        histogram[(int) index]++;
    }

    public long total() {
        return total;
    }

    public long success() {
        return success;
    }

    public long failure() {
        return failure;
    }

    public long denied() {
        return denied;
    }

    public Duration bucket() {
        return bucket;
    }

    /** Bucket start times and counts, in time order. */
    public List<Bucket> activity() {
        List<Bucket> buckets = new ArrayList<>(histogram.length);
        for (int i = 0; i < histogram.length; i++) {
            buckets.add(new Bucket(from.plus(bucket.multipliedBy(i)), histogram[i]));
        }
        return buckets;
    }

    public record Bucket(Instant start, long count) {
    }

    public JsonObject toJson() {
        List<JsonValue> buckets = new ArrayList<>();
        for (Bucket b : activity()) {
            buckets.add(ReportJson.object().put("start", Timestamps.format(b.start())).put("count", b.count()).build());
        }
        return ReportJson.object().put("rule", ID).put("eventsConsidered", total)
                .put("success", success).put("failure", failure).put("denied", denied)
                .put("bucket", bucket.toString()).put("activity", new JsonArray(buckets)).build();
    }
}
