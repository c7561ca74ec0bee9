"""Receipts of stenographer.event/v2 events: personal values committed to under openings the service returns.

The service takes each personal value out of the event and puts a commitment in its place:
SHA-256("stenographer.commitment/v1" 0x00 || opening || path || 0x00 || JCS(value)). It returns the random
openings to the writer, which rebuilds the sealed event and checks the leaf hash as it does for v1.
A personal identifier (actor.id, resource.id) stays in the event as a keyed pseudonym, which the answer's
``pseudonyms`` member gives the writer to copy in.
"""

import copy
import hashlib
import os
import sys
import unittest
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stenographer_audit import AuditClientError, ReceiptMismatchError, jcs  # noqa: E402
from stenographer_audit import events  # noqa: E402
from test_client_stub import WAIT, StubTestCase  # noqa: E402

DEFAULT_POLICY = ("actor.displayName", "source.ip", "source.userAgent")

# ---- the cross-check vector: the same bytes as PersonalDataReceiptTest in the Java client module ----------
# The request the Java client sends for PersonalDataReceiptTest.crossCheckDraft() (its canonical form).
CROSS_CHECK_REQUEST = (
    '{"action":"patient.record.viewed","actor":{"displayName":"J\u00e4ne \u674e Canary","id":"u-17",'
    '"type":"user"},"clientEventId":"k-cross-check","correlationId":"corr-1","metadata":{"email":'
    '"jane@example.org","tags":{"a":"\u00e9\u674e","z":[true,null,1.5]},"ward":"4B"},"occurredAt":'
    '"2026-03-01T10:15:30.123456Z","outcome":"success","reason":"treatment","resource":{"id":"p-9",'
    '"type":"patient"},"source":{"application":"ehr","ip":"203.0.113.7","userAgent":"Mozilla/5.0 canary"},'
    '"tenant":"acme"}')
CROSS_CHECK_ID = "0190f2a4-6b7c-7d8e-9f00-112233445566"
CROSS_CHECK_RECEIVED_AT = "2026-03-01T10:15:31.000001Z"
CROSS_CHECK_SUBMITTER = "svc-ehr@https://idp.example"
# The personal fields in path order; field n (from 1) has the opening of 32 bytes of value n.
CROSS_CHECK_FIELDS = ("actor.displayName", "metadata.email", "metadata.tags", "reason", "source.ip",
                      "source.userAgent")
CROSS_CHECK_SOURCE_IP = "264d17d30fc4cf1daca803df74ebb5a7a44a8732353e314d9cc5446847854fc5"
CROSS_CHECK_LEAF_INPUT = (
    '{"action":"patient.record.viewed","actor":{"id":"u-17","type":"user"},"clientEventId":"k-cross-check",'
    '"correlationId":"corr-1","format":"stenographer.event/v2","id":"0190f2a4-6b7c-7d8e-9f00-112233445566",'
    '"metadata":{"ward":"4B"},"occurredAt":"2026-03-01T10:15:30.123456Z","outcome":"success","personal":{'
    '"actor.displayName":"7ec5df337720e2ae42fef60637b3fb6157928c04a60379c4daa18dd2dde9bc28",'
    '"metadata.email":"2fa0caae1aa619d3950355795df3e5345d10c17563371f35fc304de5bd4a1cdc",'
    '"metadata.tags":"7a67e04ccbf110b33cb9728fb07e9def988b6af002a1d1199a19bad9882969c1",'
    '"reason":"2885b2a1e5639efae0477c64f2215871697a3f2130f26d54521af0ce20207a7b",'
    '"source.ip":"264d17d30fc4cf1daca803df74ebb5a7a44a8732353e314d9cc5446847854fc5",'
    '"source.userAgent":"112aa11c827b20ec4aef17ffd9ed535f7845c1e49759fa38e6e6c5fbdc5244d5"},'
    '"receivedAt":"2026-03-01T10:15:31.000001Z","resource":{"id":"p-9","type":"patient"},'
    '"source":{"application":"ehr"},"submittedBy":"svc-ehr@https://idp.example","tenant":"acme"}')
