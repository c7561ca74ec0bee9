package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.EventDraft;
import java.util.List;
import java.util.Objects;

/** Events to record, in request order, on behalf of an authenticated writer. */
public record RecordEventsCommand(Caller caller, List<EventDraft> drafts) {

    public RecordEventsCommand {
        Objects.requireNonNull(caller, "caller");
        drafts = List.copyOf(drafts);
    }
}
