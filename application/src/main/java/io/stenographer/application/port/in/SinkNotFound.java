package io.stenographer.application.port.in;

import io.stenographer.domain.sink.SinkId;

/** No sink with this id is visible to the caller (missing, deleted, or of a tenant it may not read). */
public class SinkNotFound extends RuntimeException {

    private final SinkId id;

    public SinkNotFound(SinkId id) {
        super("no stream sink " + id);
        this.id = id;
    }

    public SinkId id() {
        return id;
    }
}
