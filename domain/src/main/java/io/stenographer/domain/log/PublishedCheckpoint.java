package io.stenographer.domain.log;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.Objects;

/** A checkpoint as published: its body, the full signed note text, and when it was signed. */
public record PublishedCheckpoint(TenantId tenant, Checkpoint checkpoint, String signedNote, Instant publishedAt) {

    public PublishedCheckpoint {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(signedNote, "signedNote");
        Objects.requireNonNull(publishedAt, "publishedAt");
        if (!signedNote.startsWith(checkpoint.body())) {
            throw new IllegalArgumentException("signed note does not carry the checkpoint body");
        }
    }

    public long treeSize() {
        return checkpoint.treeSize();
    }
}
