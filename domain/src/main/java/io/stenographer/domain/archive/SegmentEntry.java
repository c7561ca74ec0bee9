package io.stenographer.domain.archive;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.merkle.Hash;
import java.util.Objects;

/** One line of an archive segment: a log index, the leaf hash the log holds for it, and the event. */
public record SegmentEntry(long index, Hash leafHash, AuditEvent event) {

    public SegmentEntry {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, was " + index);
        }
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(event, "event");
    }
}
