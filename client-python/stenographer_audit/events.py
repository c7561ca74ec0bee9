"""The event's wire shape, the checks made before sending, and the leaf hash of a sealed event."""

import hashlib
import math
import re
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, Mapping, Optional

from . import jcs
from .errors import InvalidEventError

SEALED_FORMAT = "stenographer.event/v1"
#: The sealed form of an event whose personal values the service replaced by commitments.
SEALED_FORMAT_V2 = "stenographer.event/v2"
OPENING_LENGTH = 32
_COMMITMENT_DOMAIN = b"stenographer.commitment/v1\x00"
_FIXED_PERSONAL_FIELDS = ("actor.id", "actor.displayName", "resource.id", "source.ip", "source.userAgent", "reason")
#: Personal fields the leaf keeps, as a pseudonym in place of the real value: they are required and searched.
IDENTIFIER_FIELDS = ("actor.id", "resource.id")
PSEUDONYM_PREFIX = "pseudonym:"
_PSEUDONYM = re.compile(r"pseudonym:[0-9a-f]{64}")
_METADATA_PREFIX = "metadata."
_METADATA_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
_LOWER_HEX_OPENING = re.compile(r"[0-9a-f]{64}")
_ABSENT = object()
OUTCOMES = ("success", "failure", "denied")
ACTOR_TYPES = ("user", "service")
MAX_ACTION_LENGTH = 128

_ACTION = re.compile(r"[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+")


def format_timestamp(moment: datetime) -> str:
    """UTC with exactly six fraction digits, the only form the service seals."""
    utc = moment.astimezone(timezone.utc)
    # Explicit padding: strftime's %Y does not pad years below 1000 on every platform.
    return (f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
            f"{utc.second:02d}.{utc.microsecond:06d}Z")


