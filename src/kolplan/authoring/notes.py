"""``kolplan score`` and ``kolplan feedback``: append an entry to a plan the way ``log`` does.

The entry is inserted as text (:func:`kolplan.yamlio.append.append_item`) under the plan's
lock (:func:`kolplan.authoring.edit.edit_plan`); every other byte of the file stays as it was, and
the file is untouched on any refusal.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from functools import partial
from typing import Any, Final

from pydantic import ValidationError

from kolplan.authoring.edit import edit_plan, require_readable
from kolplan.authoring.log import find_plan
from kolplan.errors import UsageError
from kolplan.repo.root import Repo
from kolplan.schema import Feedback, Satisfaction
from kolplan.vocabulary import SOURCES
from kolplan.yamlio.append import add_to_item, append_item
from kolplan.yamlio.document import Document
from kolplan.yamlio.emit import check_text, quoted
from kolplan.yamlio.reader import read_bytes

SCORE_KEY: Final = ("plan", "satisfaction")
FEEDBACK_KEY: Final = ("feedback",)


def _check_date(when: dt.date, as_of: dt.date, what: str) -> None:
    """KP014's refusal: something that has happened cannot be dated after --as-of plus one day."""
    if when > as_of + dt.timedelta(days=1):
        raise UsageError(f"--date {when}: {what} is dated {when}, after today ({as_of}): fix the date (KP014)")


def check_score(score: str, source: str | None, when: dt.date, as_of: dt.date) -> dict[str, Any]:
    """The satisfaction entry as plan data, or exit 2 saying which value is wrong."""
    value = score.strip()
    if not value.isascii() or not value.isdigit() or int(value) > 10:
        raise UsageError(f"SCORE {score}: not a score; give a whole number from 0 to 10, e.g. 8")
    if source is not None and source not in SOURCES:
        guess = difflib.get_close_matches(source, SOURCES, n=1, cutoff=0.5)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        raise UsageError(f"--source {source}: not a source; {hint}choose one of {', '.join(SOURCES)}")
    _check_date(when, as_of, "satisfaction score")
    data: dict[str, Any] = {"date": when, "score": int(value)}
    if source is not None:
        data["source"] = source
    try:
        Satisfaction.model_validate(data)
    except ValidationError as exc:  # the checks above cover the model; this is the last guard
        raise UsageError(f"the score is not valid: {exc.errors()[0]['msg']}") from None
    return data


def check_feedback(summary: str, when: dt.date, as_of: dt.date) -> dict[str, Any]:
    """The feedback entry as plan data, or exit 2 saying which value is wrong."""
    check_text(summary)
    if not summary.strip():
        raise UsageError('--summary is empty: say what the KOL told you, e.g. --summary "Wants more safety data"')
    _check_date(when, as_of, "feedback")
    data: dict[str, Any] = {"date": when, "summary": summary}
    try:
        Feedback.model_validate(data)
    except ValidationError as exc:
        raise UsageError(f"the feedback is not valid: {exc.errors()[0]['msg']}") from None
    return data


def add_score(repo: Repo, plan_id: str, data: dict[str, Any]) -> str:
    """Append the satisfaction entry ``data`` to plan ``plan_id``; the repo-relative path written."""
    fields = [("date", data["date"].isoformat()), ("score", str(data["score"]))]
    if "source" in data:
        fields.append(("source", data["source"]))
    return _add(repo, plan_id, SCORE_KEY, fields, data)


def add_feedback(repo: Repo, plan_id: str, data: dict[str, Any]) -> str:
    """Append the feedback entry ``data`` to plan ``plan_id``; the repo-relative path written."""
    fields = [("date", data["date"].isoformat()), ("summary", quoted(data["summary"]))]
    return _add(repo, plan_id, FEEDBACK_KEY, fields, data)


def _add(repo: Repo, plan_id: str, key: tuple[str, ...], fields: Sequence[tuple[str, str]],
         data: dict[str, Any]) -> str:
    rel = find_plan(repo, plan_id)
    edit_plan(repo.root, rel, partial(_append, rel, key, fields, data))
    return rel


def _append(rel: str, key: tuple[str, ...], fields: Sequence[tuple[str, str]], data: dict[str, Any],
            raw: bytes) -> bytes:
    require_readable(rel, raw)
    return append_item(raw, key, fields, data, rel)


def check_response(response: str) -> None:
    check_text(response)
    if not response.strip():
        raise UsageError('--response is empty: say what was done, e.g. --response "Deck revised in June"')


def add_response(repo: Repo, plan_id: str, respond: dt.date, response: str, index: int | None) -> str:
    """Add ``response`` to the feedback entry dated ``respond`` (the only one, or the ``index``-th,
    counted from 1, of that date); the repo-relative path written."""
    rel = find_plan(repo, plan_id)
    edit_plan(repo.root, rel, partial(_respond, rel, respond, response, index))
    return rel


def _respond(rel: str, respond: dt.date, response: str, index: int | None, raw: bytes) -> bytes:
    require_readable(rel, raw)
    doc = read_bytes(raw)
    assert isinstance(doc, Document) and isinstance(doc.data, dict)
    entries = doc.data.get("feedback") or []
    same = [i for i, fb in enumerate(entries) if fb["date"] == respond]
    if not same:
        dates = sorted({str(fb["date"]) for fb in entries})
        known = f"its feedback is dated {', '.join(dates)}" if dates else "it has no feedback"
        raise UsageError(f"--respond {respond}: {rel} has no feedback of that date; {known}")
    if index is None:
        if len(same) > 1:
            listed = "; ".join(f"--index {n}: {entries[i]['summary']!r}" for n, i in enumerate(same, 1))
            raise UsageError(f"--respond {respond}: {rel} has {len(same)} feedback entries of that date; "
                             f"say which with {listed}")
        index = 1
    if not 1 <= index <= len(same):
        raise UsageError(f"--index {index}: {rel} has {len(same)} feedback "
                         f"entr{'ies' if len(same) != 1 else 'y'} dated {respond}; give 1 to {len(same)}")
    at = same[index - 1]
    item = entries[at]
    if "response" in item:
        raise UsageError(f"--respond {respond}: that feedback already has a response ({item['response']!r}); "
                         f"change it in {rel} by hand")
    return add_to_item(raw, "feedback", at, ("response", quoted(response)), {**item, "response": response}, rel)