CROSS_CHECK_LEAF_HASH = "157b09a5e67cc4f7fd6984527852728d29a3a054401d58510a9cae66bd2acff9"

# The second vector: the same event with actor.id personal too, under 32 bytes of 0x07, and this pseudonym.
CROSS_CHECK_ACTOR_ID_OPENING = bytes([7]) * 32
CROSS_CHECK_ACTOR_PSEUDONYM = "pseudonym:" + "ab" * 32
#: The commitment to actor.id "u-17" under 32 bytes of 0x07.
CROSS_CHECK_ACTOR_ID = "74c5efad9fe3bcbb10a5d5ffbf63d6c7695cddc5a34ef7b09f58cb739d76eca9"
CROSS_CHECK_IDENTIFIER_LEAF_INPUT = CROSS_CHECK_LEAF_INPUT.replace(
    '"actor":{"id":"u-17",', '"actor":{"id":"' + CROSS_CHECK_ACTOR_PSEUDONYM + '",').replace(
    '"personal":{"actor.displayName":"7ec5df337720e2ae42fef60637b3fb6157928c04a60379c4daa18dd2dde9bc28",',
    '"personal":{"actor.displayName":"7ec5df337720e2ae42fef60637b3fb6157928c04a60379c4daa18dd2dde9bc28",'
    '"actor.id":"' + CROSS_CHECK_ACTOR_ID + '",')
CROSS_CHECK_IDENTIFIER_LEAF_HASH = "cf454e78e42e092bd2907c1c537b0d2370e8bd473dd5e57803484ccc0985c070"


class CrossCheckVectorTest(unittest.TestCase):
    """Tied to the Java client (and so to the domain the service seals with) by the same bytes."""

    def openings(self):
        return {path: bytes([n]) * 32 for n, path in enumerate(CROSS_CHECK_FIELDS, start=1)}

    def test_the_java_vector_recomputes_to_the_same_leaf(self):
        import json
        sent = json.loads(CROSS_CHECK_REQUEST)
        self.assertEqual(CROSS_CHECK_REQUEST.encode("utf-8"), jcs.canonical_bytes(sent))
        sealed = events.sealed_event(sent, CROSS_CHECK_ID, CROSS_CHECK_RECEIVED_AT, CROSS_CHECK_SUBMITTER,
                                     self.openings())

        self.assertEqual(CROSS_CHECK_LEAF_INPUT.encode("utf-8"), jcs.canonical_bytes(sealed))
        self.assertEqual(CROSS_CHECK_SOURCE_IP, sealed["personal"]["source.ip"])
        self.assertEqual(CROSS_CHECK_LEAF_HASH, events.leaf_hash(sealed))
        self.assertEqual(json.loads(CROSS_CHECK_REQUEST), sent, "the event sent is left as it was")

    def test_the_second_vector_holds_the_actor_pseudonym_and_commits_to_the_real_id(self):
        import json
        sent = json.loads(CROSS_CHECK_REQUEST)
        openings = dict(self.openings(), **{"actor.id": CROSS_CHECK_ACTOR_ID_OPENING})
        sealed = events.sealed_event(sent, CROSS_CHECK_ID, CROSS_CHECK_RECEIVED_AT, CROSS_CHECK_SUBMITTER,
                                     openings, {"actor.id": CROSS_CHECK_ACTOR_PSEUDONYM})

        self.assertNotEqual(CROSS_CHECK_LEAF_INPUT, CROSS_CHECK_IDENTIFIER_LEAF_INPUT)
        self.assertEqual(CROSS_CHECK_IDENTIFIER_LEAF_INPUT.encode("utf-8"), jcs.canonical_bytes(sealed))
        by_hand = hashlib.sha256(b"stenographer.commitment/v1\x00" + b"\x07" * 32 + b"actor.id\x00"
                                 + b'"u-17"').hexdigest()
        self.assertEqual(CROSS_CHECK_ACTOR_ID, by_hand)
        self.assertEqual(CROSS_CHECK_ACTOR_ID, sealed["personal"]["actor.id"])
        self.assertEqual(CROSS_CHECK_IDENTIFIER_LEAF_HASH,
                         hashlib.sha256(b"\x00" + CROSS_CHECK_IDENTIFIER_LEAF_INPUT.encode("utf-8")).hexdigest())
        self.assertEqual(CROSS_CHECK_IDENTIFIER_LEAF_HASH, events.leaf_hash(sealed))
        self.assertEqual(json.loads(CROSS_CHECK_REQUEST), sent, "the event sent is left as it was")

    def test_the_commitment_is_over_domain_opening_path_and_canonical_value(self):
        opening = bytes([5]) * 32
        by_hand = hashlib.sha256(b"stenographer.commitment/v1\x00" + opening + b"source.ip\x00"
                                 + b'"203.0.113.7"').hexdigest()
        self.assertEqual(CROSS_CHECK_SOURCE_IP, by_hand)
        self.assertEqual(by_hand, events.commitment(opening, "source.ip", "203.0.113.7"))
        self.assertNotEqual(by_hand, events.commitment(opening, "reason", "203.0.113.7"))
        with self.assertRaises(ValueError):
            events.commitment(b"\x05" * 31, "source.ip", "203.0.113.7")


