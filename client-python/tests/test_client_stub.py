"""AuditService against a local stub of the batch endpoint: batching, retries, refusals, receipt checks.

Every wait has a deadline (Future.result(timeout=...), Event.wait(timeout)), so a broken client fails
these tests instead of hanging them.
"""

import json
import os
import subprocess
import tempfile
import sys
import threading
import time
import unittest
import urllib.request
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stenographer_audit import (AuditClientError, AuditService, DeliveryFailedError, EventRejectedError,  # noqa: E402
                                IdempotencyConflictError, QueueFullError, Receipt, ReceiptMismatchError)
from stenographer_audit import client as client_module  # noqa: E402
from stenographer_audit import events  # noqa: E402

WAIT = 15  # seconds; generous deadline for anything that should happen promptly


class StubService:
    """A batch endpoint that records every request and answers as its ``responder`` says.

    The responder gets (stub, request number, parsed body) and returns (status, headers, body bytes or
    JSON-able), or None for the honest answer: created (duplicate for a known clientEventId) with the
    leaf hash computed by the package's own jcs.
    """

    def __init__(self, responder=None):
        self.responder = responder
        self.requests = []          # (monotonic arrival time, headers, parsed body)
        self.receipts = {}          # clientEventId -> honest item
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                arrived = time.monotonic()
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with stub.arrived:
                    number = len(stub.requests)
                    stub.requests.append((arrived, dict(self.headers), body))
                    stub.arrived.notify_all()
                answer = stub.responder(stub, number, body) if stub.responder else None
                if answer is None:
                    answer = (200, {}, stub.honest_answer(body))
                status, headers, payload = answer
                if payload == "DROP":  # close the connection without answering
                    self.close_connection = True
                    return
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def honest_item(self, index, event):
        with self.lock:
            known = self.receipts.get(event["clientEventId"])
            if known is not None:
                return dict(known, index=index, status="duplicate")
            item = {"index": index, "status": "created", "id": str(uuid.uuid4()),
                    "receivedAt": events.format_timestamp(datetime.now(timezone.utc)),
                    "submittedBy": "stub-writer@http://stub-issuer"}
            item["leafHash"] = events.leaf_hash(
                events.sealed_event(event, item["id"], item["receivedAt"], item["submittedBy"]))
            self.receipts[event["clientEventId"]] = item
            return item

    def honest_answer(self, body):
        items = [self.honest_item(i, event) for i, event in enumerate(body["events"])]
        count = lambda status: sum(1 for item in items if item["status"] == status)  # noqa: E731
        return {"created": count("created"), "duplicates": count("duplicate"), "rejected": 0, "conflicts": 0,
                "items": items}

    def client_event_ids(self, number):
        return [event["clientEventId"] for event in self.requests[number][2]["events"]]

    def wait_for_requests(self, count, timeout=WAIT):
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.requests) >= count, timeout)


