"""The filters of kolplan's templates (``{{ k.name|md }}``).

Filters for the Markdown documents:

* ``md``: plan text made safe where it would break Markdown structure: ``|`` and ``\\``
  escaped, newlines as ``<br>`` (a cell or list item stays one line), a leading ``#``, ``>``
  or list marker escaped, raw HTML (a ``<`` that would open a tag, an ``&`` that would start
  an entity such as ``&amp;``) escaped with a backslash, which reads as the plan's own
  words in the raw Markdown too (``R&D`` and ``a < b`` stay as they are), control characters
  shown, not obeyed.
* ``mmd``: text for a Mermaid label or Gantt task (no ``:``, ``;``, ``#``, quotes or
  newlines, never a Mermaid keyword or a whole date first, at most 60 characters).
* ``date`` (ISO, or a dash for none), ``pct`` (0.42 -> 42%), ``signed`` (+3 / -2),
  ``num`` (1,600 or 8.5), ``score`` (one decimal).
* ``plural``: ``n|plural("day")``: ``1 day``, ``2 days``.
* ``count_of``: ``pairs|count_of("a", "b")``, the sum of the counts in ``(key, count)``
  pairs whose key is one of those given (``k.due_status|count_of("achieved")``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any, Final

from kolplan.engagement.payments import money as money_text

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINE: Final = re.compile(r"\r\n|\r|\n")
_MERMAID_DROP: Final = re.compile(r"[:;#\"`{}\[\]<>\\|]")
_SPACES: Final = re.compile(r"\s+")
_MD_SPECIAL: Final = re.compile(r"[&<>\\|\x00-\x1f\x7f-\x9f]")
_BLOCK_START: Final = re.compile(r"#|>|[-+*](?:\s|$)")
# a ``<`` that would open an HTML tag, comment, declaration or autolink; ``a < b`` is shown as is
_TAG_START: Final = re.compile(r"<(?=[A-Za-z/!?])")
# an ``&`` that would start a character reference (``&amp;``, ``&#38;``, ``&#x26;``); any other ``&`` is shown as is
_ENTITY_START: Final = re.compile(r"&(?=[A-Za-z][A-Za-z0-9]*;|#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};)")
# Words a Mermaid gantt or pie reads as a statement when they start a line.
_MERMAID_KEYWORDS: Final = frozenset({
    "title", "section", "dateformat", "axisformat", "tickinterval", "excludes", "includes", "todaymarker",
    "weekday", "click", "acctitle", "accdescr", "inclusiveenddates", "topaxis", "showdata", "end",
})
# A Gantt task that starts with a whole date is read as something else (Mermaid's parser refuses it).
_LEADING_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:\s|$)")
MERMAID_MAX: Final = 60


def md(value: object) -> str:
    """Plan text for a Markdown table cell, list item or heading (see the module docstring)."""
    if value is None:
        return ""
    text = str(value)
    if not _MD_SPECIAL.search(text) and not _BLOCK_START.match(text) and text == text.strip():
        return text  # the common case, ten times faster
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = _TAG_START.sub(r"\\<", _ENTITY_START.sub(r"\\&", text))
    text = _NEWLINE.sub("<br>", text.strip()).replace("\t", " ")
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if _BLOCK_START.match(text):  # would open a heading or a list where it starts a line
        text = "\\" + text
    return text


def mmd(value: object, limit: int = MERMAID_MAX) -> str:
    """Text for a Mermaid label: one line, no syntax characters, not starting with a keyword."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", text.replace("%%", "%"))
    text = _SPACES.sub(" ", _MERMAID_DROP.sub(" ", text)).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    if not text:
        return "untitled"
    if text.split(" ", 1)[0].lower() in _MERMAID_KEYWORDS or _LEADING_DATE.match(text):
        text = "- " + text
    return text


def date(value: object, empty: str = "—") -> str:
    if value is None or value == "":
        return empty
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def pct(value: float | None, empty: str = "—") -> str:
    """A fraction as a whole percentage: 0.425 -> ``43%``."""
    if value is None:
        return empty
    return f"{round(value * 100):d}%"


def signed(value: float | None, empty: str = "—") -> str:
    """``+3``, ``-2`` (with a true minus sign), ``±0``; one decimal when not whole."""
    if value is None:
        return empty
    text = f"{abs(value):,.0f}" if float(value).is_integer() else f"{abs(value):,.1f}"
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return "±0"


def num(value: float | None, empty: str = "—") -> str:
    """``1,600`` for whole numbers, ``8.5`` otherwise."""
    if value is None:
        return empty
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def money(value: float | None, empty: str = "—") -> str:
    """An amount of money: ``1,600`` for whole amounts, ``14,537.90`` otherwise (cents are never cut short)."""
    return empty if value is None else money_text(value)


def score(value: float | None, empty: str = "—") -> str:
    """A mean score with one decimal: ``8.3``."""
    return empty if value is None else f"{value:.1f}"


def count_of(pairs: Iterable[tuple[Any, float]], *keys: Any) -> float:
    """The sum of the counts in ``(key, count)`` pairs whose key is one of ``keys``:
    ``k.due_status|count_of("missed", "dropped")``."""
    return sum(n for key, n in pairs if key in keys)


def plural(n: float, word: str, many: str | None = None) -> str:
    """``1|plural("day")`` is ``1 day``, ``2|plural("day")`` ``2 days``; ``many`` for an irregular
    plural (``n|plural("activity", "activities")``). The number goes through ``num``."""
    return f"{num(n)} {word if n == 1 else (many or word + 's')}"


def capitalize_first(value: object) -> str:
    """The text with its first letter upper-case and the rest as written (Jinja's ``capitalize``
    lower-cases the rest: "Nps", "Kolplan")."""
    text = "" if value is None else str(value)
    return text[:1].upper() + text[1:]


FILTERS: Final = {"md": md, "mmd": mmd, "date": date, "pct": pct, "signed": signed, "num": num, "money": money,
                  "score": score, "count_of": count_of, "plural": plural, "capitalize_first": capitalize_first}
