"""The import run (SPEC 11): read, recognise the columns, check each row, match, prepare every
file, then write all of them, or nothing.

All or nothing: a bad row (no name, an unknown lead, a bad NPI or ORCID, an unknown country
or tier, two rows for one KOL, a plan that could not be written from it) stops every write,
and every bad row is listed; ``skip_bad`` writes the good rows and lists the rest;
``dry_run`` writes nothing. Every file is prepared and checked before the first is written.

Several files cannot be replaced in one atomic step. Each file is written atomically
(a complete new file or none: :func:`kolplan.yamlio.atomic.atomic_write`, and plans to
complete under their lock: :func:`kolplan.authoring.edit.edit_plan`), and an import
stopped between two files (a crash, Ctrl-C, a full disk) leaves the files written so far
complete and valid. Running the same import again finishes it: the rows written before now
match their plans (a shared identifier) and are left alone as up to date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Final

from kolplan.authoring.csvimport.columns import read_mapping, resolve
from kolplan.authoring.csvimport.matching import BAD, CREATE, MATCH, POSSIBLE, REPEAT, match_rows
from kolplan.authoring.csvimport.reading import Table, read_table
from kolplan.authoring.csvimport.rows import BadRow, Row, parse_row
from kolplan.authoring.csvimport.writing import (
    complete_bytes,
    new_plan_problems,
    new_plan_request,
    plan_id_for,
    render_new,
)
from kolplan.authoring.edit import edit_plan
from kolplan.authoring.scaffold import check_person, plan_rel
from kolplan.diagnostics import Diagnostic
from kolplan.errors import KolplanError, RefusedError
from kolplan.lint.check import CheckEnv
from kolplan.repo.discovery import plan_files, stem_of
from kolplan.repo.files import read_plan_bytes
from kolplan.repo.root import Repo
from kolplan.yamlio.atomic import write_new_files

# What became of a row, in the order the summary counts them.
CREATED, COMPLETED, UP_TO_DATE, REPEATED, CONFLICT, POSSIBLE_DUPLICATE, REFUSED = (
    "created", "completed", "up to date", "repeated", "conflict", "possible duplicate", "refused")
KINDS: Final = (CREATED, COMPLETED, UP_TO_DATE, REPEATED, CONFLICT, POSSIBLE_DUPLICATE, REFUSED)


@dataclass(frozen=True)
class ImportRequest:
    csv: Path
    mapping: Path | None = None
    lead: str | None = None
    dry_run: bool = False
    skip_bad: bool = False
    as_of: dt.date = field(default_factory=dt.date.today)


@dataclass
class Outcome:
    row: int
    kind: str
    plan: str | None = None  # the plan created, completed, matched or in conflict
    detail: str = ""  # the conflict, why refused, what is repeated, the lead of a new plan
    added: str = ""  # what a completion adds: "orcid 0000-0002-1825-0097, country DE"


@dataclass
class ImportResult:
    table: Table
    ignored: list[str]  # headers of the columns not imported
    outcomes: list[Outcome]  # one per non-empty row, in row order
    wrote: bool  # files were written (not a dry run, and not stopped by bad rows)
    dry_run: bool
    skip_bad: bool
    lead: str | None = None

    def count(self, kind: str) -> int:
        return sum(1 for o in self.outcomes if o.kind == kind)

    @property
    def exit_code(self) -> int:
        """0 when every row was created, completed, up to date (or a repeat); 1 otherwise (SPEC 11)."""
        return 1 if any(o.kind in (REFUSED, CONFLICT, POSSIBLE_DUPLICATE) for o in self.outcomes) else 0


@dataclass
class _Plan:
    """A file to write: a new plan's text, or a row to complete its plan with."""

    outcome: Outcome
    rel: str
    text: str | None = None
    row: Row | None = None


def run_import(repo: Repo, req: ImportRequest) -> ImportResult:
    """Import ``req.csv`` into ``repo``; what became of each row. Exit-2 problems (the file,
    ``--lead``, ``--mapping``) raise :class:`~kolplan.errors.UsageError` before anything is read."""
    if req.lead is not None:
        check_person(repo, req.lead, "--lead")
    mapping = read_mapping(req.mapping) if req.mapping is not None else {}
    table = read_table(req.csv)
    header = table.rows[0][1]
    columns = resolve(header, mapping, table.shown)
    good: list[Row] = []
    outcomes: dict[int, Outcome] = {}
    for number, cells in table.rows[1:]:
        parsed = parse_row(repo, number, cells, columns, len(header))
        if isinstance(parsed, BadRow):
            outcomes[number] = Outcome(number, REFUSED, detail="; ".join(parsed.reasons))
        elif parsed is not None:
            good.append(parsed)
    env = CheckEnv(repo.root, repo.config, req.as_of)
    files = _prepare(repo, env, good, req, outcomes)
    result = ImportResult(table, columns.ignored, [outcomes[n] for n in sorted(outcomes)], False, req.dry_run,
                          req.skip_bad, req.lead)
    if req.dry_run or (result.count(REFUSED) and not req.skip_bad):
        return result
    _write(repo, env, files)
    result.wrote = True
    return result


