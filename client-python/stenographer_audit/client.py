"""AuditService: batching, retries under idempotency keys, and receipts checked against their leaf hashes."""

import atexit
import email.utils
import http.client
import json
import logging
import os
import queue
import random
import threading
import time
import urllib.error
import urllib.request
import weakref
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from . import events
from .errors import (AuditClientError, DeliveryFailedError, EventRejectedError, IdempotencyConflictError,
                     InvalidEventError, QueueFullError, ReceiptMismatchError)

__all__ = ["AuditService", "Receipt"]

_log = logging.getLogger("stenographer_audit")

QUEUE_CAPACITY = 10_000
BLOCK_TIMEOUT_SECONDS = 5.0
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
BACKOFF_INITIAL_SECONDS = 0.1
BACKOFF_MAX_SECONDS = 10.0
_ENVELOPE_BYTES = len(b'{"events":[]}')


@dataclass(frozen=True)
class Receipt:
    """The service's answer for one recorded event. leaf_hash has been recomputed and checked here."""

    event_id: str
    leaf_hash: str
    received_at: str
    submitted_by: str
    client_event_id: str
    duplicate: bool


class _Pending:
    """One logged event waiting for its answer."""

    __slots__ = ("event", "body", "future", "enqueued", "settled")

    def __init__(self, event: Dict[str, Any], body: bytes):
        self.event = event          # the exact dict sent, kept to recompute the leaf hash
        self.body = body            # serialized once: every retry resends these bytes
        self.future: Future = Future()
        # Running from the start: an event handed over cannot be taken back, so cancel() must not pretend.
        self.future.set_running_or_notify_cancel()
        self.enqueued = time.monotonic()
        self.settled = False


class _Marker:
    """Queued behind events by flush() and close(): done once everything queued before it is answered."""

    def __init__(self, stop: bool):
        self.stop = stop
        self.done = threading.Event()


class _Retry(Exception):
    def __init__(self, reason: str, retry_after: float = 0.0):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


# Services whose close() runs at exit. A process forked from this one (a pre-forking server's workers) inherits the
# registrations and the queued events, but not the sender thread: its exit must not close a copy it cannot deliver.
_CLOSING_AT_EXIT: "weakref.WeakSet[AuditService]" = weakref.WeakSet()


def _not_at_exit_in_a_forked_child() -> None:
    for service in list(_CLOSING_AT_EXIT):
        atexit.unregister(service.close)
    _CLOSING_AT_EXIT.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_not_at_exit_in_a_forked_child)


