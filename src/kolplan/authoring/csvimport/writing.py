"""The text of each file an import writes, checked before anything is written.

* A new plan is written as ``kolplan new`` writes it: ``plans/<id>.yaml`` from the scaffold
  template (:func:`kolplan.authoring.scaffold.plan_context`), its id from the KOL's name
  (:func:`kolplan.authoring.scaffold.slugify`, titles left out) made unique against every plan
  file and the other new plans, and it must pass the plan's own checks with no error.
* A plan is completed, never overwritten: an identifier, the institution, the country or the
  therapeutic areas it lacks are added by the splices ``kolplan update`` makes
  (:func:`kolplan.yamlio.splice.set_keys`: every other byte kept, the result read back as the
  old data plus exactly those keys); a value that disagrees with the plan is a conflict, left
  alone; the change must give the plan no new error (:func:`kolplan.authoring.update.refuse_new_errors`).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Final

from kolplan.authoring.csvimport.rows import Row
from kolplan.authoring.scaffold import (
    TEMPLATE,
    NewPlan,
    flow_list,
    plan_context,
    plan_rel,
    scaffold_environment,
    slugify,
)
from kolplan.authoring.update import refuse_new_errors
from kolplan.diagnostics import Severity
from kolplan.errors import RefusedError
from kolplan.lint.check import CheckEnv, check_bytes
from kolplan.lint.identifiers import normalize_identifier, normalize_institution, normalize_name
from kolplan.repo.root import Repo
from kolplan.schema.types import SLUG_MAX, SLUG_RE
from kolplan.vocabulary import IDENTIFIER_LABELS
from kolplan.yamlio.document import Document
from kolplan.yamlio.emit import quoted
from kolplan.yamlio.reader import read_bytes
from kolplan.yamlio.splice import Value, set_keys

RENDER_BATCH: Final = 500  # plans rendered in one bounded child
_NOT_SLUG: Final = re.compile(r"[^a-z0-9]+")


# -- new plans --------------------------------------------------------------------------------
def plan_id_for(name: str, taken: set[str]) -> str:
    """``Dr. Jane Okafor`` -> ``jane-okafor`` (``jane-okafor-2`` when taken); added to ``taken``."""
    base = _NOT_SLUG.sub("-", slugify(normalize_name(name) or name)).strip("-") or "kol"
    candidate, n = base[:SLUG_MAX].strip("-"), 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = base[:SLUG_MAX - len(suffix)].rstrip("-") + suffix
    assert SLUG_RE.fullmatch(candidate), candidate
    taken.add(candidate)
    return candidate


def new_plan_request(row: Row, plan_id: str, lead: str, as_of: dt.date) -> NewPlan:
    return NewPlan(plan_id, row.name, lead, row.institution, row.tier, list(row.therapeutic_areas), row.country,
                   dict(row.identifiers), as_of)


def render_new(repo: Repo, requests: list[NewPlan]) -> list[str]:
    """The text of each new plan, from the scaffold template, in batches of :data:`RENDER_BATCH`."""
    # lazy: jinja2: only an import that creates plans renders
    from kolplan.views.render import render_many

    env = scaffold_environment(repo)
    texts: list[str] = []
    for at in range(0, len(requests), RENDER_BATCH):
        texts.extend(render_many(env, TEMPLATE, [plan_context(repo, r) for r in requests[at:at + RENDER_BATCH]]))
    return texts


PARALLEL_MIN: Final = 200  # new plans from which the checks run in forked workers
CHUNK: Final = 250
_WORKER_ENV: CheckEnv | None = None


def new_plan_problems(env: CheckEnv, plans: list[tuple[str, str]]) -> list[str | None]:
    """:func:`new_plan_problem` for each (plan id, text), in forked workers when there are many
    (the lint workers of ``validate``: a Ctrl-C stops them at once)."""
    # lazy: the runner's job count and the worker pool, only for a large import
    from kolplan.lint.runner import default_jobs

    jobs = default_jobs()
    if jobs <= 1 or len(plans) < PARALLEL_MIN or sys.platform != "linux":
        return [new_plan_problem(env, plan_id, text) for plan_id, text in plans]
    # lazy: the worker pool only for a large import
    from kolplan.lint.workers import fork_map
    from kolplan.rules.registry import load_rules

    global _WORKER_ENV
    load_rules()  # once, before the fork
    _WORKER_ENV = env
    try:
        chunks = [plans[i:i + CHUNK] for i in range(0, len(plans), CHUNK)]
        return [problem for part in fork_map(_check_chunk, chunks, jobs) for problem in part]
    finally:
        _WORKER_ENV = None


def _check_chunk(chunk: list[tuple[str, str]]) -> list[str | None]:  # pragma: no cover (a forked worker)
    assert _WORKER_ENV is not None
    return [new_plan_problem(_WORKER_ENV, plan_id, text) for plan_id, text in chunk]


def new_plan_problem(env: CheckEnv, plan_id: str, text: str) -> str | None:
    """Why the new plan's text would not pass validate (its first error), or None."""
    result = check_bytes(env, plan_rel(plan_id), text.encode("utf-8"))
    errors = [d for d in result.diagnostics if d.severity == Severity.ERROR]
    if not errors:
        return None
    d = errors[0]
    return (f"the plan written from this row would have {len(errors)} error(s), first {d.code} at line {d.line}: "
            f"{d.message}")


