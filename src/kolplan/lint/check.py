"""One file through the pipeline: bytes -> document -> model -> plan rules -> diagnostics + facts.

Everything here is per file and independent of other files, so it runs in worker
processes and its result (:class:`FileResult`) can be cached by content digest.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kolplan.diagnostics import Diagnostic
from kolplan.lint.facts import extract_facts
from kolplan.lint.result import FileResult
from kolplan.lint.suppressions import find_suppressions
from kolplan.rules import registry, rules_of
from kolplan.rules.context import Finding, PlanContext

if TYPE_CHECKING:
    from collections.abc import Callable

    from kolplan.rules.registry import Rule
    from kolplan.schema import Config, Plan
    from kolplan.schema.parse import Parsed
    from kolplan.yamlio.document import Document


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


def check_bytes(env: CheckEnv, rel: str, data: bytes, in_portfolio: bool = True) -> FileResult:
    """Read, validate and lint one plan file's bytes (read by :func:`kolplan.repo.files.read_plan_bytes`)."""
    suppressions = find_suppressions(data)
    parsed, diags = parse_plan(rel, data)
    if parsed is None:
        return FileResult(rel, diags, None, suppressions)
    plan, doc = parsed.model, parsed.document
    stem = os.path.splitext(os.path.basename(rel))[0]
    ctx = PlanContext(rel, stem, plan, doc.data, env.config, env.as_of)
    diags.extend(run_plan_rules(ctx, doc))
    facts = extract_facts(rel, plan, doc, in_portfolio)
    part = env.project(rel, plan) if env.project is not None else None
    return FileResult(rel, diags, facts, suppressions, valid=True, part=part)


def parse_plan(rel: str, data: bytes) -> tuple[Parsed[Plan] | None, list[Diagnostic]]:
    """Read and schema-check one plan. ``None`` with diagnostics when KP001-KP003/KP010 apply
    (a plan with duplicate keys, KP002, is not what its author meant: it is not checked further)."""
    # lazy: pydantic and the models: a warm validate parses no plan
    from kolplan.schema import Plan
    from kolplan.schema.parse import parse_model

    parsed, diags = parse_model(rel, data, Plan)
    if diags:
        return None, diags
    return parsed, diags


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
