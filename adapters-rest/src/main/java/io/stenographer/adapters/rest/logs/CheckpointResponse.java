package io.stenographer.adapters.rest.logs;

import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.log.PublishedCheckpoint;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Checkpoint")
public record CheckpointResponse(String origin, long treeSize, String rootHash, String publishedAt,
        @Schema(description = "The C2SP signed note, exactly as signed") String signedNote) {

    public static CheckpointResponse from(PublishedCheckpoint checkpoint) {
        return new CheckpointResponse(checkpoint.checkpoint().origin(), checkpoint.treeSize(),
                checkpoint.checkpoint().rootHash().base64(), Timestamps.format(checkpoint.publishedAt()),
                checkpoint.signedNote());
    }
}
