"""A ``validate`` run: which files, the check of every plan and the cross-plan rules
(:mod:`kolplan.lint.crossplan`), then suppressions, the rule choice and the exit code.

:func:`validate` is the command; :func:`validate_and_project` is the same run that also
hands back, per plan, what a function made of it where it was parsed (the views' plan
loader, :func:`kolplan.views.loader.load_plans`); :func:`portfolio_facts` reads only the
cross-plan facts (``new``, ``import``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kolplan.diagnostics import Diagnostic, count_by_severity, sort_diagnostics
from kolplan.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from kolplan.lint.cache import open_cache
from kolplan.lint.crossplan import check_portfolio
from kolplan.lint.runner import Batch, check_files, fill_facts
from kolplan.lint.selection import RuleChoice, parse_rule_list
from kolplan.lint.suppressions import apply_suppressions
from kolplan.repo.discovery import discover, is_plan_name, plan_files
from kolplan.repo.root import Repo

if TYPE_CHECKING:
    from kolplan.lint.facts import PlanFacts
    from kolplan.schema import Plan


@dataclass
class ValidateOptions:
    paths: list[Path] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    as_of: dt.date = field(default_factory=dt.date.today)
    strict: bool = False
    use_cache: bool = True
    jobs: int | None = None


@dataclass
class ValidationReport:
    diagnostics: list[Diagnostic]
    files: int
    strict: bool = False
    root: Path | None = None  # where the paths are relative to (SARIF reads the text at each region)

    def for_path(self, path: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.path == path]

    def counts(self) -> dict[str, int]:
        return count_by_severity(self.diagnostics)

    @property
    def exit_code(self) -> int:
        c = self.counts()
        if c["error"] or (self.strict and c["warning"]):
            return EXIT_FINDINGS
        return EXIT_OK


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
    """``kolplan validate``: the diagnostics to report, through the cache unless ``--no-cache``."""
    return _run(repo, opts, None)[0]


def validate_and_project(repo: Repo, opts: ValidateOptions, project: Callable[[str, Plan], object],
                         ) -> tuple[ValidationReport, dict[str, object]]:
    """The same run, with ``project(path, plan)`` of every plan that read and validated, by
    path, computed where the plan was parsed (the models never travel between processes).
    Every plan is parsed: the cache is not used."""
    return _run(repo, opts, project)


def _run(repo: Repo, opts: ValidateOptions, project: Callable[[str, Plan], object] | None,
         ) -> tuple[ValidationReport, dict[str, object]]:
    select = parse_rule_list(opts.select, "--select")
    ignore = parse_rule_list(opts.ignore, "--ignore")
    # Folders that cannot be read: KP003 on each (SPEC 9), reported where their plans would be.
    unreadable: list[Diagnostic] = []
    targets, whole = resolve_targets(repo, opts.paths, unreadable)
    if repo.plans_dir.exists() and not repo.plans_dir.is_dir():
        raise UsageError(f"{repo.rel(repo.plans_dir)} is a file, not a folder: plans live in plans/<id>.yaml")
    everything = whole or not opts.paths
    portfolio = plan_files(repo, unreadable if everything else None)
    in_portfolio = set(portfolio)
    reported = set(portfolio) if everything else set(targets)
    outside = [t for t in targets if t not in in_portfolio]
    items = [(rel, True) for rel in portfolio] + [(rel, False) for rel in outside]

    cache = open_cache(repo.root, repo.config_digest, opts.as_of, opts.use_cache and project is None)
    batch = Batch(repo, opts.as_of, items, project)
    results, cross = check_portfolio(batch, opts.jobs, cache=cache, reported=reported)
    cross_by_path: dict[str, list[Diagnostic]] = {}
    for d in cross:
        cross_by_path.setdefault(d.path, []).append(d)

    choose = RuleChoice.of(repo.view.rules, select, ignore)
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
    return ValidationReport(sort_diagnostics(out), len(reported), opts.strict, repo.root), parts


def portfolio_facts(repo: Repo, as_of: dt.date, use_cache: bool = True,
                    unreadable: list[Diagnostic] | None = None) -> list[PlanFacts]:
    """The cross-plan facts of every plan under ``plans/`` that reads and validates (what
    ``new`` and ``import`` match a KOL against), through the cache: a warm run parses no plan,
    decodes no diagnostic and runs no cross-plan rule. Folders that could not be listed are
    added to ``unreadable`` (KP003)."""
    batch = Batch(repo, as_of, [(rel, True) for rel in plan_files(repo, unreadable)])
    cache = open_cache(repo.root, repo.config_digest, as_of, use_cache)
    results = check_files(batch, cache=cache, reported=())
    if cache is not None:
        fill_facts(batch, cache, results)
        cache.save()
    return [r.facts for r in results if r.facts is not None]


