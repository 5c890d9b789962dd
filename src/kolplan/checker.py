"""One file through the pipeline: bytes -> document -> model -> plan rules -> diagnostics + facts.

Everything here is per file and independent of other files, so it runs in worker
processes and its result (:class:`FileResult`) can be cached by content digest.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kolplan.diagnostics import Diagnostic
from kolplan.diagnostics import reading_diagnostic as _reading
from kolplan.rules.context import Finding, PlanContext, PlanFacts
from kolplan.suppressions import Suppression, find_suppressions

if TYPE_CHECKING:
    from collections.abc import Callable

    from kolplan.model import Config, Plan
    from kolplan.rules.registry import Rule
    from kolplan.yamlio.reader import Document


@dataclass(frozen=True)
class CheckEnv:
    """What every file's check needs besides its bytes."""

    root: Path
    config: Config
    as_of: dt.date
    # Run on each plan that read and validated, where it was parsed (in a worker); what it
    # returns comes back as FileResult.part, and the plan's model stays where it was: the
    # commands that need plans (report, list, owners, render) ask for what they show.
    project: Callable[[str, Plan], object] | None = None


@dataclass(slots=True)
class FileResult:
    path: str
    diagnostics: list[Diagnostic]
    facts: PlanFacts | None
    suppressions: list[Suppression] = field(default_factory=list)
    # The file read and validated, so its plan rules ran. Its facts may still be None:
    # a result from the cache has its facts read only when the cross-plan rules need them.
    valid: bool = False
    part: object = None  # what CheckEnv.project made of the plan


@dataclass(slots=True)
class ParsedPlan:
    """A plan that read and validated, with its document (for positions)."""

    path: str
    plan: Plan
    document: Document


def check_file(env: CheckEnv, rel: str, in_portfolio: bool = True) -> FileResult:
    """Read, validate and lint one plan file."""
    data, problem = read_plan_bytes(env.root, rel)
    if problem is not None:
        return FileResult(rel, [problem], None)
    assert data is not None
    return check_bytes(env, rel, data, in_portfolio)


def read_plan_bytes(root: Path, rel: str, st: os.stat_result | None = None) -> tuple[bytes | None, Diagnostic | None]:
    """The file's bytes, or a KP003 diagnostic saying why it cannot be read.

    ``st`` is the file's ``lstat`` when the caller already has it (one system call less).
    """
    full = os.path.join(root, rel)
    try:
        if st is None:
            st = os.lstat(full)
        if stat.S_ISLNK(st.st_mode):
            path = Path(full)
            if not path.resolve().is_relative_to(root.resolve()):
                return None, _reading(rel, 1, 1, "KP003", "the file is a link to outside the repository: "
                                      "plans must live inside it")
            if path.is_dir():
                return None, _folder(rel)
        elif stat.S_ISDIR(st.st_mode):
            return None, _folder(rel)
        with open(full, "rb") as fh:
            data = read_capped(fh, st.st_size if stat.S_ISREG(st.st_mode) else os.fstat(fh.fileno()).st_size)
    except OSError as exc:
        return None, _reading(rel, 1, 1, "KP003", f"cannot read the file: {exc.strerror or exc}")
    except RuntimeError:  # Path.resolve() on a symlink loop (Python < 3.13)
        return None, _reading(rel, 1, 1, "KP003", "the file is a symbolic link that loops back on itself: "
                              "replace it with the plan file")
    return data, None


def _folder(rel: str) -> Diagnostic:
    return _reading(rel, 1, 1, "KP003", "this is a folder, not a plan file: rename it "
                    "(folders under plans/ must not end in .yaml)")


MAX_READ = 1024 * 1024 + 1  # one byte past the limit is enough to know it is too big


def read_capped(fh: BinaryIO, size: int) -> bytes:
    """At most :data:`MAX_READ` bytes of ``fh``, whose size was ``size`` a moment ago.

    Asking for exactly what is there, rather than for ``MAX_READ`` each time, spares a
    1 MiB buffer per file (an mmap and munmap each); a file that grew meanwhile is
    read on, up to the cap.
    """
    data = fh.read(min(max(size, 0), MAX_READ - 1) + 1)
    if len(data) > size and len(data) < MAX_READ:
        data += fh.read(MAX_READ - len(data))
    return data


