"""``kolplan validate``: which files, which rules, suppressions, and the exit code."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kolplan.diagnostics import Diagnostic, Severity, sort_diagnostics
from kolplan.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from kolplan.lint.check import CheckEnv
from kolplan.lint.portfolio import check_files, check_portfolio, discover, fill_facts, is_plan_name
from kolplan.repo.config import Repo
from kolplan.rules.context import PlanFacts

if TYPE_CHECKING:
    from collections.abc import Callable

    from kolplan.schema import Plan
from kolplan.lint.suppressions import Suppression


@dataclass
class ValidateOptions:
    paths: list[Path] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    as_of: dt.date = field(default_factory=dt.date.today)
    strict: bool = False
    use_cache: bool = True
    jobs: int | None = None
    # Run on every plan that read and validated, where it was parsed; the results are in
    # ValidationReport.parts (``kolplan report``: each plan's figures). Bypasses the cache.
    project: Callable[[str, Plan], object] | None = None


@dataclass
class ValidationReport:
    diagnostics: list[Diagnostic]
    files: int
    strict: bool = False
    parts: dict[str, object] = field(default_factory=dict)  # with ValidateOptions.project, by path
    root: Path | None = None  # where the paths are relative to (SARIF reads the text at each region)

    def for_path(self, path: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.path == path]

    def counts(self) -> dict[str, int]:
        from kolplan.diagnostics import count_by_severity

        return count_by_severity(self.diagnostics)

    @property
    def exit_code(self) -> int:
        c = self.counts()
        if c["error"] or (self.strict and c["warning"]):
            return EXIT_FINDINGS
        return EXIT_OK


def parse_rule_list(values: list[str], flag: str) -> set[str]:
    """``--select KP101,KP102 --select no-kol-value`` -> {"KP101", "KP102", "KP103"}."""
    from kolplan.rules import lookup

    codes: set[str] = set()
    for value in values:
        for token in value.split(","):
            token = token.strip()
            if not token:
                continue
            rule = lookup(token)
            if rule is None:
                raise UsageError(f"{flag} {token}: unknown rule (codes look like KP101, names like "
                                 "activity-without-objective; `kolplan rules` lists them)")
            codes.add(rule.code)
    return codes


def resolve_targets(repo: Repo, paths: list[Path], unreadable: list[Diagnostic] | None = None
                    ) -> tuple[list[str], bool]:
    """Repo-relative plan files to report on, and whether the whole portfolio was asked for.

    A named folder that cannot be read, or one below it, gets a KP003 diagnostic in
    ``unreadable``; a named file that cannot even be looked at (a folder on its way that
    is not searchable) is a target like any other, and its check says why it cannot be read.
    """
    if not paths:
        return [], True
    targets: list[str] = []
    whole = False
    for p in paths:
        try:
            os.lstat(p)
        except (FileNotFoundError, NotADirectoryError):
            raise UsageError(f"{p}: no such file or folder") from None
        except OSError:  # e.g. permission denied on a folder on the way: reported as KP003
            targets.append(repo.rel(p))
            continue
        if (os.path.isfile(p) and p.absolute() == repo.config_path.absolute()) or (
            p.name == "kolplan.yaml" and p.absolute().parent == repo.root
        ):
            whole = True
        elif os.path.isdir(p) and not is_plan_name(p.name):
            targets.extend(discover(p, repo.root, unreadable))
        else:
            targets.append(repo.rel(p))
    return sorted(set(targets)), whole


def validate(repo: Repo, opts: ValidateOptions) -> ValidationReport:
    select = parse_rule_list(opts.select, "--select")
    ignore = parse_rule_list(opts.ignore, "--ignore")
    # Folders that cannot be read: KP003 on each (SPEC 9), reported where their plans would be.
    unreadable: list[Diagnostic] = []
    targets, whole = resolve_targets(repo, opts.paths, unreadable)
    if repo.plans_dir.exists() and not repo.plans_dir.is_dir():
        raise UsageError(f"{repo.rel(repo.plans_dir)} is a file, not a folder: plans live in plans/<id>.yaml")
    everything = whole or not opts.paths
    portfolio = discover(repo.plans_dir, repo.root, unreadable if everything else None) \
        if repo.plans_dir.is_dir() else []
    in_portfolio = set(portfolio)
    reported = set(portfolio) if everything else set(targets)
    outside = [t for t in targets if t not in in_portfolio]
    items = [(rel, True) for rel in portfolio] + [(rel, False) for rel in outside]

    env = CheckEnv(repo.root, repo.config, opts.as_of, opts.project)
    from kolplan.lint.cache import open_cache

    cached = opts.use_cache and opts.project is None
    cache = open_cache(repo.root, repo.config_digest, opts.as_of, cached)
    results, cross = check_portfolio(env, items, opts.jobs, cache=cache, reported=reported)
    cross_by_path: dict[str, list[Diagnostic]] = {}
    for d in cross:
        cross_by_path.setdefault(d.path, []).append(d)

    choose = RuleChoice.of(repo, select, ignore)
    out: list[Diagnostic] = []
    for r in results:
        if r.path not in reported:
            continue
        diags = r.diagnostics + cross_by_path.get(r.path, [])
        # a file that did not read or validate ran no rules: its suppressions cannot be judged unused
        if r.valid and r.suppressions:
            diags = apply_suppressions(diags, r.suppressions, r.path)
        out.extend(choose(diags))
    for d in unreadable:
        if d.path not in reported:  # a folder found twice (named, and under plans/) is reported once
            reported.add(d.path)
            out.append(d)
    parts = {r.path: r.part for r in results if r.part is not None}
    return ValidationReport(sort_diagnostics(out), len(reported), opts.strict, parts, repo.root)


def portfolio_facts(repo: Repo, as_of: dt.date, use_cache: bool = True,
                    unreadable: list[Diagnostic] | None = None) -> list[PlanFacts]:
    """The cross-plan facts of every plan under ``plans/`` that reads and validates (what
    ``new`` and ``import`` match a KOL against), through the cache: a warm run parses no plan,
    decodes no diagnostic and runs no cross-plan rule. Folders that could not be listed are
    added to ``unreadable`` (KP003)."""
    from kolplan.lint.cache import open_cache

    portfolio = discover(repo.plans_dir, repo.root, unreadable) if repo.plans_dir.is_dir() else []
    items = [(rel, True) for rel in portfolio]
    env = CheckEnv(repo.root, repo.config, as_of)
    cache = open_cache(repo.root, repo.config_digest, as_of, use_cache)
    results = check_files(env, items, cache=cache, reported=())
    if cache is not None:
        fill_facts(env, cache, results, items)
        cache.save()
    return [r.facts for r in results if r.facts is not None]


def apply_suppressions(diags: list[Diagnostic], sups: list[Suppression], path: str) -> list[Diagnostic]:
    """Drop diagnostics covered by inline suppressions; report the ones that cover nothing (KP901)."""
    if not sups:
        return diags
    from kolplan.rules import lookup

    used: set[tuple[int, str]] = set()
    kept: list[Diagnostic] = []
    for d in diags:
        if d.code.startswith("KP0"):
            kept.append(d)
            continue
        covered = False
        for s in sups:
            if s.file_level or s.line == d.line:
                for tok in s.tokens:
                    rule = lookup(tok)
                    if rule is not None and rule.code == d.code:
                        used.add((id(s), tok))
                        covered = True
        if not covered:
            kept.append(d)
    unused = lookup("KP901")
    if unused is None:
        return kept
    file_off = {lookup(t).code for s in sups if s.file_level for t in s.tokens if lookup(t)}  # type: ignore[union-attr]
    for s in sups:
        for tok in s.tokens:
            if (id(s), tok) in used:
                continue
            rule = lookup(tok)
            scope = "this file" if s.file_level else "this line"
            if rule is None:
                msg = f"suppression names unknown rule '{tok}': use a code such as KP101 or a rule name"
            elif rule.code.startswith("KP0"):
                msg = f"{rule.code} cannot be suppressed (reading and schema errors are always reported): remove it"
            else:
                msg = f"suppression of {rule.code} {rule.name} covers nothing on {scope}: remove it"
            if "KP901" not in file_off:
                kept.append(Diagnostic(path, s.line, s.column, unused.severity, unused.code, unused.name, msg))
    return kept


@dataclass(frozen=True)
class RuleChoice:
    """``rules:`` from kolplan.yaml with ``--select`` / ``--ignore``, resolved once per run."""

    drop: frozenset[str]
    select: frozenset[str]
    severity: dict[str, str]

    @classmethod
    def of(cls, repo: Repo, select: set[str], ignore: set[str]) -> RuleChoice:
        from kolplan.rules import lookup

        settings = repo.config.rules
        drop = {r.code for r in map(lookup, settings.ignore) if r is not None} | ignore
        severity: dict[str, str] = {}
        for key, sev in settings.severity.items():
            rule = lookup(key)
            if rule is not None:
                severity[rule.code] = sev
        return cls(frozenset(drop), frozenset(select), severity)

    def __call__(self, diags: list[Diagnostic]) -> list[Diagnostic]:
        if not diags:
            return diags
        out: list[Diagnostic] = []
        for d in diags:
            if d.code.startswith("KP0"):
                out.append(d)
                continue
            if d.code in self.drop or (self.select and d.code not in self.select):
                continue
            override = self.severity.get(d.code)
            if override == "off":
                continue
            out.append(d.with_severity(Severity(override)) if override else d)
        return out
