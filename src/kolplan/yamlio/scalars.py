"""YAML 1.2 core-schema resolution of plain scalars (plus ISO dates, as ruamel.yaml does).

PyYAML resolves the YAML 1.1 way (``NO`` -> False, ``0o17`` -> str, ``1_000`` -> 1000).
kolplan reads every file the YAML 1.2 way, so ``country: NO`` is Norway.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Final

_NULLS: Final = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE: Final = frozenset({"true", "True", "TRUE"})
_FALSE: Final = frozenset({"false", "False", "FALSE"})
_INT_DEC: Final = re.compile(r"[-+]?[0-9]+")
_INT_OCT: Final = re.compile(r"0o[0-7]+")
_INT_HEX: Final = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT: Final = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF: Final = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN: Final = re.compile(r"\.(?:nan|NaN|NAN)")
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# First characters that can start anything but a string: a plain scalar starting with
# any other character is a string (the builder tests this inline before calling us).
NON_STRING_START: Final = frozenset("~nNtTfF0123456789+-.")


# Plain scalars starting with one of these letters (or ~) are null, a boolean or text.
_WORDS: Final[dict[str, Any]] = {**dict.fromkeys(_NULLS - {""}), **dict.fromkeys(_TRUE, True),
                                 **dict.fromkeys(_FALSE, False)}
_WORD_START: Final = frozenset("~nNtTfF")


def resolve_plain(value: str) -> Any:
    """The Python value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if not value:
        return None
    first = value[0]
    if first not in NON_STRING_START:
        return value
    if first in _WORD_START:  # keys such as name:, tier:, feedback: land here
        return _WORDS.get(value, value)
    if len(value) == 10 and value[4] == "-" and _DATE.fullmatch(value):  # the most common: dates
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # 2026-02-30: left as text, the schema says what is wrong
    if _INT_DEC.fullmatch(value):
        return _int(value, value, 10)
    if _INT_OCT.fullmatch(value):
        return _int(value, value[2:], 8)
    if _INT_HEX.fullmatch(value):
        return _int(value, value[2:], 16)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _INF.fullmatch(value):
        return -math.inf if value[0] == "-" else math.inf
    if _NAN.fullmatch(value):
        return math.nan
    return value


def _int(text: str, digits: str, base: int) -> Any:
    try:
        return int(digits, base)
    except ValueError:  # more digits than Python converts (sys.int_info): keep the text
        return text