class OpeningsTest(unittest.TestCase):

    def test_fields_that_can_be_personal(self):
        for path in ("actor.id", "actor.displayName", "resource.id", "source.ip", "source.userAgent", "reason",
                     "metadata.email", "metadata.A_b-9", "metadata." + "k" * 64):
            self.assertTrue(events.is_personal_field(path), path)
        for path in ("actor.type", "resource.type", "source.application", "tenant", "metadata.", "metadata.a.b",
                     "metadata." + "k" * 65,
                     "metadata.\u00e9", "metadata.a\n", "Reason", None, 1):
            self.assertFalse(events.is_personal_field(path), path)

    def test_openings_are_read_strictly(self):
        hex_ = "ab" * 32
        self.assertEqual({}, events.parse_openings(None))
        self.assertEqual({"source.ip": b"\xab" * 32, "metadata.email": bytes(32)},
                         events.parse_openings({"source.ip": hex_, "metadata.email": "00" * 32}))
        self.assertEqual({"actor.id": b"\xab" * 32, "resource.id": bytes(32)},
                         events.parse_openings({"actor.id": hex_, "resource.id": "00" * 32}))
        for malformed in (hex_, {}, [], {"actor.type": hex_}, {"tenant": hex_}, {"metadata.a.b": hex_},
                          {"source.ip": hex_[2:]}, {"source.ip": hex_ + "00"}, {"source.ip": "AB" * 32},
                          {"source.ip": "g" * 64}, {"source.ip": 1}, {"source.ip": None},
                          {"source.ip": hex_ + "\n"}):
            with self.assertRaises(ValueError, msg=repr(malformed)):
                events.parse_openings(malformed)

    def test_without_openings_the_sealed_form_is_v1_byte_for_byte_as_before(self):
        sent = events.build_event(tenant="acme", application="ehr", user_id="u-1", action="case.view",
                                  actor_display_name="Jane", source_ip="203.0.113.7")
        sealed = events.sealed_event(sent, "id-1", "2026-01-01T00:00:00.000000Z", "w")
        self.assertEqual(dict(sent, format="stenographer.event/v1", id="id-1",
                              receivedAt="2026-01-01T00:00:00.000000Z", submittedBy="w"), sealed)

    def test_an_opening_for_a_field_not_sent_cannot_be_sealed(self):
        sent = events.build_event(tenant="acme", application="ehr", user_id="u-1", action="case.view",
                                  metadata={"none": None})
        for path in ("source.ip", "actor.displayName", "reason", "metadata.unsent"):
            with self.assertRaises(events.UnsentPersonalFieldError) as caught:
                events.sealed_event(sent, "id-1", "2026-01-01T00:00:00.000000Z", "w", {path: bytes(32)})
            self.assertEqual(path, caught.exception.path)
        # A metadata key whose value is null is sent, so it can be committed to.
        sealed = events.sealed_event(sent, "id-1", "2026-01-01T00:00:00.000000Z", "w",
                                     {"metadata.none": bytes(32)})
        self.assertEqual({}, sealed["metadata"])
        self.assertEqual(events.commitment(bytes(32), "metadata.none", None), sealed["personal"]["metadata.none"])
        self.assertEqual({"none": None}, sent["metadata"])


