"""RFC 8785 JSON Canonicalization Scheme (JCS).

The canonical bytes are what the service hashes into its Merkle tree, so they must agree byte for
byte with the service's implementation (and with any other JCS implementation) for a receipt's leaf
hash to be checkable here.
"""

import math
import re
from typing import Any, List

__all__ = ["canonical_bytes", "canonicalize", "format_number", "MAX_EXACT_INTEGER"]

# Integers beyond this cannot be held exactly by an IEEE 754 double (RFC 7493); the service refuses them.
MAX_EXACT_INTEGER = 2 ** 53

_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def canonical_bytes(value: Any) -> bytes:
    """The canonical JSON of ``value`` as UTF-8: the form that is hashed.

    Accepts dict (str keys), list, tuple, str, int, float, bool and None.
    Raises ValueError for NaN, infinities, integers beyond +/-2^53 and lone surrogates,
    TypeError for any other type.
    """
    try:
        return canonicalize(value).encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError("string contains a lone surrogate; it has no UTF-8 encoding") from e


def canonicalize(value: Any) -> str:
    """The canonical JSON text of ``value`` (see canonical_bytes)."""
    out: List[str] = []
    _write(value, out)
    return "".join(out)


def _write(value: Any, out: List[str]) -> None:
    # bool first: it is a subclass of int and must not become 1/0.
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        _write_string(value, out)
    elif isinstance(value, (int, float)):
        out.append(format_number(value))
    elif isinstance(value, dict):
        _write_object(value, out)
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, element in enumerate(value):
            if i:
                out.append(",")
            _write(element, out)
        out.append("]")
    else:
        raise TypeError(f"{type(value).__name__} has no JSON representation")


def _write_object(obj: dict, out: List[str]) -> None:
    for key in obj:
        if not isinstance(key, str):
            raise TypeError(f"object keys must be strings, not {type(key).__name__}")
    # RFC 8785 section 3.2.3: sort by UTF-16 code units. Big-endian UTF-16 bytes compare in exactly that
    # order; 'surrogatepass' lets a lone surrogate sort so that encoding can report it afterwards.
    members = sorted(obj.items(), key=lambda member: member[0].encode("utf-16-be", "surrogatepass"))
    out.append("{")
    for i, (key, member_value) in enumerate(members):
        if i:
            out.append(",")
        _write_string(key, out)
        out.append(":")
        _write(member_value, out)
    out.append("}")


def _escape(match: "re.Match[str]") -> str:
    c = match.group()
    return _SHORT_ESCAPES.get(c) or "\\u%04x" % ord(c)


def _write_string(s: str, out: List[str]) -> None:
    # Only '"', '\' and controls are escaped; everything else (non-ASCII included) is written raw.
    out.append('"')
    out.append(_NEEDS_ESCAPE.sub(_escape, str(s)))
    out.append('"')


def format_number(value: Any) -> str:
    """A number formatted as ECMAScript's Number.prototype.toString does (RFC 8785 section 3.2.2.3)."""
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers")
    if isinstance(value, int):
        # Every integer within +/-2^53 is an exact double whose shortest form is its plain digits.
        if abs(value) > MAX_EXACT_INTEGER:
            raise ValueError(f"integer {int.__repr__(value)} is beyond +/-2^53 and cannot be kept exactly")
        return int.__repr__(value)  # int.__repr__, so IntEnum members print as numbers
    if not isinstance(value, float):
        raise TypeError(f"{type(value).__name__} is not a JSON number")
    if math.isnan(value) or math.isinf(value):
        raise ValueError("NaN and infinities have no JSON representation")
    if value == 0:
        return "0"  # -0 too
    if value < 0:
        return "-" + format_number(-value)
    digits, n = _shortest_digits(value)
    return _layout(digits, n)


def _shortest_digits(value: float):
    """Digits s and exponent n with value = 0.s x 10^n, s without leading or trailing zeros.

    Python's repr is the shortest string that reads back as the same double, the nearest one when
    several qualify: the same digits ECMAScript asks for.
    """
    text = float.__repr__(value)
    mantissa, _, exponent = text.partition("e")
    int_part, _, fraction = mantissa.partition(".")
    digits = int_part + fraction
    n = len(int_part) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    n -= len(digits) - len(stripped)
    return stripped.rstrip("0"), n


def _layout(s: str, n: int) -> str:
    """ECMA-262 Number::toString, steps for digits s (k of them) and exponent n."""
    k = len(s)
    if k <= n <= 21:
        return s + "0" * (n - k)
    if 0 < n <= 21:
        return s[:n] + "." + s[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + s
    exponent = n - 1
    mantissa = s[0] + ("." + s[1:] if k > 1 else "")
    return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent)}"
