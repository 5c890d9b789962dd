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
from typing import TYPE_CHECKING, BinaryIO, Final

from kolplan.diagnostics import Diagnostic
from kolplan.diagnostics import reading_diagnostic as _reading
from kolplan.lint.suppressions import Suppression, find_suppressions
from kolplan.rules.context import Finding, PlanContext, PlanFacts

if TYPE_CHECKING:
    from collections.abc import Callable

    from kolplan.rules.registry import Rule
    from kolplan.schema import Config, Plan
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
    Only a regular file is ever opened (SPEC 9): a FIFO, a socket or a device named like
    a plan is refused from its stat (a FIFO would block the run for ever, a device could
    be read without end), and the file is opened non-blocking and checked again after
    opening, in case it was replaced meanwhile. At most :data:`MAX_READ` bytes are read.
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
            st = os.stat(full)  # what the link points to
        if stat.S_ISDIR(st.st_mode):
            return None, _folder(rel)
        if not stat.S_ISREG(st.st_mode):
            return None, special_file(rel, st.st_mode)
        fd = os.open(full, _READ_FLAGS)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):  # replaced between the stat and the open
                return None, special_file(rel, st.st_mode)
            data = read_fd_capped(fd, st.st_size)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, _reading(rel, 1, 1, "KP003", f"cannot read the file: {exc.strerror or exc}")
    except RuntimeError:  # Path.resolve() on a symlink loop (Python < 3.13)
        return None, _reading(rel, 1, 1, "KP003", "the file is a symbolic link that loops back on itself: "
                              "replace it with the plan file")
    return data, None


# Never wait on the file: opening a FIFO for reading blocks until a writer comes, unless
# non-blocking (the stat refuses FIFOs before this; the flag covers a file replaced meanwhile).
_READ_FLAGS: Final = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words (``a FIFO (named pipe)``)."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def special_file(rel: str, mode: int) -> Diagnostic:
    return _reading(rel, 1, 1, "KP003", f"this is {file_kind(mode)}, not a plan file: kolplan does not open it; "
                    "replace it with the plan's YAML file or remove it")


def unreadable_folder(rel: str, exc: OSError) -> Diagnostic:
    """KP003 on a folder under ``plans/`` that cannot be listed: its plans were not checked."""
    why = exc.strerror or str(exc)
    return _reading(rel, 1, 1, "KP003", f"cannot read this folder ({why}): the plans in it were not checked; "
                    "make it readable (and searchable) by the user who runs kolplan")


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


def read_fd_capped(fd: int, size: int, cap: int = MAX_READ) -> bytes:
    """At most ``cap`` bytes of the open file ``fd``, whose size was ``size`` a moment ago.

    As :func:`read_capped`, without a file object: the first read asks for one byte more
    than ``size`` (a file of that size is read in one call and its end seen in the next),
    later reads for at most 64 KiB at a time, so that no buffer of ``cap`` bytes is
    allocated for a file that is small.
    """
    want = min(max(size, 0), cap - 1) + 1
    chunks: list[bytes] = []
    total = 0
    while total < cap:
        chunk = os.read(fd, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = min(cap - total, 65536)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


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

    from kolplan.schema import Plan
    from kolplan.schema.problems import schema_problems
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
    from kolplan.lint.identifiers import normalize_identifier, normalize_institution, normalize_name

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