class PseudonymsTest(unittest.TestCase):
    """actor.id and resource.id made personal: the leaf holds a pseudonym there and commits to the real id."""

    ACTOR = "pseudonym:" + "ab" * 32
    RESOURCE = "pseudonym:" + "0f" * 32

    def test_pseudonyms_are_read_strictly(self):
        openings = {"actor.id": bytes(32), "source.ip": bytes(32)}
        self.assertEqual({}, events.parse_pseudonyms(None, openings))
        self.assertEqual({}, events.parse_pseudonyms(None, {}))
        self.assertEqual({"actor.id": self.ACTOR}, events.parse_pseudonyms({"actor.id": self.ACTOR}, openings))
        both = dict(openings, **{"resource.id": bytes(32)})
        self.assertEqual({"actor.id": self.ACTOR, "resource.id": self.RESOURCE},
                         events.parse_pseudonyms({"actor.id": self.ACTOR, "resource.id": self.RESOURCE}, both))
        for malformed, words in (
                ({}, "non-empty JSON object"), ([], "non-empty JSON object"), (self.ACTOR, "non-empty JSON object"),
                ({"resource.id": self.RESOURCE}, "'resource.id', which is not an identifier the answer has an opening"),
                ({"source.ip": self.ACTOR}, "'source.ip', which is not an identifier the answer has an opening"),
                ({"actor.id": "u-1"}, "must be 'pseudonym:' and 64 lower-case hex digits"),
                ({"actor.id": self.ACTOR.upper()}, "must be 'pseudonym:'"),
                ({"actor.id": "pseudonym:" + "AB" * 32}, "must be 'pseudonym:'"),
                ({"actor.id": "ab" * 32}, "must be 'pseudonym:'"),
                ({"actor.id": self.ACTOR[:-1]}, "must be 'pseudonym:'"),
                ({"actor.id": self.ACTOR + "0"}, "must be 'pseudonym:'"),
                ({"actor.id": self.ACTOR + "\n"}, "must be 'pseudonym:'"),
                ({"actor.id": None}, "must be 'pseudonym:'"), ({"actor.id": 1}, "must be 'pseudonym:'")):
            with self.subTest(malformed=malformed):
                with self.assertRaises(ValueError) as caught:
                    events.parse_pseudonyms(malformed, openings)
                self.assertIn(words, str(caught.exception))
        with self.assertRaises(ValueError):
            events.parse_pseudonyms({"actor.id": self.ACTOR}, {})

    def sent(self):
        return events.build_event(tenant="acme", application="ehr", user_id="u-17", action="case.view",
                                  resource_type="patient", resource_id="p-9", actor_display_name="Jane",
                                  source_ip="203.0.113.7", metadata={"ward": "4B"})

    def test_identifiers_are_replaced_by_their_pseudonyms_and_committed_to_by_their_real_values(self):
        sent = self.sent()
        before = copy.deepcopy(sent)
        openings = {"actor.id": b"\x01" * 32, "resource.id": b"\x02" * 32, "source.ip": b"\x03" * 32}
        sealed = events.sealed_event(sent, "id-1", "2026-01-01T00:00:00.000000Z", "w", openings,
                                     {"actor.id": self.ACTOR, "resource.id": self.RESOURCE})

        self.assertEqual("stenographer.event/v2", sealed["format"])
        self.assertEqual({"id": self.ACTOR, "type": "user", "displayName": "Jane"}, sealed["actor"])
        self.assertEqual({"id": self.RESOURCE, "type": "patient"}, sealed["resource"])
        self.assertEqual({"application": "ehr"}, sealed["source"])
        self.assertEqual({"actor.id": events.commitment(b"\x01" * 32, "actor.id", "u-17"),
                          "resource.id": events.commitment(b"\x02" * 32, "resource.id", "p-9"),
                          "source.ip": events.commitment(b"\x03" * 32, "source.ip", "203.0.113.7")},
                         sealed["personal"])
        self.assertEqual(hashlib.sha256(b"stenographer.commitment/v1\x00" + b"\x01" * 32 + b"actor.id\x00"
                                        + b'"u-17"').hexdigest(), sealed["personal"]["actor.id"])
        self.assertEqual(before, sent, "the event sent is left as it was")

    def test_an_identifier_committed_to_without_a_pseudonym_cannot_be_sealed(self):
        sent = self.sent()
        for openings, pseudonyms, missing in (({"actor.id": bytes(32)}, {}, "actor.id"),
                                              ({"actor.id": bytes(32)}, None, "actor.id"),
                                              ({"actor.id": bytes(32), "resource.id": bytes(32)},
                                               {"actor.id": self.ACTOR}, "resource.id")):
            with self.subTest(openings=sorted(openings), pseudonyms=pseudonyms):
                with self.assertRaises(events.MissingPseudonymError) as caught:
                    events.sealed_event(sent, "id-1", "2026-01-01T00:00:00.000000Z", "w", openings, pseudonyms)
                self.assertEqual(missing, caught.exception.path)
                self.assertIn("names no pseudonym", str(caught.exception))

    def test_an_opening_for_a_resource_id_not_sent_cannot_be_sealed(self):
        sent = events.build_event(tenant="acme", application="ehr", user_id="u-17", action="case.view",
                                  resource_type="patient")
        with self.assertRaises(events.UnsentPersonalFieldError) as caught:
            events.sealed_event(sent, "id-1", "2026-01-01T00:00:00.000000Z", "w", {"resource.id": bytes(32)},
                                {"resource.id": self.RESOURCE})
        self.assertEqual("resource.id", caught.exception.path)

    def test_a_pseudonym_is_only_for_an_identifier_that_has_an_opening(self):
        sent = self.sent()
        for openings, pseudonyms in (({}, {"actor.id": self.ACTOR}),
                                     ({"source.ip": bytes(32)}, {"source.ip": self.ACTOR}),
                                     ({"actor.id": bytes(32)}, {"actor.id": "u-17"})):
            with self.subTest(openings=sorted(openings), pseudonyms=pseudonyms):
                with self.assertRaises(ValueError):
                    events.sealed_event(sent, "id-1", "2026-01-01T00:00:00.000000Z", "w", openings, pseudonyms)


