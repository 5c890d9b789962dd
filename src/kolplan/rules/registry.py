"""The rule registry: every rule's code, name, default severity, help and check function.

A rule is one small function registered with :func:`plan_rule` or
:func:`portfolio_rule`; its docstring is its user-facing help (``docs/rules.md``,
SARIF help text). Reading and schema rules (KP001-KP003, KP010) are produced by the
loader and registered with :func:`reading_rule` for their metadata only.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

from kolplan.diagnostics import Severity, always_on

if TYPE_CHECKING:
    from kolplan.rules.context import Finding, PlanContext, PortfolioContext, PortfolioFinding

Scope = Literal["reading", "plan", "portfolio"]
Category = Literal["reading", "quality", "timeliness", "ownership", "compliance", "privacy", "suppressions"]

CATEGORY_TITLES: dict[str, str] = {
    "reading": "Reading and schema",
    "quality": "Plan quality",
    "timeliness": "Timeliness",
    "ownership": "Ownership",
    "compliance": "Compliance",
    "privacy": "Privacy",
    "suppressions": "Suppressions",
}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    category: Category
    scope: Scope
    doc: str
    uses_date: bool = False
    check: Callable[..., Iterator[object]] | None = None

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n", 1)[0].replace("\n", " ").strip()

    @property
    def always_on(self) -> bool:
        """KP0xx are always reported, at their own severity (SPEC 6)."""
        return always_on(self.code)


_RULES: dict[str, Rule] = {}
_BY_NAME: dict[str, Rule] = {}

F = TypeVar("F", bound=Callable[..., Iterator[object]])


def _add(rule: Rule) -> None:
    if rule.code in _RULES or rule.name in _BY_NAME:
        raise ValueError(f"rule {rule.code} {rule.name} registered twice")
    _RULES[rule.code] = rule
    _BY_NAME[rule.name] = rule


def reading_rule(code: str, name: str, severity: Severity, doc: str, *, category: Category = "reading") -> None:
    """Register a rule whose diagnostics come from the loader or the engine, not a check function."""
    _add(Rule(code, name, severity, category, "reading", inspect.cleandoc(doc)))


def plan_rule(
    code: str, name: str, severity: Severity, *, category: Category, uses_date: bool = False
) -> Callable[[Callable[[PlanContext], Iterator[Finding]]], Callable[[PlanContext], Iterator[Finding]]]:
    """Register a check over one plan: ``check(ctx) -> Iterator[Finding]``."""

    def deco(fn: Callable[[PlanContext], Iterator[Finding]]) -> Callable[[PlanContext], Iterator[Finding]]:
        _add(Rule(code, name, severity, category, "plan", inspect.cleandoc(fn.__doc__ or ""), uses_date, fn))
        return fn

    return deco


def portfolio_rule(
    code: str, name: str, severity: Severity, *, category: Category
) -> Callable[
    [Callable[[PortfolioContext], Iterator[PortfolioFinding]]],
    Callable[[PortfolioContext], Iterator[PortfolioFinding]],
]:
    """Register a check across plans: ``check(ctx) -> Iterator[PortfolioFinding]``."""

    def deco(
        fn: Callable[[PortfolioContext], Iterator[PortfolioFinding]],
    ) -> Callable[[PortfolioContext], Iterator[PortfolioFinding]]:
        _add(Rule(code, name, severity, category, "portfolio", inspect.cleandoc(fn.__doc__ or ""), False, fn))
        return fn

    return deco


# The modules that define rules. They are imported on the first question about rules, not
# with this package: a warm ``validate`` that finds everything in its cache asks none.
RULE_MODULES: tuple[str, ...] = ("reading", "quality", "timeliness", "ownership", "coordination", "compliance",
                                 "privacy", "suppression")
_loaded = False


def load_rules() -> dict[str, Rule]:
    """Every registered rule by code, importing the rule modules the first time."""
    global _loaded
    if not _loaded:
        _loaded = True

        for name in RULE_MODULES:
            importlib.import_module(f"kolplan.rules.{name}")
    return _RULES


def lookup(code_or_name: str) -> Rule | None:
    """A rule by code (``KP101``, any case) or name (``activity-without-objective``)."""
    load_rules()
    key = code_or_name.strip()
    return _RULES.get(key.upper()) or _BY_NAME.get(key.lower())


def unknown_rule_hint(token: str) -> str:
    """What to say about ``token``, which names no rule: the nearest code or name, if one is
    near, and where the rules are listed (``kolplan rules``: a user's repository has no docs/)."""
    load_rules()
    key = token.strip()
    guess = (difflib.get_close_matches(key.upper(), list(_RULES), n=1, cutoff=0.6)
             or difflib.get_close_matches(key.lower(), list(_BY_NAME), n=1, cutoff=0.6))
    if guess:
        rule = _RULES.get(guess[0]) or _BY_NAME[guess[0]]
        other = rule.name if guess[0] == rule.code else rule.code
        return f"did you mean '{guess[0]}', {other}? `kolplan rules` lists them"
    return "codes look like KP101, names like activity-without-objective; `kolplan rules` lists them"


def all_rules() -> list[Rule]:
    return sorted(load_rules().values(), key=lambda r: r.code)


def rules_of(scope: Scope) -> list[Rule]:
    return [r for r in all_rules() if r.scope == scope]
