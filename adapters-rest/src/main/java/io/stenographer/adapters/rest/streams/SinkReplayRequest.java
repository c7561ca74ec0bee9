package io.stenographer.adapters.rest.streams;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "SinkReplayRequest")
public record SinkReplayRequest(
        @Schema(required = true, description = "Index to deliver from; its event must still be in retention")
        Long fromIndex) {
}
