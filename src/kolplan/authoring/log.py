"""``kolplan log``: append an interaction to a plan without disturbing the rest of the file."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Final

from pydantic import ValidationError

from kolplan.authoring.edit import edit_plan, require_readable
from kolplan.authoring.scaffold import check_person, check_plan_id
from kolplan.errors import RefusedError, UsageError
from kolplan.repo.discovery import look_up
from kolplan.repo.root import Repo
from kolplan.schema import Interaction
from kolplan.vocabulary import CHANNELS
from kolplan.yamlio import append  # looked up at each call: the tests replace append_item
from kolplan.yamlio.emit import check_text, plain_or_quoted, quoted

KEY: Final = "interactions"


@dataclass
class LogEntry:
    plan_id: str
    by: str
    channel: str
    summary: str
    date: dt.date
    insights: list[str] = field(default_factory=list)


def find_plan(repo: Repo, plan_id: str) -> str:
    """The repo-relative file of plan ``plan_id``: unknown is exit 2, two files with that id exit 1."""
    check_plan_id(plan_id)
    lookup = look_up(repo, plan_id)
    found = lookup.matches
    if not found:
        guess = lookup.guess()
        hint = f" (did you mean '{guess}'?)" if guess else ""
        raise UsageError(f"no plan with id '{plan_id}' under plans/{hint}: `kolplan list` shows the ids; "
                         f"`kolplan new {plan_id} --name ... --lead ...` creates it")
    if len(found) > 1:
        raise RefusedError(f"plan id '{plan_id}' is used by {' and '.join(found)} (KP016): merge them or rename "
                           "one, then log again")
    return found[0]


def check_entry(repo: Repo, entry: LogEntry, as_of: dt.date) -> dict[str, Any]:
    """The interaction as plan data, or exit 2 saying which value is wrong."""
    for text in (entry.summary, *entry.insights):
        check_text(text)
    check_person(repo, entry.by, "--by")
    if entry.channel not in CHANNELS:
        guess = difflib.get_close_matches(entry.channel, CHANNELS, n=1, cutoff=0.5)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        raise UsageError(f"--channel {entry.channel}: not a channel; {hint}choose one of {', '.join(CHANNELS)}")
    if entry.date > as_of + dt.timedelta(days=1):
        raise UsageError(f"--date {entry.date} is after today ({as_of}): log what has happened; plan future "
                         "contacts as activities with status: planned")
    if not entry.summary.strip():
        raise UsageError('--summary is empty: say what was discussed, e.g. --summary "Discussed MRD assay data"')
    if any(not i.strip() for i in entry.insights):
        raise UsageError("--insight is empty: leave it out or say what you learned")
    data: dict[str, Any] = {"date": entry.date, "by": entry.by, "channel": entry.channel, "summary": entry.summary}
    if entry.insights:
        data["insights"] = list(entry.insights)
    try:
        Interaction.model_validate(data)
    except ValidationError as exc:  # the options above cover the model; this is the last guard
        raise UsageError(f"the interaction is not valid: {exc.errors()[0]['msg']}") from None
    return data


def yaml_fields(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The entry's keys and values as YAML text: free text always double-quoted."""
    out = [("date", data["date"].isoformat()), ("by", plain_or_quoted(data["by"])),
           ("channel", data["channel"]), ("summary", quoted(data["summary"]))]
    if "insights" in data:
        out.append(("insights", "[" + ", ".join(quoted(i) for i in data["insights"]) + "]"))
    return out


def log_interaction(repo: Repo, entry: LogEntry, as_of: dt.date) -> str:
    """Append ``entry`` to its plan; the repo-relative path written. The file is untouched on any refusal.

    The plan is read, changed and replaced under its lock (:func:`kolplan.authoring.edit.edit_plan`),
    so concurrent runs on one plan each add their entry.
    """
    rel = find_plan(repo, entry.plan_id)
    data = check_entry(repo, entry, as_of)
    edit_plan(repo.root, rel, partial(_append, rel, data))
    return rel


def _append(rel: str, data: dict[str, Any], raw: bytes) -> bytes:
    """The plan ``raw`` with the interaction ``data`` appended as text (checked by parsing it back)."""
    require_readable(rel, raw, "log again")
    return append.append_item(raw, KEY, yaml_fields(data), data, rel)
