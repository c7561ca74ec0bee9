"""Exceptions raised by the Stenographer audit client.

Every error derives from AuditClientError, so one ``except`` clause catches them all.
"""

from datetime import datetime
from typing import Optional


class AuditClientError(Exception):
    """Base class of every error this package raises."""


class InvalidEventError(AuditClientError):
    """The event breaks a rule of the event model; nothing was sent."""

    def __init__(self, field: str, detail: str):
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.detail = detail


class QueueFullError(AuditClientError):
    """The send queue stayed full; the event was not logged."""


class EventRejectedError(AuditClientError):
    """The service refused the event (or the whole batch); retrying the same event will not help."""

    def __init__(self, status: int, problem_type: Optional[str] = None, field: Optional[str] = None,
                 detail: Optional[str] = None):
        text = f"the service refused the event with status {status}"
        if problem_type:
            text += f" ({problem_type})"
        if field or detail:
            text += ": " + ": ".join(part for part in (field, detail) if part)
        super().__init__(text)
        self.status = status
        self.problem_type = problem_type
        self.field = field
        self.detail = detail


class IdempotencyConflictError(AuditClientError):
    """The clientEventId was used before for an event with other content."""

    def __init__(self, client_event_id: Optional[str], existing_event_id: Optional[str],
                 detail: Optional[str] = None):
        super().__init__(detail or f"'{client_event_id}' already identifies event {existing_event_id} "
                                   "with different content")
        self.client_event_id = client_event_id
        self.existing_event_id = existing_event_id
        self.detail = detail


class DeliveryFailedError(AuditClientError):
    """The event could not be delivered in time (or the client was closed).

    It may still have been recorded (an answer can be lost). Log it again with the same arguments plus
    client_event_id=error.client_event_id and occurred_at=error.occurred_at, the key and time it was sent
    with (the client chose them when the caller did not): the service then records it at most once.
    Without them a retry is a new event, recorded twice if the first answer was lost.
    """

    def __init__(self, message: str, client_event_id: Optional[str] = None,
                 occurred_at: Optional[datetime] = None):
        super().__init__(message)
        self.client_event_id = client_event_id
        self.occurred_at = occurred_at

    def of_event(self, client_event_id: str, occurred_at: datetime) -> "DeliveryFailedError":
        """This failure as one event's: one failure may end a whole batch, and each event is named apart."""
        own = DeliveryFailedError(str(self), client_event_id, occurred_at)
        own.__cause__ = self.__cause__
        return own


class ReceiptMismatchError(AuditClientError):
    """The service's leaf hash is not the hash of the event that was sent: the log cannot be trusted.

    For a v2 event the hash is recomputed with the openings the service returned, so openings that do not
    open the leaf's commitments, a missing opening, one for a field that was not sent, and an opening for a
    personal identifier (actor.id, resource.id) without the pseudonym the leaf holds in its place end up here too.
    """

    def __init__(self, client_event_id: Optional[str], event_id: Optional[str], expected: Optional[str],
                 reported: Optional[str], detail: Optional[str] = None):
        text = f"receipt for {client_event_id} (event {event_id}) reports leaf hash {reported}, "
        text += (f"but the event sent hashes to {expected}" if expected is not None
                 else "but no event built from what was sent can hash to it")
        if detail:
            text += f"; {detail}"
        super().__init__(text)
        self.client_event_id = client_event_id
        self.event_id = event_id
        #: None when the answer's openings name a field that was not sent, or an identifier without its
        #: pseudonym (there is nothing to hash).
        self.expected_leaf_hash = expected
        self.reported_leaf_hash = reported
        self.detail = detail