def _prepare(repo: Repo, env: CheckEnv, rows: list[Row], req: ImportRequest,
             outcomes: dict[int, Outcome]) -> list[_Plan]:
    """Match the good rows and prepare every file to write (in ``outcomes``, what each row comes to)."""
    # lazy: the checker and the cache: only once the file has been read and its rows checked
    from kolplan.lint.engine import portfolio_facts

    unreadable: list[Diagnostic] = []
    facts = portfolio_facts(repo, req.as_of, unreadable=unreadable)
    every = plan_files(repo, unreadable)
    _require_matchable(every, {f.path for f in facts}, unreadable)
    files: list[_Plan] = []
    creations: list[tuple[Outcome, Row, str]] = []
    taken = {stem_of(p) for p in every}
    for m in match_rows(repo, rows, facts, req.lead):
        n = m.row.number
        if m.kind == BAD:
            outcomes[n] = Outcome(n, REFUSED, detail=m.message)
        elif m.kind == REPEAT:
            outcomes[n] = Outcome(n, REPEATED, detail=m.message)
        elif m.kind == POSSIBLE:
            outcomes[n] = Outcome(n, POSSIBLE_DUPLICATE, detail=m.message)
        elif m.kind == MATCH:
            assert m.plan is not None
            outcomes[n] = outcome = Outcome(n, UP_TO_DATE, m.plan.path)
            _complete(env, m.plan.path, m.row, outcome, files)
        else:
            assert m.kind == CREATE and m.lead is not None
            plan_id = plan_id_for(m.row.name, taken)
            outcomes[n] = outcome = Outcome(n, CREATED, plan_rel(plan_id), f"lead {m.lead}")
            creations.append((outcome, m.row, m.lead))
    requests = [new_plan_request(row, stem_of(o.plan or ""), lead, req.as_of) for o, row, lead in creations]
    texts = render_new(repo, requests)
    problems = new_plan_problems(env, [(r.plan_id, t) for r, t in zip(requests, texts, strict=True)])
    for (outcome, _row, _lead), request, text, problem in zip(creations, requests, texts, problems, strict=True):
        if problem is not None:
            outcome.kind, outcome.plan, outcome.detail = REFUSED, None, problem
        else:
            files.append(_Plan(outcome, plan_rel(request.plan_id), text=text))
    return files


def _require_matchable(every: list[str], read: set[str], unreadable: list[Diagnostic]) -> None:
    """Refuse (exit 1) when a plan could not be read: a row for its KOL would become a second plan."""
    broken = [p for p in every if p not in read] + [d.path for d in unreadable]
    if broken:
        listed = ", ".join(broken[:5]) + (f" and {len(broken) - 5} more" if len(broken) > 5 else "")
        raise RefusedError(f"{listed} cannot be read or has schema errors: import matches every row against every "
                           "plan, and a row for a KOL in an unread plan would become a second plan; fix "
                           f"{'them' if len(broken) > 1 else 'it'} first (kolplan validate says how), then import "
                           "again")


def _complete(env: CheckEnv, rel: str, row: Row, outcome: Outcome, files: list[_Plan]) -> None:
    raw, problem = read_plan_bytes(env.root, rel)
    if raw is None:
        outcome.kind, outcome.detail = REFUSED, f"{rel} cannot be read: {problem.message if problem else ''}"
        return
    try:
        new, completion = complete_bytes(env, rel, raw, row)
    except KolplanError as exc:
        outcome.kind, outcome.detail = REFUSED, f"{rel} could not be completed: {exc.message}"
        return
    outcome.added = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in completion.added)
    if completion.conflicts:
        outcome.kind, outcome.detail = CONFLICT, "; ".join(completion.conflicts)
    elif completion.added:
        outcome.kind = COMPLETED
    if new != raw:
        files.append(_Plan(outcome, rel, row=row))


def _write(repo: Repo, env: CheckEnv, files: list[_Plan]) -> None:
    """Plans to complete first, one by one under their locks, then the new plans together
    (:func:`kolplan.yamlio.atomic.write_new_files`); each file atomically."""
    completions = [f for f in files if f.row is not None]
    done = 0
    try:
        for f in completions:
            assert f.row is not None
            edit_plan(repo.root, f.rel, partial(_completed, env, f.rel, f.row))
            done += 1
        write_new_files([(repo.root / f.rel, f.text or "") for f in files if f.row is None], root=repo.root)
    except KolplanError as exc:
        raise RefusedError(f"{exc.message}; the import stopped after completing {done} of {len(completions)} "
                           "plans; every file written is complete: run the same import again to finish it (rows "
                           "already written are matched with their plans and left alone)") from None


def _completed(env: CheckEnv, rel: str, row: Row, raw: bytes) -> bytes:
    return complete_bytes(env, rel, raw, row)[0]