def check_bytes(env: CheckEnv, rel: str, data: bytes, in_portfolio: bool = True) -> FileResult:
    suppressions = find_suppressions(data)
    parsed, diags = parse_plan(rel, data)
    if parsed is None:
        return FileResult(rel, diags, None, suppressions)
    stem = os.path.splitext(os.path.basename(rel))[0]
    ctx = PlanContext(rel, stem, parsed.plan, parsed.document.data, env.config, env.as_of)
    diags.extend(run_plan_rules(ctx, parsed.document))
    facts = extract_facts(parsed, in_portfolio)
    part = env.project(rel, parsed.plan) if env.project is not None else None
    return FileResult(rel, diags, facts, suppressions, valid=True, part=part)


def parse_plan(rel: str, data: bytes) -> tuple[ParsedPlan | None, list[Diagnostic]]:
    """Read and schema-check one plan. ``None`` with diagnostics when KP001-KP003/KP010 apply."""
    from pydantic import ValidationError

    from kolplan.model import Plan
    from kolplan.schema_errors import schema_problems
    from kolplan.yamlio.reader import YamlProblem, read_bytes

    res = read_bytes(data)
    if isinstance(res, YamlProblem):
        return None, [_reading(rel, res.line, res.column, res.code, res.message)]
    diags = [_reading(rel, p.line, p.column, p.code, p.message) for p in res.problems]
    try:
        plan = Plan.model_validate(res.data)
    except ValidationError as exc:
        diags += [_reading(rel, p.line, p.column, "KP010", p.message) for p in schema_problems(exc, res, Plan)]
        return None, diags
    if diags:  # duplicate keys: the data is not what the author meant
        return None, diags
    return ParsedPlan(rel, plan, res), diags


def run_plan_rules(ctx: PlanContext, doc: Document) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for rule in _plan_rules():
        assert rule.check is not None
        for finding in rule.check(ctx):
            assert isinstance(finding, Finding)
            out.append(finding_to_diagnostic(rule, ctx.file, finding, doc))
    return out


_PLAN_RULES: tuple[tuple[int, ...], list[Rule]] = ((), [])


def _plan_rules() -> list[Rule]:
    """``rules_of("plan")`` (which sorts the registry), again only when the registry changed."""
    global _PLAN_RULES
    from kolplan.rules import registry, rules_of

    key = tuple(map(id, registry.load_rules().values()))  # a rule added or replaced (tests) refreshes it
    if _PLAN_RULES[0] != key:
        _PLAN_RULES = (key, rules_of("plan"))
    return _PLAN_RULES[1]


def finding_to_diagnostic(rule: Rule, rel: str, finding: Finding, doc: Document) -> Diagnostic:
    if finding.at == "parent":
        line, col = doc.parent_position(finding.path)
    else:
        line, col = doc.position(finding.path, finding.at)
    return Diagnostic(rel, line, col, rule.severity, rule.code, rule.name, finding.message)


def extract_facts(parsed: ParsedPlan, in_portfolio: bool) -> PlanFacts:
    from kolplan.identifiers import normalize_identifier, normalize_institution, normalize_name

    plan, doc = parsed.plan, parsed.document
    ids: dict[str, str] = {}
    pos: dict[str, tuple[int, int]] = {}
    for kind in ("crm_id", "npi", "orcid", "email"):
        value = getattr(plan.kol.identifiers, kind)
        if value:
            ids[kind] = normalize_identifier(kind, value)
            pos[kind] = doc.position(("kol", "identifiers", kind))
    return PlanFacts(
        path=parsed.path,
        id=plan.id,
        name=plan.kol.name,
        institution=plan.kol.institution,
        name_key=normalize_name(plan.kol.name),
        institution_key=normalize_institution(plan.kol.institution or ""),
        identifiers=ids,
        identifier_pos=pos,
        name_pos=doc.position(("kol", "name")),
        leads=[o.person for o in plan.owners if o.role == "lead"],
        owners_pos=doc.position(("owners",), "key"),
        in_portfolio=in_portfolio,
    )
