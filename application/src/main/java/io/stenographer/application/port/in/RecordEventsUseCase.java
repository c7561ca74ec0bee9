package io.stenographer.application.port.in;

/** Ingest: make events durable and hand back a receipt for each. */
public interface RecordEventsUseCase {

    RecordEventsResult record(RecordEventsCommand command);
}
