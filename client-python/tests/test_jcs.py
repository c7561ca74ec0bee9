"""RFC 8785 canonical JSON and the leaf hash, checked against the service's worked example (docs/FORMATS.md)."""

import hashlib
import json
import math
import struct
import sys
import unittest
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stenographer_audit import jcs  # noqa: E402
from stenographer_audit import events  # noqa: E402

WORKED_EXAMPLE = (
    '{"action":"case.export","actor":{"displayName":"Dana Doe","id":"u-1029","type":"user"},'
    '"clientEventId":"portal-evt-000123","correlationId":"req-7f3a","format":"stenographer.event/v1",'
    '"id":"019ac4c2-55a1-7c3e-9b6d-2f1e0c8a7b11","metadata":{"fields":["ssn","dob"],"rows":1,'
    '"ticket":"HR-4711 \u00e9"},"occurredAt":"2026-11-27T09:14:03.250000Z","outcome":"success",'
    '"reason":"Requested by HR ticket 4711","receivedAt":"2026-11-27T09:14:03.512345Z",'
    '"resource":{"id":"BC-2026-0042","type":"background-check"},'
    '"source":{"application":"portal","ip":"192.0.2.10","userAgent":"Mozilla/5.0"},'
    '"submittedBy":"svc-portal","tenant":"acme"}')
WORKED_EXAMPLE_LEAF_HASH = "26b1c833b04d896f9968037fe0096e4574cdd69234e166961f8313525f61861b"


def double(bits: str) -> float:
    return struct.unpack(">d", bytes.fromhex(bits))[0]


class WorkedExampleTest(unittest.TestCase):

    def test_the_worked_example_canonicalizes_to_itself_and_hashes_to_the_documented_leaf(self):
        event = json.loads(WORKED_EXAMPLE)
        canonical = jcs.canonical_bytes(event)
        self.assertEqual(WORKED_EXAMPLE.encode("utf-8"), canonical)
        self.assertEqual(619, len(canonical))
        self.assertIn(b"HR-4711 \xc3\xa9", canonical)
        self.assertEqual(WORKED_EXAMPLE_LEAF_HASH, hashlib.sha256(b"\x00" + canonical).hexdigest())
        self.assertEqual(WORKED_EXAMPLE_LEAF_HASH, events.leaf_hash(event))

    def test_key_order_of_the_input_does_not_matter(self):
        event = json.loads(WORKED_EXAMPLE)
        reversed_event = dict(reversed(list(event.items())))
        self.assertEqual(jcs.canonical_bytes(event), jcs.canonical_bytes(reversed_event))

    def test_the_client_builds_the_worked_example_from_log_event_arguments(self):
        sent = events.build_event(
            tenant="acme", application="portal", user_id="u-1029", action="case.export",
            actor_display_name="Dana Doe", resource_type="background-check", resource_id="BC-2026-0042",
            reason="Requested by HR ticket 4711",
            occurred_at=datetime(2026, 11, 27, 9, 14, 3, 250000, tzinfo=timezone.utc),
            source_ip="192.0.2.10", user_agent="Mozilla/5.0", correlation_id="req-7f3a",
            metadata={"fields": ["ssn", "dob"], "rows": 1, "ticket": "HR-4711 \u00e9"},
            client_event_id="portal-evt-000123")
        sealed = events.sealed_event(sent, "019ac4c2-55a1-7c3e-9b6d-2f1e0c8a7b11",
                                     "2026-11-27T09:14:03.512345Z", "svc-portal")
        self.assertEqual(WORKED_EXAMPLE.encode("utf-8"), jcs.canonical_bytes(sealed))
        self.assertEqual(WORKED_EXAMPLE_LEAF_HASH, events.leaf_hash(sealed))