def parse_timestamp(text: str) -> datetime:
    """The inverse of format_timestamp: a timezone-aware UTC datetime, microseconds kept."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def build_event(*, tenant: str, application: str, user_id: str, action: str,
                metadata: Optional[Mapping[str, Any]] = None, resource_type: Optional[str] = None,
                resource_id: Optional[str] = None, reason: Optional[str] = None, outcome: str = "success",
                occurred_at: Optional[datetime] = None, actor_type: str = "user",
                actor_display_name: Optional[str] = None, source_ip: Optional[str] = None,
                user_agent: Optional[str] = None, correlation_id: Optional[str] = None,
                client_event_id: Optional[str] = None) -> Dict[str, Any]:
    """The event as the service's request shape, checked for the rules a client can get wrong cheaply.

    The service checks everything else and answers with the field at fault. Absent optional members are
    omitted, never null, because the sealed form (and so the leaf hash) omits them.
    """
    if not isinstance(user_id, str) or not user_id.strip():
        raise InvalidEventError("actor.id", "is required")
    if not isinstance(action, str) or not action.strip():
        raise InvalidEventError("action", "is required")
    if len(action) > MAX_ACTION_LENGTH:
        raise InvalidEventError("action", f"must be at most {MAX_ACTION_LENGTH} characters")
    if not _ACTION.fullmatch(action):
        raise InvalidEventError("action", "must be dotted lower-case segments such as 'case.export' "
                                          "(letters, digits, '_' and '-')")
    if outcome not in OUTCOMES:
        raise InvalidEventError("outcome", "must be one of success, failure, denied")
    if actor_type not in ACTOR_TYPES:
        raise InvalidEventError("actor.type", "must be one of user, service")
    if occurred_at is None:
        occurred_at = datetime.now(timezone.utc)
    elif not isinstance(occurred_at, datetime) or occurred_at.utcoffset() is None:
        raise InvalidEventError("occurredAt", "must be a timezone-aware datetime")
    if metadata is None:
        metadata = {}
    elif not isinstance(metadata, Mapping):
        raise InvalidEventError("metadata", "must be a mapping")

    actor: Dict[str, Any] = {"id": user_id, "type": actor_type}
    _put(actor, "displayName", actor_display_name)
    event: Dict[str, Any] = {"tenant": tenant, "actor": actor, "action": action}
    if resource_type is not None or resource_id is not None:
        resource: Dict[str, Any] = {}
        _put(resource, "type", resource_type)
        _put(resource, "id", resource_id)
        event["resource"] = resource
    _put(event, "reason", reason)
    event["outcome"] = outcome
    event["occurredAt"] = format_timestamp(occurred_at)
    source: Dict[str, Any] = {"application": application}
    _put(source, "ip", source_ip)
    _put(source, "userAgent", user_agent)
    event["source"] = source
    _put(event, "correlationId", correlation_id)
    # A private plain copy: the caller may change its dict later, and the leaf hash must be of what was sent.
    event["metadata"] = _plain_json(metadata, "metadata")
    event["clientEventId"] = client_event_id if client_event_id is not None else f"py-{uuid.uuid4()}"
    return event


def _put(members: Dict[str, Any], name: str, value: Optional[str]) -> None:
    if value is not None:
        members[name] = value


def _plain_json(value: Any, path: str) -> Any:
    """A copy of a metadata value made of plain dict/list/str/int/float/bool/None, or InvalidEventError.

    Plain types make the JSON sent and the canonical form hashed later agree (no enum or tuple surprises).
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        if abs(value) > jcs.MAX_EXACT_INTEGER:
            raise InvalidEventError(path, "integers beyond +/-2^53 cannot be represented exactly (RFC 7493); "
                                          "send them as strings")
        return int(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise InvalidEventError(path, "must be a finite number")
        return float(value)
    if isinstance(value, Mapping):
        copy = {}
        for key, member in value.items():
            if not isinstance(key, str):
                raise InvalidEventError(path, "must have string keys")
            copy[str(key)] = _plain_json(member, f"{path}.{key}")
        return copy
    if isinstance(value, (list, tuple)):
        return [_plain_json(element, f"{path}[{i}]") for i, element in enumerate(value)]
    raise InvalidEventError(path, "must be a string, number, boolean, null, list or mapping, not "
                            + type(value).__name__)


class UnopenableLeafError(ValueError):
    """The answer's openings and pseudonyms cannot rebuild a leaf from the event sent (a receipt mismatch)."""

    def __init__(self, message: str, path: str):
        super().__init__(message)
        self.path = path


class UnsentPersonalFieldError(UnopenableLeafError):
    """The service returned an opening for a field the event did not have: it cannot have committed to it."""

    def __init__(self, path: str):
        super().__init__(f"the answer has an opening for {path}, which the client did not send", path)


class MissingPseudonymError(UnopenableLeafError):
    """The answer commits to an identifier (actor.id, resource.id) but names no pseudonym for the leaf to hold."""

    def __init__(self, path: str):
        super().__init__(f"the answer commits to {path} but names no pseudonym for it: the leaf must hold one there",
                         path)


def is_personal_field(path: Any) -> bool:
    """True for a field a data policy can make personal: the fixed six, or metadata.<plain key>."""
    if not isinstance(path, str):
        return False
    if path in _FIXED_PERSONAL_FIELDS:
        return True
    return path.startswith(_METADATA_PREFIX) and _METADATA_KEY.fullmatch(path[len(_METADATA_PREFIX):]) is not None


def parse_openings(raw: Any) -> Dict[str, bytes]:
    """The ``openings`` member of an answer item: {path: 32-byte opening}; {} when absent or null (v1).

    Raises ValueError when it is present but malformed: not a non-empty object, a name that is not a field
    that can be personal, or a value that is not 64 lower-case hex digits.
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw:
        raise ValueError("'openings' must be a non-empty JSON object")
    openings = {}
    for path, value in raw.items():
        if not is_personal_field(path):
            raise ValueError(f"'openings' names {path!r}, which is not a field that can be personal")
        if not isinstance(value, str) or _LOWER_HEX_OPENING.fullmatch(value) is None:
            raise ValueError(f"the opening of {path} must be 64 lower-case hex digits")
        openings[path] = bytes.fromhex(value)
    return openings


_SEALED_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
MAX_SUBMITTED_BY_LENGTH = 256  # the service's own limit (AuditEvent.MAX_SUBMITTED_BY_LENGTH)


def check_receipt_fields(event_id: Any, received_at: Any, submitted_by: Any) -> None:
    """The members the service adds to a sealed event, as a receipt gives them.

    Raises ValueError unless ``id`` is a UUID in its lower-case form, ``receivedAt`` is a real instant in the one
    form the service seals (UTC, six fraction digits) and ``submittedBy`` is a non-empty string: a receipt whose
    hash fits values like these would still hand the application an id no proof can be fetched by.
    """
    try:
        canonical_id = isinstance(event_id, str) and str(uuid.UUID(event_id)) == event_id
    except ValueError:
        canonical_id = False
    if not canonical_id:
        raise ValueError("'id' must be a UUID in lower-case form")
    if not isinstance(received_at, str) or _SEALED_TIMESTAMP.fullmatch(received_at) is None:
        raise ValueError("'receivedAt' must be a UTC date-time with six fraction digits, as the service seals it")
    try:
        datetime.strptime(received_at[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        raise ValueError("'receivedAt' is not a real date and time") from None
    if not isinstance(submitted_by, str) or not submitted_by or len(submitted_by) > MAX_SUBMITTED_BY_LENGTH:
        raise ValueError(f"'submittedBy' must be a non-empty string of at most {MAX_SUBMITTED_BY_LENGTH} characters")


def is_pseudonym(value: Any) -> bool:
    """True for "pseudonym:" and 64 lower-case hex digits, what a leaf holds in place of a personal identifier."""
    return isinstance(value, str) and _PSEUDONYM.fullmatch(value) is not None


def parse_pseudonyms(raw: Any, openings: Mapping[str, bytes]) -> Dict[str, str]:
    """The ``pseudonyms`` member of an answer item: {"actor.id"/"resource.id": pseudonym}; {} when absent or null.

    The service sends it only when it committed to an identifier. Raises ValueError when it is present but
    malformed: not a non-empty object, a name that is not an identifier ``openings`` has an opening for, or a
    value that is not "pseudonym:" and 64 lower-case hex digits.
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw:
        raise ValueError("'pseudonyms' must be a non-empty JSON object")
    pseudonyms = {}
    for path, value in raw.items():
        if path not in IDENTIFIER_FIELDS or path not in openings:
            raise ValueError(f"'pseudonyms' names {path!r}, which is not an identifier the answer has an opening for")
        if not is_pseudonym(value):
            raise ValueError(f"the pseudonym of {path} must be {PSEUDONYM_PREFIX!r} and 64 lower-case hex digits")
        pseudonyms[path] = value
    return pseudonyms


def commitment(opening: bytes, path: str, value: Any) -> str:
    """SHA-256("stenographer.commitment/v1" 0x00 || opening || UTF-8 path || 0x00 || JCS(value)), lower hex."""
    if len(opening) != OPENING_LENGTH:
        raise ValueError(f"an opening is exactly {OPENING_LENGTH} bytes")
    return hashlib.sha256(_COMMITMENT_DOMAIN + bytes(opening) + path.encode("utf-8") + b"\x00"
                          + jcs.canonical_bytes(value)).hexdigest()


def _container_and_key(event: Mapping[str, Any], path: str):
    """Where a personal field lives in the request shape: (the object holding it, its member name)."""
    if path == "reason":
        return event, "reason"
    if path.startswith(_METADATA_PREFIX):
        return event.get("metadata"), path[len(_METADATA_PREFIX):]
    parent, name = path.split(".", 1)
    return event.get(parent), name


def sealed_event(sent: Mapping[str, Any], event_id: str, received_at: str, submitted_by: str,
                 openings: Optional[Mapping[str, bytes]] = None,
                 pseudonyms: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """The event as the service sealed it: what was sent plus the members the service adds.

    With ``openings`` (from the answer item) it is the v2 form: each field that has an opening leaves the
    event (a metadata key leaves the metadata object) and ``personal`` holds the commitment to its value.
    An identifier (actor.id, resource.id) does not leave: it is replaced by its pseudonym from ``pseudonyms``
    (the service keys them, so the client can only copy them), while ``personal`` commits to the real value.
    Raises UnsentPersonalFieldError when an opening names a field the event does not have, and
    MissingPseudonymError when an opening names an identifier that ``pseudonyms`` has no pseudonym for.
    """
    pseudonyms = pseudonyms or {}
    for path, pseudonym in pseudonyms.items():
        if path not in IDENTIFIER_FIELDS or path not in (openings or {}) or not is_pseudonym(pseudonym):
            raise ValueError(f"{path!r}: only an identifier that has an opening has a pseudonym, "
                             f"and it is {PSEUDONYM_PREFIX!r} and 64 lower-case hex digits")
    sealed = dict(sent)
    if openings:
        # Copies of the objects a field is taken out of: the caller's event stays as it was sent.
        for name in ("actor", "resource", "source", "metadata"):
            if isinstance(sealed.get(name), dict):
                sealed[name] = dict(sealed[name])
        personal = {}
        for path in sorted(openings):
            holder, key = _container_and_key(sealed, path)
            value = holder.get(key, _ABSENT) if isinstance(holder, dict) else _ABSENT
            # A metadata key whose value is JSON null is present (and committed to); a string field is never null.
            if value is _ABSENT or (value is None and not path.startswith(_METADATA_PREFIX)):
                raise UnsentPersonalFieldError(path)
            personal[path] = commitment(openings[path], path, value)
            if path in IDENTIFIER_FIELDS:
                if path not in pseudonyms:
                    raise MissingPseudonymError(path)
                holder[key] = pseudonyms[path]
            else:
                del holder[key]
        sealed["personal"] = personal
    sealed["format"] = SEALED_FORMAT_V2 if openings else SEALED_FORMAT
    sealed["id"] = event_id
    sealed["receivedAt"] = received_at
    sealed["submittedBy"] = submitted_by
    return sealed


def leaf_hash(sealed: Mapping[str, Any]) -> str:
    """RFC 6962 leaf hash of a sealed event: SHA-256(0x00 || canonical bytes), lower-case hex."""
    return hashlib.sha256(b"\x00" + jcs.canonical_bytes(sealed)).hexdigest()
