"""``kolplan update``: change an activity, an objective's status or the next review of a plan.

Each changed value is spliced into the text at its exact place and a missing key is
inserted next to its siblings (:func:`kolplan.yamlio.splice.set_keys`), under the plan's
lock (:func:`kolplan.authoring.edit.edit_plan`): every other byte of the file stays as it
was, the result is checked by parsing it back, and the file is untouched on any refusal.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from kolplan.authoring.edit import edit_plan, require_readable
from kolplan.authoring.log import find_plan
from kolplan.diagnostics import Diagnostic, Severity
from kolplan.errors import RefusedError, UsageError
from kolplan.lint.check import CheckEnv, check_bytes
from kolplan.repo.root import Repo
from kolplan.vocabulary import ACTIVITY_STATUSES, OBJECTIVE_STATUSES
from kolplan.yamlio.document import Document
from kolplan.yamlio.reader import read_bytes
from kolplan.yamlio.splice import Value, set_keys

_NUMBER: Final = re.compile(r"[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class Update:
    """What to change: one of an activity (``activity``), an objective (``objective``) or the review date."""

    plan_id: str
    activity: str | None = None
    objective: str | None = None
    status: str | None = None
    date: dt.date | None = None
    hours: float | int | None = None
    compensation: float | int | None = None
    next_review: dt.date | None = None


@dataclass(frozen=True)
class Outcome:
    rel: str
    what: str  # "activity A3", "objective O1", "governance"
    changed: dict[str, Any]  # key -> new value (empty: nothing to change)


def _choose(value: str, allowed: tuple[str, ...], option: str) -> None:
    if value not in allowed:
        guess = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        raise UsageError(f"{option} {value}: not a status; {hint}choose one of {', '.join(allowed)}")


def parse_amount(text: str | None, option: str) -> float | int | None:
    """``--hours`` / ``--compensation``: a number >= 0 (``4``, ``1.5``), or exit 2."""
    if text is None:
        return None
    value = text.strip()
    if not value.isascii() or not _NUMBER.fullmatch(value):
        raise UsageError(f"{option} {text}: not an amount; give a number 0 or more, e.g. {option} 4 or 1.5")
    number = float(value)
    if not math.isfinite(number):
        raise UsageError(f"{option} {text}: not an amount; give a number 0 or more, e.g. {option} 4")
    return int(value) if number.is_integer() and "." not in value else number


def check_update(update: Update) -> None:
    """Exit 2 for a request that is wrong whatever the plan says."""
    targets = [name for name, given in (("--activity", update.activity), ("--objective", update.objective),
                                        ("--next-review", update.next_review)) if given is not None]
    if len(targets) != 1:
        said = " and ".join(targets) if targets else "none of them"
        raise UsageError(f"give one of --activity ID, --objective ID or --next-review DATE (got {said}), e.g. "
                         "kolplan update jane-okafor --activity A3 --status done")
    if update.next_review is not None:
        extra = [o for o, v in (("--status", update.status), ("--date", update.date), ("--hours", update.hours),
                                ("--compensation", update.compensation)) if v is not None]
        if extra:
            raise UsageError(f"{', '.join(extra)}: not with --next-review, which changes only the review date")
    elif update.objective is not None:
        extra = [o for o, v in (("--date", update.date), ("--hours", update.hours),
                                ("--compensation", update.compensation)) if v is not None]
        if extra:
            raise UsageError(f"{', '.join(extra)}: an objective has only a --status to change; these are "
                             "for --activity")
        if update.status is None:
            raise UsageError(f"--objective {update.objective}: say the new --status, one of "
                             f"{', '.join(OBJECTIVE_STATUSES)}")
        _choose(update.status, OBJECTIVE_STATUSES, "--status")
    else:
        if update.status is None and update.date is None and update.hours is None and update.compensation is None:
            raise UsageError(f"--activity {update.activity}: say what to change: --status "
                             f"{'|'.join(ACTIVITY_STATUSES)}, --date, --hours or --compensation")
        if update.status is not None:
            _choose(update.status, ACTIVITY_STATUSES, "--status")


def update_plan(repo: Repo, update: Update, as_of: dt.date) -> Outcome:
    """Make ``update`` to its plan; what was changed. The file is untouched on any refusal."""
    check_update(update)
    rel = find_plan(repo, update.plan_id)
    result: list[Outcome] = []
    env = CheckEnv(repo.root, repo.config, as_of)
    edit_plan(repo.root, rel, partial(_change, env, rel, update, as_of, result))
    return result[-1]


def _change(env: CheckEnv, rel: str, update: Update, as_of: dt.date, result: list[Outcome], raw: bytes) -> bytes:
    require_readable(rel, raw, "update again")
    doc = read_bytes(raw)
    assert isinstance(doc, Document) and isinstance(doc.data, dict)
    plan = doc.data["plan"]
    parent_key: str | None = None
    if update.next_review is not None:
        path: tuple[str | int, ...] = ("plan", "governance")
        what = "governance"
        if "governance" in plan and not isinstance(plan["governance"], dict):
            raise RefusedError(f"governance in {rel} is empty (governance: with nothing under it): write "
                               f"next_review: {update.next_review} under it by hand")
        current = plan.get("governance") or {}
        fields: dict[str, Any] = {"next_review": update.next_review}
        parent_key = "governance"
    elif update.objective is not None:
        index, current = _find(rel, plan.get("objectives") or [], update.objective, "objective", "--objective")
        path, what = ("plan", "objectives", index), f"objective {update.objective}"
        assert update.status is not None
        fields = {"status": update.status}
    else:
        assert update.activity is not None
        index, current = _find(rel, plan.get("activities") or [], update.activity, "activity", "--activity")
        path, what = ("plan", "activities", index), f"activity {update.activity}"
        fields = _activity_fields(rel, current, update, as_of)
    changed = {k: v for k, v in fields.items() if current.get(k) != v or k not in current}
    if not changed:
        result.append(Outcome(rel, what, {}))
        return raw
    values = [(k, _value(v)) for k, v in changed.items()]
    new = set_keys(raw, path, values, rel, parent_key=parent_key)
    refuse_new_errors(env, rel, raw, new)
    result.append(Outcome(rel, what, changed))
    return new


def _find(rel: str, items: list[Any], wanted: str, kind: str, option: str) -> tuple[int, dict[str, Any]]:
    ids = [str(item.get("id")) for item in items if isinstance(item, dict)]
    for i, item in enumerate(items):
        if isinstance(item, dict) and str(item.get("id")) == wanted:
            return i, item
    guess = difflib.get_close_matches(wanted, ids, n=1, cutoff=0.5)
    hint = f" (did you mean '{guess[0]}'?)" if guess else ""
    plural = "activities" if kind == "activity" else "objectives"
    known = f"its {plural} are {', '.join(ids)}" if ids else f"it has no {plural}"
    raise UsageError(f"{option} {wanted}: no {kind} with that id in {rel}{hint}; {known}")


def _activity_fields(rel: str, current: dict[str, Any], update: Update, as_of: dt.date) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    status = update.status or current.get("status", "planned")
    if update.status is not None:
        fields["status"] = update.status
    if update.date is not None:
        fields["date"] = update.date
    elif status in ("done", "cancelled") and current.get("date") is None:
        fields["date"] = as_of  # a done or cancelled activity needs a date: today's, when it has none
    if update.hours is not None:
        fields["hours"] = update.hours
    if update.compensation is not None:
        fields["compensation"] = update.compensation
    when = fields.get("date", current.get("date"))
    limit = as_of + dt.timedelta(days=1)
    if status == "done" and isinstance(when, dt.date) and when > limit:
        message = (f"done activity {current['id']} is dated {when}, after today ({as_of}): fix the date (KP014)")
        if update.date is not None:
            raise UsageError(f"--date {when}: {message}; or keep it --status planned")
        raise RefusedError(f"{message}; give the day it was done with --date, or keep it planned")
    return fields


def _value(value: Any) -> Value:
    if isinstance(value, dt.date):
        return Value(value.isoformat(), value)
    if isinstance(value, (int, float)):
        return Value(repr(value), value)
    return Value(str(value), value)


def refuse_new_errors(env: CheckEnv, rel: str, old: bytes, new: bytes) -> None:
    """The changed plan has no error the plan had not (SPEC 10): the plan's own rules run on
    both, and an error only the new one has refuses the change with the rule's message."""
    def errors(data: bytes) -> list[Diagnostic]:
        return [d for d in check_bytes(env, rel, data).diagnostics if d.severity is Severity.ERROR]

    before = Counter((d.code, d.message) for d in errors(old))
    added: list[Diagnostic] = []
    for d in errors(new):
        if before[(d.code, d.message)] > 0:
            before[(d.code, d.message)] -= 1
        else:
            added.append(d)
    if added:
        first = added[0]
        raise RefusedError(f"this change would give {rel} {len(added)} new error{'s' if len(added) != 1 else ''} "
                           f"({first.code}: {first.message}), so nothing was written", diagnostics=added)