class StubTestCase(unittest.TestCase):

    def temporary_directory(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        return directory.name

    def start(self, responder=None, **options):
        stub = StubService(responder)
        self.addCleanup(stub.stop)
        settings = dict(base_url=stub.url, tenant="demo", application="case-portal", token="secret-token",
                        linger_seconds=0.01, opener=urllib.request.build_opener(urllib.request.ProxyHandler({})))
        settings.update(options)
        audit = AuditService(**settings)
        self.addCleanup(audit.close, 5)  # runs before stub.stop (cleanups are last in, first out)
        return stub, audit


class RetryTest(StubTestCase):

    def test_503_with_retry_after_is_retried_with_the_same_keys_no_sooner_than_asked(self):
        def responder(stub, number, body):
            if number < 2:
                return 503, {"Retry-After": "1"}, {"type": "about:blank", "status": 503}
            return None
        stub, audit = self.start(responder)
        futures = [audit.log_event("officer-17", "case.view", {"caseId": f"C-{i}"}) for i in range(2)]
        receipts = [future.result(timeout=WAIT) for future in futures]

        self.assertEqual(3, len(stub.requests))
        first_ids = stub.client_event_ids(0)
        self.assertEqual(2, len(first_ids))
        self.assertEqual(first_ids, stub.client_event_ids(1))
        self.assertEqual(first_ids, stub.client_event_ids(2))
        self.assertEqual(stub.requests[0][2], stub.requests[2][2])  # the very same body
        self.assertGreaterEqual(stub.requests[1][0] - stub.requests[0][0], 1.0)
        self.assertGreaterEqual(stub.requests[2][0] - stub.requests[1][0], 1.0)
        self.assertEqual(first_ids, [receipt.client_event_id for receipt in receipts])
        self.assertFalse(any(receipt.duplicate for receipt in receipts))
        metrics = audit.metrics()
        self.assertEqual(2, metrics["retried"])
        self.assertEqual(2, metrics["sent"])
        self.assertEqual(0, metrics["queued"])

    def test_a_dropped_connection_is_retried_and_an_event_already_recorded_comes_back_duplicate(self):
        def responder(stub, number, body):
            if number == 0:
                stub.honest_answer(body)  # recorded, but the answer is lost
                return 200, {}, "DROP"
            return None
        stub, audit = self.start(responder)
        receipt = audit.log_event("officer-17", "case.view").result(timeout=WAIT)
        self.assertTrue(receipt.duplicate)
        self.assertEqual(2, len(stub.requests))
        self.assertEqual(stub.client_event_ids(0), stub.client_event_ids(1))
        self.assertEqual(1, audit.metrics()["retried"])

    def test_delivery_fails_after_max_retry_seconds(self):
        stub, audit = self.start(lambda stub, number, body: (503, {}, {"status": 503}), max_retry_seconds=0.5)
        future = audit.log_event("officer-17", "case.view")
        with self.assertRaises(DeliveryFailedError) as caught:
            future.result(timeout=WAIT)
        self.assertIn("503", str(caught.exception))
        self.assertEqual(stub.client_event_ids(0), [caught.exception.client_event_id])
        self.assertGreaterEqual(len(stub.requests), 2)
        metrics = audit.metrics()
        self.assertEqual(len(stub.requests) - 1, metrics["retried"])
        self.assertEqual(1, metrics["failed"])


    def test_an_undelivered_event_logged_again_with_its_key_and_time_is_recorded_once(self):
        busy = threading.Event()
        busy.set()

        def responder(stub, number, body):
            if number == 0:
                stub.honest_answer(body)  # recorded, but the answer is lost ...
            if busy.is_set():
                return 503, {}, {"status": 503}  # ... and the service stays busy past the deadline
            return None
        stub, audit = self.start(responder, max_retry_seconds=0.3)
        with self.assertRaises(DeliveryFailedError) as caught:
            audit.log_event("officer-17", "case.view", {"case": "C-1"}).result(timeout=WAIT)
        error = caught.exception
        self.assertTrue(error.client_event_id.startswith("py-"))
        self.assertIsNotNone(error.occurred_at.tzinfo)
        busy.clear()

        receipt = audit.log_event("officer-17", "case.view", {"case": "C-1"}, client_event_id=error.client_event_id,
                                  occurred_at=error.occurred_at).result(timeout=WAIT)

        self.assertTrue(receipt.duplicate, "recorded once: the retry is the same event")
        self.assertEqual(error.client_event_id, receipt.client_event_id)
        self.assertEqual(stub.requests[0][2], stub.requests[-1][2], "the same event, time included")


class RefusalTest(StubTestCase):

    def test_401_is_final_and_sent_once(self):
        problem = {"type": "urn:stenographer:problem:unauthenticated", "title": "Unauthenticated", "status": 401,
                   "detail": "the bearer token has expired"}
        stub, audit = self.start(lambda stub, number, body: (401, {}, problem))
        future = audit.log_event("officer-17", "case.view")
        with self.assertRaises(EventRejectedError) as caught:
            future.result(timeout=WAIT)
        error = caught.exception
        self.assertEqual(401, error.status)
        self.assertEqual("urn:stenographer:problem:unauthenticated", error.problem_type)
        self.assertEqual("the bearer token has expired", error.detail)
        self.assertTrue(audit.flush(timeout=WAIT))
        self.assertEqual(1, len(stub.requests))
        self.assertEqual("Bearer secret-token", stub.requests[0][1]["Authorization"])
        self.assertEqual("application/json", stub.requests[0][1]["Content-Type"])
        self.assertEqual({"queued": 0, "sent": 0, "retried": 0, "rejected": 1, "failed": 0}, audit.metrics())

    def test_400_names_the_field_and_is_not_retried(self):
        problem = {"type": "urn:stenographer:problem:validation-failed", "status": 400,
                   "detail": "events: must not be empty", "field": "events",
                   "errors": [{"field": "events", "detail": "must not be empty"}]}
        stub, audit = self.start(lambda stub, number, body: (400, {}, problem))
        with self.assertRaises(EventRejectedError) as caught:
            audit.log_event_and_wait("officer-17", "case.view", timeout=WAIT)
        self.assertEqual((400, "events", "must not be empty"),
                         (caught.exception.status, caught.exception.field, caught.exception.detail))
        self.assertEqual(1, len(stub.requests))

    def test_per_item_results_created_rejected_conflict(self):
        def responder(stub, number, body):
            first = stub.honest_item(0, body["events"][0])
            return 200, {}, {"created": 1, "duplicates": 0, "rejected": 1, "conflicts": 1, "items": [
                first,
                {"index": 1, "status": "rejected", "problem": {
                    "type": "urn:stenographer:problem:validation-failed", "status": 400,
                    "detail": "events[1].source.ip: must be an IPv4 or IPv6 address literal",
                    "field": "events[1].source.ip",
                    "errors": [{"field": "events[1].source.ip",
                                "detail": "must be an IPv4 or IPv6 address literal"}]}},
                {"index": 2, "status": "conflict", "id": "019ac4c2-55a1-7c3e-9b6d-2f1e0c8a7b11", "problem": {
                    "type": "urn:stenographer:problem:idempotency-conflict", "status": 409,
                    "field": "clientEventId", "errors": [{"field": "clientEventId", "detail": "'k-3' already "
                                                          "identifies event 019ac4c2 with different content"}]}},
            ]}
        stub, audit = self.start(responder, batch_size=3, linger_seconds=60)
        created = audit.log_event("officer-17", "case.view")
        rejected = audit.log_event("officer-17", "case.view", source_ip="not-an-ip")
        conflict = audit.log_event("officer-17", "case.view", client_event_id="k-3")

        self.assertIsInstance(created.result(timeout=WAIT), Receipt)
        with self.assertRaises(EventRejectedError) as caught:
            rejected.result(timeout=WAIT)
        self.assertEqual((400, "events[1].source.ip", "urn:stenographer:problem:validation-failed"),
                         (caught.exception.status, caught.exception.field, caught.exception.problem_type))
        with self.assertRaises(IdempotencyConflictError) as caught:
            conflict.result(timeout=WAIT)
        self.assertEqual("k-3", caught.exception.client_event_id)
        self.assertEqual("019ac4c2-55a1-7c3e-9b6d-2f1e0c8a7b11", caught.exception.existing_event_id)
        self.assertEqual({"queued": 0, "sent": 1, "retried": 0, "rejected": 2, "failed": 0}, audit.metrics())


class ReceiptCheckTest(StubTestCase):

    def test_a_wrong_leaf_hash_fails_the_event_and_calls_the_integrity_callback(self):
        def responder(stub, number, body):
            answer = stub.honest_answer(body)
            answer["items"][0]["leafHash"] = "00" * 32
            return 200, {}, answer
        violations = []
        stub, audit = self.start(responder, on_integrity_violation=violations.append)
        with self.assertLogs("stenographer_audit", "ERROR"), self.assertRaises(ReceiptMismatchError) as caught:
            audit.log_event("officer-17", "case.export", {"rows": 1}).result(timeout=WAIT)
        self.assertEqual([caught.exception], violations)
        self.assertEqual("00" * 32, caught.exception.reported_leaf_hash)
        self.assertEqual(stub.client_event_ids(0)[0], caught.exception.client_event_id)
        self.assertEqual(1, audit.metrics()["failed"])

    def test_a_receipt_for_other_sealed_fields_is_also_a_mismatch(self):
        def responder(stub, number, body):
            answer = stub.honest_answer(body)
            answer["items"][0]["submittedBy"] = "someone-else@http://stub-issuer"  # hash no longer fits
            return 200, {}, answer
        stub, audit = self.start(responder)
        with self.assertLogs("stenographer_audit", "ERROR"), self.assertRaises(ReceiptMismatchError):
            audit.log_event("officer-17", "case.view").result(timeout=WAIT)

    def test_a_receipt_with_malformed_sealed_fields_is_a_protocol_error_even_when_its_hash_fits(self):
        for field, value, words in (("id", None, "'id' must be a UUID"),
                                    ("id", "ORDER-42", "'id' must be a UUID"),
                                    ("id", str(uuid.uuid4()).upper(), "'id' must be a UUID"),
                                    ("receivedAt", "yesterday", "'receivedAt' must be"),
                                    ("receivedAt", "2026-12-07T12:00:00Z", "'receivedAt' must be"),
                                    ("receivedAt", "2026-02-30T12:00:00.000000Z", "not a real date"),
                                    ("submittedBy", "", "'submittedBy' must be"),
                                    ("submittedBy", 7, "'submittedBy' must be")):
            with self.subTest(field=field, value=value):
                def responder(stub, number, body):
                    answer = stub.honest_answer(body)
                    item = answer["items"][0]
                    item[field] = value
                    # A service that seals what it answers: the hash fits the malformed values.
                    item["leafHash"] = events.leaf_hash(events.sealed_event(
                        body["events"][0], item["id"], item["receivedAt"], item["submittedBy"]))
                    return 200, {}, answer
                violations = []
                stub, audit = self.start(responder, on_integrity_violation=violations.append)
                with self.assertRaises(AuditClientError) as caught:
                    audit.log_event("officer-17", "case.view").result(timeout=WAIT)
                self.assertIs(AuditClientError, type(caught.exception))
                self.assertIn("is not readable", str(caught.exception))
                self.assertIn(words, str(caught.exception))
                self.assertEqual([], violations)
                self.assertEqual(1, audit.metrics()["failed"])

    def test_honest_receipts_carry_what_the_service_sealed(self):
        stub, audit = self.start()
        metadata = {"ratio": 0.5, "big": 1e21, "tiny": 1e-7, "whole": 100.0, "flag": True, "none": None,
                    "names": ["\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432", "\u674e\u5c0f\u9f99"],
                    "nested": {"\u20ac": [1, {"\U0001F600": "x"}]}, "ctrl": "a\tb\u0001"}
        receipt = audit.log_event_and_wait("officer-17", "case.export", metadata, timeout=WAIT,
                                           actor_display_name="\u674e\u5c0f\u9f99", reason="audit")
        item = stub.receipts[receipt.client_event_id]
        self.assertEqual(Receipt(event_id=item["id"], leaf_hash=item["leafHash"], received_at=item["receivedAt"],
                                 submitted_by=item["submittedBy"], client_event_id=receipt.client_event_id,
                                 duplicate=False), receipt)


class BatchingTest(StubTestCase):

    def test_a_full_batch_goes_at_once_without_waiting_for_linger(self):
        stub, audit = self.start(batch_size=3, linger_seconds=60)
        started = time.monotonic()
        futures = [audit.log_event("officer-17", "case.view", {"i": i}) for i in range(3)]
        receipts = [future.result(timeout=WAIT) for future in futures]
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(1, len(stub.requests))
        self.assertEqual([receipt.client_event_id for receipt in receipts], stub.client_event_ids(0))
        self.assertEqual([{"i": 0}, {"i": 1}, {"i": 2}], [e["metadata"] for e in stub.requests[0][2]["events"]])

    def test_linger_sends_a_partial_batch(self):
        stub, audit = self.start(batch_size=100, linger_seconds=0.2)
        futures = [audit.log_event("officer-17", "case.view") for _ in range(2)]
        for future in futures:
            future.result(timeout=WAIT)
        self.assertEqual(1, len(stub.requests))
        self.assertEqual(2, len(stub.requests[0][2]["events"]))

    def exit_without_closing(self, stub, close_at_exit):
        # An application of its own that queues events behind a long linger and exits without close().
        script = ("import sys, urllib.request\n"
                  "from stenographer_audit import AuditService\n"
                  "audit = AuditService(sys.argv[1], 'demo', 'case-portal', token='secret-token', linger_seconds=60,"
                  " batch_size=100, close_at_exit=sys.argv[2] == 'yes',"
                  " opener=urllib.request.build_opener(urllib.request.ProxyHandler({})))\n"
                  "for i in range(5):\n"
                  "    audit.log_event('officer-%d' % i, 'case.view')\n")
        done = subprocess.run([sys.executable, "-c", script, stub.url, "yes" if close_at_exit else "no"],
                              cwd=str(Path(__file__).resolve().parents[1]), capture_output=True, timeout=60)
        self.assertEqual(0, done.returncode, done.stderr.decode("utf-8", "replace"))

    def test_events_still_queued_when_the_interpreter_exits_are_delivered_on_the_way_out(self):
        stub, _ = self.start()
        self.exit_without_closing(stub, close_at_exit=True)
        # The process has exited: whatever the stub holds was delivered by its exit handler.
        self.assertEqual(5, sum(len(body["events"]) for _, _, body in stub.requests))

    def test_without_the_exit_handler_they_are_lost_which_is_why_it_is_on_by_default(self):
        stub, _ = self.start()
        self.exit_without_closing(stub, close_at_exit=False)
        self.assertEqual([], stub.requests)

    @unittest.skipUnless(hasattr(os, "fork"), "needs os.fork")
    def test_a_forked_child_does_not_close_the_copy_it_inherited_when_it_exits(self):
        stub, _ = self.start()
        marker = Path(self.temporary_directory()) / "failed-in"
        # The parent queues an event and forks (as a pre-forking server does); the child exits normally, so its
        # exit handlers run. Only the parent may deliver the event: the child, without the sender thread, would
        # fail its copy at exit (and, with a full queue, wait for room that never comes).
        script = ("import os, sys, urllib.request\n"
                  "from stenographer_audit import AuditService\n"
                  "audit = AuditService(sys.argv[1], 'demo', 'case-portal', token='secret-token', linger_seconds=60,"
                  " batch_size=100, opener=urllib.request.build_opener(urllib.request.ProxyHandler({})))\n"
                  "future = audit.log_event('officer-1', 'case.view')\n"
                  "future.add_done_callback(lambda f: open(sys.argv[2] + '-' + str(os.getpid()), 'w').close()"
                  " if f.exception() is not None else None)\n"
                  "pid = os.fork()\n"
                  "if pid == 0:\n"
                  "    sys.exit(0)\n"
                  "os.waitpid(pid, 0)\n")
        done = subprocess.run([sys.executable, "-c", script, stub.url, str(marker)],
                              cwd=str(Path(__file__).resolve().parents[1]), capture_output=True, timeout=60)
        self.assertEqual(0, done.returncode, done.stderr.decode("utf-8", "replace"))
        self.assertEqual([], sorted(p.name for p in marker.parent.iterdir()), "no process failed the event")
        self.assertEqual(1, sum(len(body["events"]) for _, _, body in stub.requests))

    def test_flush_sends_what_is_queued_without_waiting_for_linger(self):
        stub, audit = self.start(batch_size=100, linger_seconds=60)
        futures = [audit.log_event("officer-17", "case.view") for _ in range(5)]
        started = time.monotonic()
        self.assertTrue(audit.flush(timeout=WAIT))
        self.assertLess(time.monotonic() - started, 10)
        self.assertTrue(all(future.done() for future in futures))
        self.assertEqual(1, len(stub.requests))

    def test_max_batch_bytes_starts_a_new_batch(self):
        stub, audit = self.start(batch_size=100, linger_seconds=60, max_batch_bytes=2000)
        futures = [audit.log_event("officer-17", "case.view", {"pad": "x" * 500}) for _ in range(6)]
        self.assertTrue(audit.flush(timeout=WAIT))
        for future in futures:
            future.result(timeout=0)
        sizes = [len(json.dumps(body, ensure_ascii=False, separators=(",", ":"))) for _, _, body in stub.requests]
        self.assertGreater(len(stub.requests), 1)
        self.assertTrue(all(size <= 2000 for size in sizes), sizes)
        sent = [cid for number in range(len(stub.requests)) for cid in stub.client_event_ids(number)]
        self.assertEqual([future.result(timeout=0).client_event_id for future in futures], sent)  # in order

    def test_close_delivers_what_is_queued_and_refuses_more(self):
        stub, audit = self.start(batch_size=100, linger_seconds=60)
        futures = [audit.log_event("officer-17", "case.view") for _ in range(4)]
        audit.close(timeout=WAIT)
        self.assertTrue(all(isinstance(future.result(timeout=0), Receipt) for future in futures))
        with self.assertRaises(AuditClientError):
            audit.log_event("officer-17", "case.view")

    def test_token_supplier_is_asked_for_every_request(self):
        tokens = iter(["t-1", "t-2", "t-3"])

        def responder(stub, number, body):
            return (503, {}, {}) if number == 0 else None
        stub, audit = self.start(responder, token=None, token_supplier=lambda: next(tokens))
        audit.log_event("officer-17", "case.view").result(timeout=WAIT)
        self.assertEqual(["Bearer t-1", "Bearer t-2"], [headers["Authorization"] for _, headers, _ in stub.requests])


class QueueFullTest(StubTestCase):

    def test_log_event_raises_queue_full_after_waiting_for_room(self):
        release = threading.Event()

        def responder(stub, number, body):
            release.wait(WAIT)  # hold the sender in its request so the queue cannot drain
            return None
        original = client_module.QUEUE_CAPACITY
        client_module.QUEUE_CAPACITY = 2
        try:
            stub, audit = self.start(responder, batch_size=1)
        finally:
            client_module.QUEUE_CAPACITY = original
        self.addCleanup(release.set)
        audit._block_timeout = 0.2
        first = audit.log_event("officer-17", "case.view")
        self.assertTrue(stub.wait_for_requests(1))
        queued = [audit.log_event("officer-17", "case.view") for _ in range(2)]
        with self.assertRaises(QueueFullError):
            audit.log_event("officer-17", "case.view")
        self.assertEqual(1, audit.metrics()["failed"])
        release.set()
        for future in [first] + queued:
            future.result(timeout=WAIT)


if __name__ == "__main__":
    unittest.main()
