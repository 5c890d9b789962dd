"""Writing YAML scalars as text that reads back as exactly the value given.

kolplan writes YAML by hand (``kolplan new`` through a template, ``kolplan log`` by
inserting lines), never by dumping: a dump re-indents and re-wraps the whole file.
These helpers are the only place a value becomes YAML text.
"""

from __future__ import annotations

import re
from typing import Final

from kolplan.errors import UsageError
from kolplan.yamlio.scalars import resolve_plain

_ESCAPES: Final = {
    "\\": "\\\\", '"': '\\"', "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n",
    "\v": "\\v", "\f": "\\f", "\r": "\\r", "\x1b": "\\e", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P",
}
# A plain scalar that needs no quoting: starts with a letter or digit, then only these.
_PLAIN_SAFE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


def _escape(ch: str) -> str:
    known = _ESCAPES.get(ch)
    if known is not None:
        return known
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02X}"
    if code == 0xFEFF or 0xFFFE <= code <= 0xFFFF or 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04X}"
    return ch


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: ``O'Brien: "Dr" #1`` -> ``"O'Brien: \\"Dr\\" #1"``.

    Printable non-ASCII is kept as it is (the file is UTF-8); control characters,
    line breaks and the BOM are escaped, so the scalar always stays on one line.
    """
    check_text(text)
    return '"' + "".join(_escape(ch) for ch in text) + '"'


def plain_or_quoted(text: str) -> str:
    """``text`` unquoted when it reads back as the same string (``a.chen``), else double-quoted (``"123"``)."""
    if _PLAIN_SAFE.fullmatch(text) and resolve_plain(text) == text:
        return text
    return quoted(text)


def check_text(text: str) -> None:
    """Refuse text that cannot be written as UTF-8 (undecodable bytes on the command line)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{text.encode('utf-8', 'replace').decode('utf-8')!r} is not valid UTF-8 text: "
                         "check your terminal's encoding (e.g. LANG=en_US.UTF-8) and type it again") from None
