package io.stenographer.domain.archive;

import io.stenographer.domain.event.TenantId;

/**
 * Where a segment lives in the archive. The key depends only on the tenant and the segment's first
 * index, so a retried run that starts at the same index finds what an interrupted run uploaded,
 * whatever range that run chose.
 */
public final class SegmentKeys {

    private SegmentKeys() {
    }

    public static String segmentKey(TenantId tenant, long firstIndex) {
        if (firstIndex < 0) {
            throw new IllegalArgumentException("firstIndex must not be negative, was " + firstIndex);
        }
        return "segments/" + tenant.value() + "/" + String.format("%020d", firstIndex) + ".ndjson.gz";
    }

    public static String manifestKey(String segmentKey) {
        return segmentKey + ".manifest.json";
    }
}