class AuditService:
    """Logs audit events to a Stenographer service from a background sender thread.

    ``log_event`` validates the event, queues it and returns a Future of its Receipt. Call ``close()``
    (or use the service as a context manager) so that queued events are delivered before exit; with
    ``close_at_exit`` (the default) the interpreter's exit calls it for an application that did not.
    """

    def __init__(self, base_url: str, tenant: str, application: str, token: Optional[str] = None,
                 token_supplier: Optional[Callable[[], str]] = None, batch_size: int = 256,
                 linger_seconds: float = 0.1, max_batch_bytes: int = 1_000_000, max_retry_seconds: float = 300,
                 on_integrity_violation: Optional[Callable[[ReceiptMismatchError], None]] = None,
                 request_timeout: float = 10.0, opener: Optional[urllib.request.OpenerDirector] = None,
                 close_at_exit: bool = True):
        if (token is None) == (token_supplier is None):
            raise ValueError("give exactly one of token and token_supplier")
        if not tenant or not application:
            raise ValueError("tenant and application are required")
        if not 1 <= batch_size <= 1000:
            raise ValueError("batch_size must be 1-1000 (the service takes at most 1,000 events a batch)")
        if max_batch_bytes < 1024 or linger_seconds < 0 or max_retry_seconds < 0 or request_timeout <= 0:
            raise ValueError("max_batch_bytes must be at least 1024; timeouts must not be negative")
        self._url = base_url.rstrip("/") + "/api/v1/events/batch"
        self._tenant = tenant
        self._application = application
        self._token_supplier = token_supplier if token_supplier is not None else (lambda: token)
        self._batch_size = batch_size
        self._linger = linger_seconds
        self._max_batch_bytes = max_batch_bytes
        self._max_retry_seconds = max_retry_seconds
        self._on_integrity_violation = on_integrity_violation
        self._request_timeout = request_timeout
        self._opener = opener if opener is not None else urllib.request.build_opener()
        self._block_timeout = BLOCK_TIMEOUT_SECONDS

        self._queue: "queue.Queue[Any]" = queue.Queue(maxsize=QUEUE_CAPACITY)
        # Held while checking "closed" and queueing, so no event slips in behind close()'s final drain.
        self._enqueue_lock = threading.Lock()
        self._closed = False
        self._close_requested = threading.Event()
        self._close_deadline: Optional[float] = None
        self._metrics_lock = threading.Lock()
        self._metrics = {"queued": 0, "sent": 0, "retried": 0, "rejected": 0, "failed": 0}
        self._thread = threading.Thread(target=self._run, name="stenographer-audit-sender", daemon=True)
        self._thread.start()
        # The sender is a daemon thread: without this, events still queued when the interpreter exits were lost
        # without a word. close() takes it off again.
        self._close_at_exit = close_at_exit
        if close_at_exit:
            atexit.register(self.close)
            _CLOSING_AT_EXIT.add(self)

    # ----------------------------------------------------------------------------------------- public API

    def log_event(self, user_id: str, action: str, metadata: Optional[Mapping[str, Any]] = None, *,
                  resource_type: Optional[str] = None, resource_id: Optional[str] = None,
                  reason: Optional[str] = None, outcome: str = "success", occurred_at: Optional[datetime] = None,
                  actor_type: str = "user", actor_display_name: Optional[str] = None,
                  source_ip: Optional[str] = None, user_agent: Optional[str] = None,
                  correlation_id: Optional[str] = None, client_event_id: Optional[str] = None) -> "Future[Receipt]":
        """Validate and queue one event; the Future completes with its Receipt or an AuditClientError.

        Raises InvalidEventError (nothing is sent), QueueFullError after waiting 5 s for room, or
        AuditClientError once the service is closed.
        """
        event = events.build_event(
            tenant=self._tenant, application=self._application, user_id=user_id, action=action,
            metadata=metadata, resource_type=resource_type, resource_id=resource_id, reason=reason,
            outcome=outcome, occurred_at=occurred_at, actor_type=actor_type,
            actor_display_name=actor_display_name, source_ip=source_ip, user_agent=user_agent,
            correlation_id=correlation_id, client_event_id=client_event_id)
        try:
            body = json.dumps(event, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError) as e:  # UnicodeEncodeError (lone surrogate) is a ValueError
            raise InvalidEventError("event", f"cannot be written as JSON: {e}") from e
        pending = _Pending(event, body)
        with self._enqueue_lock:
            if self._closed:
                raise AuditClientError("the AuditService is closed")
            self._count("queued", +1)  # before put: the sender may answer it at once
            try:
                self._queue.put(pending, timeout=self._block_timeout)
            except queue.Full:
                self._count("queued", -1)
                self._count("failed")
                raise QueueFullError(f"the queue of {QUEUE_CAPACITY} events stayed full for "
                                     f"{self._block_timeout:g} s; the event was not logged") from None
        return pending.future

    def log_event_and_wait(self, user_id: str, action: str, metadata: Optional[Mapping[str, Any]] = None, *,
                           timeout: Optional[float] = None, **fields: Any) -> Receipt:
        """log_event, then wait for the Receipt (raises the event's AuditClientError, or TimeoutError)."""
        return self.log_event(user_id, action, metadata, **fields).result(timeout=timeout)

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Send what is queued now without waiting for linger; True once all of it has been answered."""
        started = time.monotonic()
        marker = _Marker(stop=False)
        with self._enqueue_lock:
            closed = self._closed
            if not closed:
                try:
                    self._queue.put(marker, timeout=timeout)
                except queue.Full:
                    return False
        if closed:  # the sender is stopping or stopped and would never take the marker; close() answers all
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return marker.done.wait(None if timeout is None else max(0.0, timeout - (time.monotonic() - started)))

    def close(self, timeout: float = 30.0) -> None:
        """Deliver what is queued for up to ``timeout`` seconds, then fail whatever is left and stop."""
        with self._enqueue_lock:
            if self._closed:
                return
            self._closed = True
            self._close_deadline = time.monotonic() + timeout
        if self._close_at_exit:
            atexit.unregister(self.close)
            _CLOSING_AT_EXIT.discard(self)
        self._close_requested.set()
        try:
            # Past the close deadline the sender fails batches without sending, so room appears.
            self._queue.put(_Marker(stop=True), timeout=timeout + 2 * self._request_timeout)
        except queue.Full:
            pass
        if threading.current_thread() is not self._thread:  # close() from a future's callback
            self._thread.join(timeout + 2 * self._request_timeout)
        self._fail_leftovers()

    def metrics(self) -> Dict[str, int]:
        """queued (waiting for an answer now), sent (created or duplicate), retried (requests sent again),
        rejected (refused by the service) and failed (given up, queue full, receipt mismatch)."""
        with self._metrics_lock:
            return dict(self._metrics)

    def __enter__(self) -> "AuditService":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------- sender

    def _run(self) -> None:
        carry = None  # taken from the queue but belonging to the next batch
        while True:
            item = carry if carry is not None else self._queue.get()
            carry = None
            if isinstance(item, _Marker):
                # One batch in flight at a time, so everything queued before the marker is answered.
                item.done.set()
                if item.stop:
                    return
                continue
            batch = [item]
            size = _ENVELOPE_BYTES + len(item.body)
            linger_ends = item.enqueued + self._linger
            while len(batch) < self._batch_size:
                remaining = linger_ends - time.monotonic()
                try:
                    following = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
                except queue.Empty:
                    break
                if isinstance(following, _Marker) or size + 1 + len(following.body) > self._max_batch_bytes:
                    carry = following
                    break
                batch.append(following)
                size += 1 + len(following.body)
            try:
                self._deliver(batch)
            except Exception as e:  # the sender must outlive any surprise, or every later future would hang
                _log.exception("unexpected error while delivering a batch")
                self._fail_batch(batch, AuditClientError(f"unexpected error while delivering: {e!r}"), "failed")

    def _deliver(self, batch: List[_Pending]) -> None:
        body = b'{"events":[' + b",".join(p.body for p in batch) + b"]}"
        started = time.monotonic()
        give_up_at = started + self._max_retry_seconds
        step = BACKOFF_INITIAL_SECONDS
        attempts = 0
        while True:
            if self._close_deadline is not None and time.monotonic() >= self._close_deadline:
                self._fail_batch(batch, DeliveryFailedError("the AuditService was closed before the event "
                                                            "could be delivered"), "failed")
                return
            if attempts:
                self._count("retried")
            attempts += 1
            try:
                payload = self._post(body)
            except _Retry as retry:
                # Same bytes, same clientEventIds: whatever an earlier attempt recorded comes back "duplicate".
                wait = max(random.uniform(step / 2, step), retry.retry_after)
                step = min(step * 2, BACKOFF_MAX_SECONDS)
                if not self._pause(wait, give_up_at):
                    self._fail_batch(batch, DeliveryFailedError(
                        f"gave up after {attempts} attempt(s) in {time.monotonic() - started:.1f} s; "
                        f"last: {retry.reason}"), "failed")
                    return
                continue
            except EventRejectedError as refusal:
                self._fail_batch(batch, refusal, "rejected")
                return
            self._complete(batch, payload)
            return

    def _post(self, body: bytes) -> Any:
        """One request. Returns the parsed 2xx answer (None if unreadable); raises _Retry or EventRejectedError."""
        try:
            token = self._token_supplier()
        except Exception as e:  # a token endpoint that is down is as transient as the service being down
            raise _Retry(f"the token supplier failed: {e!r}") from e
        request = urllib.request.Request(self._url, data=body, method="POST", headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json",
            "Accept": "application/json"})
        try:
            with self._opener.open(request, timeout=self._request_timeout) as response:
                answer = response.read()
        except urllib.error.HTTPError as e:  # before URLError: it is one
            problem = _read_quietly(e)
            if e.code in RETRYABLE_STATUSES:
                raise _Retry(f"HTTP {e.code}", _retry_after_seconds((e.headers or {}).get("Retry-After"))) from None
            raise _rejection(e.code, problem) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            # Connection refused or reset, timeouts, a truncated answer: the request may or may not have
            # been recorded, which the idempotency keys make harmless.
            raise _Retry(f"{type(e).__name__}: {e}") from e
        try:
            return json.loads(answer.decode("utf-8"))
        except ValueError:
            return None

    def _complete(self, batch: List[_Pending], payload: Any) -> None:
        items = payload.get("items") if isinstance(payload, dict) else None
        if not isinstance(items, list):
            self._fail_batch(batch, DeliveryFailedError("the service's answer has no per-item results"), "failed")
            return
        by_index = {item.get("index"): item for item in items if isinstance(item, dict)}
        for index, pending in enumerate(batch):
            item = by_index.get(index)
            status = item.get("status") if item is not None else None
            if status in ("created", "duplicate"):
                self._accept(pending, item, duplicate=(status == "duplicate"))
            elif status == "rejected":
                self._fail(pending, _rejection(400, item.get("problem")), "rejected")
            elif status == "conflict":
                _, _, detail = _problem_fields(item.get("problem"))
                self._fail(pending, IdempotencyConflictError(pending.event.get("clientEventId"), item.get("id"),
                                                             detail), "rejected")
            else:
                self._fail(pending, DeliveryFailedError(f"the service's answer has no usable result for this "
                                                        f"event (status {status!r})"), "failed")

    def _accept(self, pending: _Pending, item: Mapping[str, Any], duplicate: bool) -> None:
        # Never trust the service's hash: recompute it from what was sent plus what the service sealed.
        event_id, received_at, submitted_by = item.get("id"), item.get("receivedAt"), item.get("submittedBy")
        reported = item.get("leafHash")
        client_event_id = pending.event["clientEventId"]
        try:
            events.check_receipt_fields(event_id, received_at, submitted_by)
            # v2: the random openings the service committed to the personal values under; {} for v1.
            openings = events.parse_openings(item.get("openings"))
            # and what the leaf holds in place of a personal actor.id / resource.id (keyed: only copied here).
            pseudonyms = events.parse_pseudonyms(item.get("pseudonyms"), openings)
        except ValueError as e:
            self._fail(pending, AuditClientError(
                f"the service's answer for this event ({client_event_id}) is not readable: {e}"), "failed")
            return
        detail = None
        try:
            expected: Optional[str] = events.leaf_hash(
                events.sealed_event(pending.event, event_id, received_at, submitted_by, openings, pseudonyms))
        except events.UnsentPersonalFieldError as e:
            expected, detail = None, f"{e}: the leaf cannot commit to it and be the hash of the event sent"
        except events.MissingPseudonymError as e:
            expected, detail = None, str(e)
        if expected is not None and not openings and duplicate:
            # A replay after the data subject's erasure has no openings left to give: it cannot be checked,
            # so a mismatch is reported like any other, never accepted.
            detail = ("the answer carries no openings: if the tenant's data policy made values of this event "
                      "personal and they have since been erased, this replayed receipt cannot be verified "
                      "by the client")
        if expected is None or not isinstance(reported, str) or reported.lower() != expected:
            violation = ReceiptMismatchError(client_event_id, event_id, expected, reported, detail)
            if self._on_integrity_violation is not None:
                try:
                    self._on_integrity_violation(violation)
                except Exception:
                    _log.exception("on_integrity_violation callback failed")
            _log.error("%s", violation)
            self._fail(pending, violation, "failed")
            return
        self._settle(pending, lambda f: f.set_result(Receipt(
            event_id=event_id, leaf_hash=expected, received_at=received_at, submitted_by=submitted_by,
            client_event_id=client_event_id, duplicate=duplicate)), "sent")

    def _fail_batch(self, batch: List[_Pending], error: AuditClientError, counter: str) -> None:
        for pending in batch:
            self._fail(pending, error, counter)

    def _fail(self, pending: _Pending, error: BaseException, counter: str) -> None:
        if isinstance(error, DeliveryFailedError):
            # Named by the key and time it was sent with, so that the caller can log it again as the same event.
            error = error.of_event(pending.event["clientEventId"], events.parse_timestamp(pending.event["occurredAt"]))
        self._settle(pending, lambda f: f.set_exception(error), counter)

    def _settle(self, pending: _Pending, complete: Callable[[Future], None], counter: str) -> None:
        with self._metrics_lock:
            # Claimed under the lock: close() may race the sender when the sender overran its deadline.
            if pending.settled:
                return
            pending.settled = True
            self._metrics["queued"] -= 1
            self._metrics[counter] += 1
        complete(pending.future)

    def _pause(self, seconds: float, give_up_at: float) -> bool:
        """Sleep before a retry; False when the retry would come after the delivery or close deadline."""
        wake_at = time.monotonic() + seconds
        if wake_at > give_up_at:
            return False
        while True:
            close_deadline = self._close_deadline
            if close_deadline is not None and wake_at > close_deadline:
                return False
            remaining = wake_at - time.monotonic()
            if remaining <= 0:
                return True
            if close_deadline is not None:
                time.sleep(remaining)
            else:
                self._close_requested.wait(remaining)  # wakes early on close() to check its deadline

    def _fail_leftovers(self) -> None:
        """After the sender stopped: fail whatever is still queued (only if close() ran out of time)."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, _Marker):
                item.done.set()
            else:
                self._fail(item, DeliveryFailedError("the AuditService was closed before the event "
                                                     "could be delivered"), "failed")

    def _count(self, name: str, delta: int = 1) -> None:
        with self._metrics_lock:
            self._metrics[name] += delta


def _read_quietly(error: urllib.error.HTTPError) -> Any:
    try:
        return json.loads(error.read().decode("utf-8"))
    except Exception:
        return None


def _problem_fields(problem: Any) -> Tuple[Optional[str], Optional[str], Optional[str]]:
    """(type, field, detail) of an RFC 9457 problem; the first field error is the most precise."""
    if not isinstance(problem, dict):
        return None, None, None
    problem_type, field, detail = problem.get("type"), problem.get("field"), problem.get("detail")
    errors = problem.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        field = errors[0].get("field") or field
        detail = errors[0].get("detail") or detail
    return problem_type, field, detail


def _rejection(status: int, problem: Any) -> EventRejectedError:
    problem_type, field, detail = _problem_fields(problem)
    return EventRejectedError(status, problem_type, field, detail)


def _retry_after_seconds(value: Optional[str]) -> float:
    """Retry-After as seconds to wait: delta-seconds or an HTTP date; 0 when absent or unreadable."""
    if not value:
        return 0.0
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - datetime.now(timezone.utc)).total_seconds())