# -- completing a plan --------------------------------------------------------------------------
@dataclass
class Completion:
    """What a row adds to its plan, and where it disagrees with it."""

    added: list[tuple[str, str]] = field(default_factory=list)  # (field, value as the file gives it)
    conflicts: list[str] = field(default_factory=list)


def compare(row: Row, kol: dict[str, Any], leads: list[str]) -> tuple[Completion, dict[str, Value], dict[str, Value]]:
    """The row against the plan's ``kol:`` mapping: what it adds (identifiers, kol keys) and its conflicts."""
    out = Completion()
    ids: dict[str, Value] = {}
    keys: dict[str, Value] = {}
    have = kol.get("identifiers") if isinstance(kol.get("identifiers"), dict) else {}
    assert isinstance(have, dict)
    for kind, value in row.identifiers.items():
        label = IDENTIFIER_LABELS[kind]
        old = have.get(kind)
        if old is None or old == "":
            ids[kind] = Value(quoted(value), value)
            out.added.append((kind, value))
        elif normalize_identifier(kind, str(old)) != normalize_identifier(kind, value):
            out.conflicts.append(f"{label}: the plan has {old}, the file {value}")
    if normalize_name(str(kol.get("name", ""))) != normalize_name(row.name):
        out.conflicts.append(f"name: the plan has '{kol.get('name')}', the file '{row.name}'")
    if row.institution:
        old = kol.get("institution")
        if not old:
            keys["institution"] = Value(quoted(row.institution), row.institution)
            out.added.append(("institution", row.institution))
        elif normalize_institution(str(old)) != normalize_institution(row.institution):
            out.conflicts.append(f"institution: the plan has '{old}', the file '{row.institution}'")
    if row.country:
        old = kol.get("country")
        if not old:
            keys["country"] = Value(row.country, row.country)
            out.added.append(("country", row.country))
        elif str(old).upper() != row.country:
            out.conflicts.append(f"country: the plan has {old}, the file {row.country}")
    if row.tier and kol.get("tier") != row.tier:
        out.conflicts.append(f"tier: the plan has {kol.get('tier')}, the file {row.tier}")
    if row.therapeutic_areas:
        old_areas = kol.get("therapeutic_areas") or []
        if not old_areas:
            keys["therapeutic_areas"] = Value(flow_list(row.therapeutic_areas), list(row.therapeutic_areas))
            out.added.append(("therapeutic areas", ", ".join(row.therapeutic_areas)))
        elif not {a.lower() for a in row.therapeutic_areas} <= {str(a).lower() for a in old_areas}:
            out.conflicts.append(f"therapeutic areas: the plan has {', '.join(map(str, old_areas))}, the file "
                                 f"{', '.join(row.therapeutic_areas)}")
    if row.lead and row.lead not in leads:  # the row's own lead column, not --lead
        out.conflicts.append(f"lead: the plan's lead is {', '.join(leads) or 'nobody'}, the file says {row.lead}")
    return out, ids, keys


def complete_bytes(env: CheckEnv, rel: str, raw: bytes, row: Row) -> tuple[bytes, Completion]:
    """``raw`` (plan ``rel``) with what ``row`` adds, and what it adds and disagrees on.

    Pure (``edit_plan`` may call it again on a newer content); raises a
    :class:`~kolplan.errors.KolplanError` when the plan cannot be completed (nothing written)."""
    doc = read_bytes(raw)
    if not isinstance(doc, Document) or not isinstance(doc.data, dict) or not isinstance(doc.data.get("kol"), dict):
        raise RefusedError(f"{rel} cannot be read now: run kolplan validate {rel}")
    owners = doc.data.get("owners") or []
    leads = [o.get("person") for o in owners if isinstance(o, dict) and o.get("role") == "lead"]
    completion, ids, keys = compare(row, doc.data["kol"], [str(h) for h in leads])
    new = raw
    if ids:
        new = set_keys(new, ("kol", "identifiers"), list(ids.items()), rel, parent_key="identifiers")
    if keys:
        new = set_keys(new, ("kol",), list(keys.items()), rel)
    if new != raw:
        refuse_new_errors(env, rel, raw, new)
    return new, completion
