package io.stenographer.application.port.in;

import io.stenographer.domain.event.AuditEvent;

/** Read one event by id; the read is recorded as an {@code audit.query} event of its tenant. */
public interface GetEventUseCase {

    AuditEvent get(GetEventQuery query);
}
