"""Showing text from outside kolplan (file names, plan text) without letting it act (SPEC 9).

Two things go wrong when such text is written as it is. A control character (ESC, BEL,
a C1 CSI, a backspace) is obeyed by the terminal or the log viewer instead of shown.
And a file name that is not valid UTF-8, which ``os.walk`` returns with each byte it
cannot decode as a lone surrogate (``surrogateescape``: ``b"caf\\xe9"`` is
``"caf\\udce9"``), cannot be encoded as UTF-8 at all, so writing it fails. Here such
characters are shown as escapes a reader can find and fix: ``\\x1b`` for a control
character, ``\\xe9`` for a byte that is not UTF-8, ``\\ud800`` for any other lone
surrogate (a YAML ``"\\ud800"``).
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import quote

_UNSAFE: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# the same but TAB, LF and CR, for formats that escape line breaks their own way
_UNSAFE_BUT_LAYOUT: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")


def _shown(match: re.Match[str]) -> str:
    c = ord(match.group())
    if 0xDC80 <= c <= 0xDCFF:  # a byte os.fsdecode could not decode: show the byte
        return f"\\x{c - 0xDC00:02x}"
    if c >= 0xD800:
        return f"\\u{c:04x}"
    return f"\\x{c:02x}"


def clean(text: str, *, keep_layout: bool = False) -> str:
    """``text`` safe for a terminal or a log: control characters (ANSI escapes) and bytes
    that are not UTF-8 shown as escapes, not obeyed. ``keep_layout``: keep TAB, LF and CR
    (for a format that escapes line breaks itself)."""
    return (_UNSAFE_BUT_LAYOUT if keep_layout else _UNSAFE).sub(_shown, text)


def undecodable(text: str) -> str:
    """``text`` with only its undecodable bytes (lone surrogates) shown as escapes: what
    any text kolplan writes goes through, so that writing it cannot fail."""
    return text if _encodes(text) else _SURROGATE.sub(_shown, text)


def json_text(doc: str) -> str:
    """A document ``json.dumps(..., ensure_ascii=False)`` made, as valid UTF-8 JSON.

    A lone surrogate can only stand inside a JSON string there, so each becomes the
    escape :func:`clean` shows, with its backslash escaped for JSON: the string then
    reads ``caf\\xe9.yaml``, as in the text format. JSON's own ``\\u`` escapes of
    control characters are left alone: they keep the text exact for tools.
    """
    return doc if _encodes(doc) else _SURROGATE.sub(lambda m: "\\" + _shown(m), doc)


def _encodes(text: str) -> bool:
    """No lone surrogate in ``text``. Encoding it tells: a few ms for a report of 10,000
    plans, five times less than a regular expression's search of it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def uri_path(path: str) -> str:
    """A repository-relative path as a URI reference: its bytes percent-encoded, so a
    name that is not UTF-8 still points at its file (``plans/caf%E9.yaml``)."""
    try:
        return quote(path.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return quote(path.encode("utf-8", "surrogatepass"))


# What a spreadsheet reads as the start of a formula (``=HYPERLINK(...)``) in a CSV cell.
FORMULA_STARTS: Final = frozenset({"=", "+", "@", "\t", "\r"})


def csv_cell(value: object) -> object:
    """A CSV cell: plan text a spreadsheet would run as a formula is kept as text (a leading
    ``'``); the bytes of a file name that are not UTF-8 are shown escaped (``\\xe9``).
    Numbers are left alone."""
    if isinstance(value, str):
        value = undecodable(value)
        if value[:1] in FORMULA_STARTS:
            return "'" + value
    return value
