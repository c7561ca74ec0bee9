"""The client against a real Stenographer service; skipped unless STENOGRAPHER_URL is set.

    STENOGRAPHER_URL=http://localhost:8080 STENOGRAPHER_TOKEN=... STENOGRAPHER_TENANT=acme \
        python3 -m unittest discover -s client-python/tests -v

Every receipt's leaf hash is recomputed by the client from what it sent plus what the service sealed,
so a passing run shows that this package's RFC 8785 canonical form agrees with the service's.
"""

import os
import sys
import unittest
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stenographer_audit import (AuditService, IdempotencyConflictError, InvalidEventError,  # noqa: E402
                                Receipt)

URL = os.environ.get("STENOGRAPHER_URL")
WAIT = 120  # seconds for any one answer from the service
RUSSIAN = "\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432"   # Иван Петров
CHINESE = "\u674e\u5c0f\u9f99"                                                # 李小龙


@unittest.skipUnless(URL, "set STENOGRAPHER_URL (with STENOGRAPHER_TOKEN, STENOGRAPHER_TENANT) to run")
class AgainstServiceTest(unittest.TestCase):

    def test_round_trip_against_the_service(self):
        token = os.environ.get("STENOGRAPHER_TOKEN")
        if not token:
            self.fail("STENOGRAPHER_URL is set but STENOGRAPHER_TOKEN is not")
        tenant = os.environ.get("STENOGRAPHER_TENANT") or "acme"
        violations = []
        # The service's batch limit, when it runs with a smaller one than the default 1 MiB.
        max_batch_bytes = int(os.environ.get("STENOGRAPHER_MAX_BATCH_BYTES") or 1_000_000)
        audit = AuditService(base_url=URL, tenant=tenant, application="python-client-test", token=token,
                             max_batch_bytes=max_batch_bytes, max_retry_seconds=60,
                             on_integrity_violation=violations.append)
        self.addCleanup(audit.close, 30)
        run = uuid.uuid4().hex[:12]

        # 30 events in one or a few batches, covering every optional member and awkward metadata.
        futures = []
        for i in range(30):
            fields = {}
            if i % 3 == 0:
                fields.update(resource_type="case", resource_id=f"C-{run}-{i}", reason="FOIA request 88",
                              correlation_id=f"py-it-{run}")
            if i % 3 == 1:
                fields.update(actor_display_name=RUSSIAN if i % 2 else CHINESE,
                              source_ip="192.0.2.10" if i % 2 else "2001:db8::7",
                              user_agent="stenographer-audit-python/0.1")
            if i % 5 == 0:
                fields.update(outcome="denied", actor_type="service")
            metadata = {
                "run": run, "i": i, "ratio": 0.5, "negative": -2.25, "tiny": 1e-7, "huge": 1e21,
                "whole": 100.0, "max": 2 ** 53, "flag": i % 2 == 0, "nothing": None,
                "nested": {"level": {"deeper": [1, 2.5, True, None, {"k": "v"}]}, "empty": {}},
                "list": ["a", 1, False, [], ["x", "y"]],
                "names": [RUSSIAN, CHINESE], "mixed": f"{RUSSIAN} / {CHINESE} \U0001F600 \u00e9\t\"q\" \\",
                "\u20ac": "euro key", "\U0001F600": "emoji key", "\ufb33": "dalet key",
            }
            futures.append(audit.log_event(f"py-user-{i % 4}", "case.view", metadata, **fields))
        receipts = [future.result(timeout=WAIT) for future in futures]

        self.assertEqual([], violations)
        self.assertEqual(30, len({receipt.event_id for receipt in receipts}))
        for receipt in receipts:
            self.assertIsInstance(receipt, Receipt)
            uuid.UUID(receipt.event_id)
            self.assertRegex(receipt.leaf_hash, r"^[0-9a-f]{64}$")
            self.assertRegex(receipt.received_at, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
            self.assertTrue(receipt.submitted_by)
            self.assertTrue(receipt.client_event_id.startswith("py-"))
            self.assertFalse(receipt.duplicate)

        # The same key and content again: the service answers with the first receipt.
        key = f"py-it-dup-{run}"
        occurred = datetime.now(timezone.utc)
        same = dict(client_event_id=key, occurred_at=occurred, reason="logged twice", timeout=WAIT)
        first = audit.log_event_and_wait("py-user-dup", "case.export", {"attempt": "same", "n": 0.5}, **same)
        second = audit.log_event_and_wait("py-user-dup", "case.export", {"attempt": "same", "n": 0.5}, **same)
        self.assertFalse(first.duplicate)
        self.assertTrue(second.duplicate)
        self.assertEqual(first.event_id, second.event_id)
        self.assertEqual(first.leaf_hash, second.leaf_hash)
        self.assertEqual(first.received_at, second.received_at)

        # The same key with other content is a conflict naming the first event.
        with self.assertRaises(IdempotencyConflictError) as conflict:
            audit.log_event_and_wait("py-user-dup", "case.export", {"attempt": "different"}, **same)
        self.assertEqual(first.event_id, conflict.exception.existing_event_id)

        # An invalid action is refused before anything is queued or sent.
        before = audit.metrics()
        with self.assertRaises(InvalidEventError) as invalid:
            audit.log_event("py-user-0", "Case View")
        self.assertEqual("action", invalid.exception.field)
        self.assertTrue(audit.flush(timeout=WAIT))
        after = audit.metrics()
        self.assertEqual(before, after)

        self.assertEqual({"queued": 0, "sent": 32, "retried": after["retried"], "rejected": 1, "failed": 0},
                         after)
        self.assertEqual([], violations)
        count = len(receipts) + 2
        print(f"PYTHON CLIENT OK {count} receipts", flush=True)


if __name__ == "__main__":
    unittest.main()
