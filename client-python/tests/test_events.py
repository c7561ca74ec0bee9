"""What log_event refuses before anything is sent, and the wire shape of what it sends."""

import enum
import sys
import unittest
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stenographer_audit import InvalidEventError  # noqa: E402
from stenographer_audit import events  # noqa: E402


def build(**overrides):
    fields = dict(tenant="demo", application="case-portal", user_id="officer-17", action="case.view")
    fields.update(overrides)
    return events.build_event(**fields)


class Color(enum.IntEnum):
    RED = 1


class BuildEventTest(unittest.TestCase):

    def test_minimal_event_has_exactly_the_required_members(self):
        event = build(occurred_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
        client_event_id = event["clientEventId"]
        self.assertTrue(client_event_id.startswith("py-"))
        self.assertEqual({
            "tenant": "demo", "actor": {"id": "officer-17", "type": "user"}, "action": "case.view",
            "outcome": "success", "occurredAt": "2026-01-02T03:04:05.000000Z",
            "source": {"application": "case-portal"}, "metadata": {}, "clientEventId": client_event_id,
        }, event)

    def test_every_optional_member(self):
        event = build(metadata={"caseId": "C-1"}, resource_type="case", resource_id="C-1", reason="FOIA 88",
                      outcome="denied", actor_type="service", actor_display_name="Ivan",
                      source_ip="2001:db8::1", user_agent="curl/8", correlation_id="req-1",
                      client_event_id="k-1",
                      occurred_at=datetime(2026, 1, 2, 5, 4, 5, 123456, tzinfo=timezone(timedelta(hours=2))))
        self.assertEqual({
            "tenant": "demo", "actor": {"id": "officer-17", "type": "service", "displayName": "Ivan"},
            "action": "case.view", "resource": {"type": "case", "id": "C-1"}, "reason": "FOIA 88",
            "outcome": "denied", "occurredAt": "2026-01-02T03:04:05.123456Z",
            "source": {"application": "case-portal", "ip": "2001:db8::1", "userAgent": "curl/8"},
            "correlationId": "req-1", "metadata": {"caseId": "C-1"}, "clientEventId": "k-1",
        }, event)

    def test_default_occurred_at_is_now_in_utc_with_six_fraction_digits(self):
        before = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=1)
        stamp = build()["occurredAt"]
        self.assertRegex(stamp, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        parsed = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
        self.assertLessEqual(before, parsed)

    def test_each_event_gets_its_own_idempotency_key(self):
        self.assertNotEqual(build()["clientEventId"], build()["clientEventId"])

    def test_metadata_is_copied_into_plain_json_types(self):
        metadata = {"tuple": (1, 2), "enum": Color.RED, "nested": {"list": [0.5]}}
        event = build(metadata=metadata)
        metadata["nested"]["list"].append("changed later")
        self.assertEqual({"tuple": [1, 2], "enum": 1, "nested": {"list": [0.5]}}, event["metadata"])
        self.assertIs(int, type(event["metadata"]["enum"]))


class RefusalTest(unittest.TestCase):

    def assert_refused(self, field, **overrides):
        with self.assertRaises(InvalidEventError) as caught:
            build(**overrides)
        self.assertEqual(field, caught.exception.field)
        self.assertTrue(caught.exception.detail)
        return caught.exception

    def test_actions_that_are_not_dotted_lower_case(self):
        for action in ("Case.View", "case", "case.", ".case", "case..view", "case view", "1case.view",
                       "case.View", "c" * 120 + ".view12345"):
            with self.subTest(action=action):
                self.assert_refused("action", action=action)
        self.assertEqual("is required", self.assert_refused("action", action=" ").detail)
        build(action="case_1.sub-part.x9")
        build(action="a" * 64 + "." + "b" * 63)  # exactly 128

    def test_user_id_is_required(self):
        for user_id in ("", "   ", None):
            with self.subTest(user_id=user_id):
                self.assertEqual("is required", self.assert_refused("actor.id", user_id=user_id).detail)

    def test_outcome_and_actor_type(self):
        self.assert_refused("outcome", outcome="ok")
        self.assert_refused("actor.type", actor_type="robot")

    def test_naive_occurred_at(self):
        self.assert_refused("occurredAt", occurred_at=datetime(2026, 1, 1))

    def test_integers_beyond_two_to_the_53_name_their_path(self):
        self.assert_refused("metadata.rows", metadata={"rows": 2 ** 53 + 1})
        self.assert_refused("metadata.a.b[1]", metadata={"a": {"b": [1, -(2 ** 60)]}})
        build(metadata={"max": 2 ** 53, "min": -(2 ** 53)})

    def test_metadata_values_json_cannot_hold(self):
        self.assert_refused("metadata.x", metadata={"x": float("nan")})
        self.assert_refused("metadata.x[0]", metadata={"x": [float("inf")]})
        self.assert_refused("metadata", metadata={1: "one"})
        self.assert_refused("metadata.when", metadata={"when": datetime.now(timezone.utc)})
        self.assert_refused("metadata", metadata=["not", "a", "mapping"])


if __name__ == "__main__":
    unittest.main()