def stub_pseudonym(identifier):
    """The service keys its pseudonyms; a client only ever copies them, so any stable hash stands in."""
    return "pseudonym:" + hashlib.sha256(b"stub index key\x00" + identifier.encode("utf-8")).hexdigest()


def server_seal(event, policy, item):
    """What the service does under a data policy, written out independently of events.sealed_event.

    Returns (leaf hash, {path: opening hex}, {identifier path: pseudonym}).
    """
    sealed = copy.deepcopy(event)
    personal, openings, pseudonyms = {}, {}, {}
    for path in sorted(policy):
        if path == "reason":
            holder, key = sealed, "reason"
        elif path.startswith("metadata."):
            holder, key = sealed["metadata"], path[len("metadata."):]
        else:
            parent, key = path.split(".")
            holder = sealed.get(parent)
        if holder is None or key not in holder:
            continue
        opening = os.urandom(32)
        value = holder.pop(key)
        personal[path] = hashlib.sha256(b"stenographer.commitment/v1\x00" + opening + path.encode("utf-8")
                                        + b"\x00" + jcs.canonical_bytes(value)).hexdigest()
        openings[path] = opening.hex()
        if path in ("actor.id", "resource.id"):  # required and searched: kept as a pseudonym
            pseudonyms[path] = holder[key] = stub_pseudonym(value)
    sealed.update(format="stenographer.event/v2" if personal else "stenographer.event/v1", id=item["id"],
                  receivedAt=item["receivedAt"], submittedBy=item["submittedBy"])
    if personal:
        sealed["personal"] = personal
    return hashlib.sha256(b"\x00" + jcs.canonical_bytes(sealed)).hexdigest(), openings, pseudonyms


