package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import java.util.Objects;

/** The most recent archive and purge runs the caller may see, newest first. */
public record JobRunsQuery(Caller caller, int limit) {

    public JobRunsQuery {
        Objects.requireNonNull(caller, "caller");
    }
}
