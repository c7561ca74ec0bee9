package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.privacy.PersonalValueState;
import java.util.List;
import java.util.Map;

/**
 * The personal values behind events' commitments, for a caller who was already allowed to read the events: revealed
 * only to holders of the personal-data-reader role on the event's tenant, withheld from everyone else.
 */
public interface RevealPersonalDataUseCase {

    Map<EventId, Map<PersonalField, PersonalValueState>> reveal(Caller caller, List<AuditEvent> events);
}