class PolicyService:
    """A responder for StubService that seals under a data policy and returns the openings, or lies about them."""

    def __init__(self, policy=DEFAULT_POLICY, lie=None):
        self.policy = policy
        self.lie = lie
        self.erased = False     # replays come back without openings, as after the subject's erasure
        self.items = []         # every created or duplicate item answered

    def __call__(self, stub, number, body):
        items = [self.item(stub, index, event) for index, event in enumerate(body["events"])]
        self.items.extend(items)
        return 200, {}, {"items": items}

    def item(self, stub, index, event):
        with stub.lock:
            known = stub.receipts.get(event["clientEventId"])
            if known is not None:
                replay = dict(known, index=index, status="duplicate")
                if self.erased:
                    replay.pop("openings", None)
                return replay
            item = {"index": index, "status": "created", "id": str(uuid.uuid4()),
                    "receivedAt": events.format_timestamp(datetime.now(timezone.utc)),
                    "submittedBy": "stub-writer@http://stub-issuer"}
            item["leafHash"], openings, pseudonyms = server_seal(event, self.policy, item)
            if openings:
                first = sorted(openings)[0]
                if self.lie == "wrong opening":
                    flipped = bytearray(bytes.fromhex(openings[first]))
                    flipped[0] ^= 1
                    openings[first] = flipped.hex()
                elif self.lie == "missing opening":
                    del openings[first]
                elif self.lie == "unsent field":
                    openings["metadata.unsent"] = os.urandom(32).hex()
                elif self.lie == "upper-case opening":
                    openings[first] = openings[first].upper().replace("0", "A").replace("1", "B")
                elif self.lie == "field that cannot be personal":
                    openings["actor.type"] = os.urandom(32).hex()
            if pseudonyms:
                first = sorted(pseudonyms)[0]
                if self.lie == "wrong pseudonym":
                    pseudonyms[first] = pseudonyms[first][:-1] + ("1" if pseudonyms[first][-1] == "0" else "0")
                elif self.lie == "missing pseudonym":
                    del pseudonyms[first]
                elif self.lie == "upper-case pseudonym":
                    pseudonyms[first] = "pseudonym:" + "AB" * 32
                elif self.lie == "pseudonym without an opening":
                    del openings[first]
            if self.lie == "pseudonym for a field that is not an identifier":
                pseudonyms["source.ip"] = stub_pseudonym("203.0.113.7")
            if openings:
                item["openings"] = openings
            if pseudonyms:
                item["pseudonyms"] = pseudonyms
            stub.receipts[event["clientEventId"]] = item
            return item


EVERY_FIELD = dict(actor_display_name="Jane Canary", reason="treatment", source_ip="203.0.113.7",
                   user_agent="Mozilla/5.0 canary", resource_type="patient", resource_id="p-9",
                   occurred_at=datetime(2026, 3, 1, 10, 15, 30, 123456, tzinfo=timezone.utc))
EVERY_METADATA = {"email": "jane@example.org", "ward": "4B"}