class NumberTest(unittest.TestCase):

    def test_numbers_from_the_brief(self):
        cases = [
            (0.0, "0"), (-0.0, "0"), (1e21, "1e+21"), (1e-7, "1e-7"),
            (123456789012345680000.0, "123456789012345680000"), (0.000001, "0.000001"),
            (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (4.5, "4.5"),
            (2e-3, "0.002"), (1e+30, "1e+30"), (100.0, "100"), (1.5, "1.5"), (-1.5e-7, "-1.5e-7"),
            (0.5, "0.5"), (-2.25, "-2.25"), (1e20, "100000000000000000000"),
        ]
        for value, expected in cases:
            with self.subTest(value=value):
                self.assertEqual(expected, jcs.format_number(value))

    def test_rfc_8785_appendix_b(self):
        cases = [
            ("0000000000000000", "0"), ("8000000000000000", "0"),
            ("0000000000000001", "5e-324"), ("8000000000000001", "-5e-324"),
            ("7fefffffffffffff", "1.7976931348623157e+308"), ("ffefffffffffffff", "-1.7976931348623157e+308"),
            ("4340000000000000", "9007199254740992"), ("c340000000000000", "-9007199254740992"),
            ("4430000000000000", "295147905179352830000"),
            ("44b52d02c7e14af5", "9.999999999999997e+22"), ("44b52d02c7e14af6", "1e+23"),
            ("44b52d02c7e14af7", "1.0000000000000001e+23"),
            ("444b1ae4d6e2ef4e", "999999999999999700000"), ("444b1ae4d6e2ef4f", "999999999999999900000"),
            ("444b1ae4d6e2ef50", "1e+21"),
            ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
            ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555554", "333333333.33333325"),
            ("41b3de4355555555", "333333333.3333333"), ("41b3de4355555556", "333333333.3333334"),
            ("41b3de4355555557", "333333333.33333343"),
            ("becbf647612f3696", "-0.0000033333333333333333"),
            ("43143ff3c1cb0959", "1424953923781206.2"),
        ]
        for bits, expected in cases:
            with self.subTest(bits=bits):
                self.assertEqual(expected, jcs.format_number(double(bits)))

    def test_integers_are_plain_digits_up_to_two_to_the_53(self):
        self.assertEqual("0", jcs.format_number(0))
        self.assertEqual("-17", jcs.format_number(-17))
        self.assertEqual("9007199254740992", jcs.format_number(2 ** 53))
        self.assertEqual("-9007199254740992", jcs.format_number(-(2 ** 53)))
        with self.assertRaises(ValueError):
            jcs.format_number(2 ** 53 + 1)
        with self.assertRaises(ValueError):
            jcs.canonical_bytes({"big": -(2 ** 53) - 1})

    def test_an_integral_float_and_its_int_agree(self):
        self.assertEqual(jcs.format_number(42), jcs.format_number(42.0))

    def test_nan_and_infinities_are_refused(self):
        for value in (math.nan, math.inf, -math.inf):
            with self.subTest(value=value), self.assertRaises(ValueError):
                jcs.canonical_bytes([value])

    def test_booleans_are_true_and_false_not_numbers(self):
        self.assertEqual(b'[true,false,null,1,0]', jcs.canonical_bytes([True, False, None, 1, 0]))
        self.assertEqual(b'{"a":true}', jcs.canonical_bytes({"a": True}))


class StringAndStructureTest(unittest.TestCase):

    def test_minimal_escaping(self):
        value = "\u0000\u001f\b\f\n\r\t\"\\/\u007f\u0080\u00e9\u20ac\U0001F600 <>&'"
        expected = ('"\\u0000\\u001f\\b\\f\\n\\r\\t\\"\\\\/\u007f\u0080\u00e9\u20ac\U0001F600 <>&\'"'
                    ).encode("utf-8")
        self.assertEqual(expected, jcs.canonical_bytes(value))

    def test_other_controls_use_lower_case_hex(self):
        self.assertEqual(b'"\\u000b\\u001b\\u0001"', jcs.canonical_bytes("\u000b\u001b\u0001"))

    def test_keys_sort_by_utf16_code_units_as_in_rfc_8785_section_3_2_3(self):
        value = {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
                 "1": "One", "\U0001F600": "Emoji: Grinning Face", "\u0080": "Control",
                 "\u00f6": "Latin Small Letter O With Diaeresis"}
        canonical = jcs.canonicalize(value)
        order = list(json.loads(canonical).keys())
        # The emoji is the surrogate pair d83d de00: after U+20AC but before U+FB33, although its code
        # point (U+1F600) is larger than both. Sorting by code point would put it last.
        self.assertEqual(["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001F600", "\ufb33"], order)
        self.assertNotEqual(sorted(value), order)
        expected = ('{"\\r":"Carriage Return","1":"One","\u0080":"Control",'
                    '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",'
                    '"\U0001F600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}')
        self.assertEqual(expected, canonical)

    def test_nested_structures_without_whitespace(self):
        value = {"b": [1, {"z": None, "a": []}, (2.5, "x")], "a": {}, "c": {"y": {"x": False}}}
        self.assertEqual(b'{"a":{},"b":[1,{"a":[],"z":null},[2.5,"x"]],"c":{"y":{"x":false}}}',
                         jcs.canonical_bytes(value))

    def test_lone_surrogates_non_string_keys_and_other_types_are_refused(self):
        with self.assertRaises(ValueError):
            jcs.canonical_bytes("\ud800")
        with self.assertRaises(ValueError):
            jcs.canonical_bytes({"\udfff": 1})
        with self.assertRaises(TypeError):
            jcs.canonical_bytes({1: "one"})
        with self.assertRaises(TypeError):
            jcs.canonical_bytes({"a": {1, 2}})


if __name__ == "__main__":
    unittest.main()