class V2ReceiptTest(StubTestCase):

    def start_policy(self, policy=DEFAULT_POLICY, lie=None):
        service = PolicyService(policy, lie)
        violations = []
        stub, audit = self.start(service, on_integrity_violation=violations.append)
        return service, stub, audit, violations

    def test_a_v2_receipt_for_the_default_fields_is_checked(self):
        service, stub, audit, violations = self.start_policy()
        receipt = audit.log_event("u-17", "patient.record.viewed", EVERY_METADATA, **EVERY_FIELD).result(WAIT)

        self.assertEqual(["actor.displayName", "source.ip", "source.userAgent"],
                         sorted(service.items[0]["openings"]))
        self.assertEqual(service.items[0]["leafHash"], receipt.leaf_hash)
        self.assertEqual("Jane Canary", stub.requests[0][2]["events"][0]["actor"]["displayName"])
        self.assertEqual([], violations)

    def test_a_v2_receipt_for_the_reason_and_a_metadata_key_is_checked(self):
        service, stub, audit, violations = self.start_policy(("reason", "metadata.email"))
        receipt = audit.log_event("u-17", "patient.record.viewed", EVERY_METADATA, **EVERY_FIELD).result(WAIT)

        self.assertEqual(["metadata.email", "reason"], sorted(service.items[0]["openings"]))
        self.assertEqual(service.items[0]["leafHash"], receipt.leaf_hash)
        self.assertEqual([], violations)

    def test_metadata_values_that_are_not_strings_are_committed_as_canonical_json(self):
        service, stub, audit, violations = self.start_policy(("metadata.tags", "metadata.visits", "metadata.none"))
        metadata = {"tags": {"z": [True, 1.5, 1e21], "a": "\u00e9\u674e\U0001F600"}, "visits": 3, "none": None}
        receipt = audit.log_event("u-17", "patient.record.viewed", metadata).result(WAIT)

        self.assertEqual(["metadata.none", "metadata.tags", "metadata.visits"], sorted(service.items[0]["openings"]))
        self.assertEqual(service.items[0]["leafHash"], receipt.leaf_hash)

    def test_an_event_with_no_personal_value_stays_v1(self):
        service, stub, audit, violations = self.start_policy()
        receipt = audit.log_event("svc", "job.ran", {"email": "ops@example.org"}, reason="nightly").result(WAIT)

        item = service.items[0]
        self.assertNotIn("openings", item)
        sent = stub.requests[0][2]["events"][0]
        self.assertEqual(events.leaf_hash(events.sealed_event(sent, item["id"], item["receivedAt"],
                                                              item["submittedBy"])), receipt.leaf_hash)

    def test_a_replay_with_its_openings_is_checked(self):
        service, stub, audit, violations = self.start_policy()
        first = audit.log_event("u-17", "patient.record.viewed", client_event_id="k-1", **EVERY_FIELD).result(WAIT)
        again = audit.log_event("u-17", "patient.record.viewed", client_event_id="k-1", **EVERY_FIELD).result(WAIT)

        self.assertTrue(again.duplicate)
        self.assertEqual(first.leaf_hash, again.leaf_hash)
        self.assertEqual([], violations)

    def test_openings_that_do_not_open_the_leaf_are_an_integrity_violation(self):
        for lie in ("wrong opening", "missing opening", "unsent field"):
            with self.subTest(lie=lie):
                service, stub, audit, violations = self.start_policy(lie=lie)
                future = audit.log_event("u-17", "patient.record.viewed", EVERY_METADATA, **EVERY_FIELD)
                with self.assertLogs("stenographer_audit", "ERROR"), \
                        self.assertRaises(ReceiptMismatchError) as caught:
                    future.result(WAIT)
                self.assertEqual([caught.exception], violations)
                self.assertEqual(service.items[0]["leafHash"], caught.exception.reported_leaf_hash)
                self.assertEqual(1, audit.metrics()["failed"])
                if lie == "unsent field":
                    self.assertIsNone(caught.exception.expected_leaf_hash)
                    self.assertIn("metadata.unsent", str(caught.exception))

    def test_malformed_openings_are_a_protocol_error(self):
        for lie, words in (("upper-case opening", "lower-case hex"),
                           ("field that cannot be personal", "'actor.type', which is not a field that can be")):
            with self.subTest(lie=lie):
                service, stub, audit, violations = self.start_policy(lie=lie)
                future = audit.log_event("u-17", "patient.record.viewed", EVERY_METADATA, **EVERY_FIELD)
                with self.assertRaises(AuditClientError) as caught:
                    future.result(WAIT)
                self.assertIs(AuditClientError, type(caught.exception))
                self.assertIn("is not readable", str(caught.exception))
                self.assertIn(words, str(caught.exception))
                self.assertEqual([], violations)
                self.assertEqual(1, audit.metrics()["failed"])

    def test_a_v2_receipt_for_personal_identifiers_carries_their_pseudonyms_and_is_checked(self):
        service, stub, audit, violations = self.start_policy(("actor.id", "resource.id", "source.ip"))
        receipt = audit.log_event("u-17", "patient.record.viewed", EVERY_METADATA, **EVERY_FIELD).result(WAIT)

        item = service.items[0]
        self.assertEqual(["actor.id", "resource.id", "source.ip"], sorted(item["openings"]))
        self.assertEqual({"actor.id": stub_pseudonym("u-17"), "resource.id": stub_pseudonym("p-9")},
                         item["pseudonyms"])
        self.assertEqual(item["leafHash"], receipt.leaf_hash)
        sent = stub.requests[0][2]["events"][0]
        self.assertEqual(("u-17", "p-9"), (sent["actor"]["id"], sent["resource"]["id"]))
        self.assertEqual([], violations)
        # A replay carries the same openings and pseudonyms and is checked as well.
        again = audit.log_event("u-17", "patient.record.viewed", EVERY_METADATA,
                                client_event_id=receipt.client_event_id, **EVERY_FIELD).result(WAIT)
        self.assertTrue(again.duplicate)
        self.assertEqual(receipt.leaf_hash, again.leaf_hash)

    def test_a_pseudonym_that_is_not_the_leafs_is_an_integrity_violation(self):
        for lie, words in (("wrong pseudonym", "but the event sent hashes to"),
                           ("missing pseudonym", "names no pseudonym")):
            with self.subTest(lie=lie):
                service, stub, audit, violations = self.start_policy(("actor.id", "source.ip"), lie=lie)
                future = audit.log_event("u-17", "patient.record.viewed", EVERY_METADATA, **EVERY_FIELD)
                with self.assertLogs("stenographer_audit", "ERROR"), \
                        self.assertRaises(ReceiptMismatchError) as caught:
                    future.result(WAIT)
                self.assertIn(words, str(caught.exception))
                self.assertEqual(lie == "wrong pseudonym", "pseudonyms" in service.items[0])
                self.assertEqual([caught.exception], violations)
                self.assertEqual(service.items[0]["leafHash"], caught.exception.reported_leaf_hash)
                if lie == "missing pseudonym":
                    self.assertIsNone(caught.exception.expected_leaf_hash)
                self.assertEqual(1, audit.metrics()["failed"])

    def test_malformed_pseudonyms_are_a_protocol_error(self):
        for lie, words in (("upper-case pseudonym", "must be 'pseudonym:' and 64 lower-case hex digits"),
                           ("pseudonym without an opening", "'actor.id', which is not an identifier the answer"),
                           ("pseudonym for a field that is not an identifier",
                            "'source.ip', which is not an identifier the answer has an opening for")):
            with self.subTest(lie=lie):
                service, stub, audit, violations = self.start_policy(("actor.id", "source.ip"), lie=lie)
                future = audit.log_event("u-17", "patient.record.viewed", EVERY_METADATA, **EVERY_FIELD)
                with self.assertRaises(AuditClientError) as caught:
                    future.result(WAIT)
                self.assertIs(AuditClientError, type(caught.exception))
                self.assertIn("is not readable", str(caught.exception))
                self.assertIn(words, str(caught.exception))
                self.assertEqual([], violations)
                self.assertEqual(1, audit.metrics()["failed"])

    def test_a_replay_after_erasure_comes_back_without_openings_and_is_reported_not_accepted(self):
        service, stub, audit, violations = self.start_policy()
        audit.log_event("u-17", "patient.record.viewed", client_event_id="k-1", **EVERY_FIELD).result(WAIT)
        service.erased = True
        future = audit.log_event("u-17", "patient.record.viewed", client_event_id="k-1", **EVERY_FIELD)

        with self.assertLogs("stenographer_audit", "ERROR"), self.assertRaises(ReceiptMismatchError) as caught:
            future.result(WAIT)
        self.assertIn("no openings", str(caught.exception))
        self.assertIn("cannot be verified", str(caught.exception))
        self.assertEqual([caught.exception], violations)


if __name__ == "__main__":
    unittest.main()
