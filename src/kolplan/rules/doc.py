"""The rule catalogue as data and as Markdown (``docs/rules.md``), generated from the registry.

The registry is the one source: each rule's docstring is its help. ``kolplan rules --format md``
prints :func:`markdown`; a test fails when ``docs/rules.md`` differs from it.
"""

from __future__ import annotations

import re
from typing import Any

from kolplan.rules import Rule, all_rules
from kolplan.rules.registry import CATEGORY_TITLES

REGENERATE = "kolplan rules --format md > docs/rules.md"


def anchor(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: ``KP101 activity-without-objective`` -> ``kp101-activity-...``."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def by_category(rules: list[Rule] | None = None) -> list[tuple[str, str, list[Rule]]]:
    """``(category, title, rules)`` in CATEGORY_TITLES order, rules by code; empty categories left out."""
    rules = all_rules() if rules is None else rules
    out = []
    for category, title in CATEGORY_TITLES.items():
        members = sorted((r for r in rules if r.category == category), key=lambda r: r.code)
        if members:
            out.append((category, title, members))
    return out


def rule_data(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "category": rule.category,
        "category_title": CATEGORY_TITLES.get(rule.category, rule.category),
        "scope": rule.scope,
        "always_on": rule.always_on,
        "uses_date": rule.uses_date,
        "summary": rule.summary,
        "help": rule.doc,
    }


def markdown(rules: list[Rule] | None = None) -> str:
    """The whole ``docs/rules.md``."""
    groups = by_category(rules)
    lines = [
        "# kolplan rules",
        "",
        f"<!-- Generated from the rule registry by `{REGENERATE}`: edit the rules' docstrings, not this file. -->",
        "",
        "Every diagnostic kolplan reports comes from one of these rules. A code (`KP302`) and a name",
        "(`duplicate-kol`) can be used interchangeably wherever a rule is named: `--select`, `--ignore`,",
        "`rules: {ignore: [...], severity: {...}}` in `kolplan.yaml`, and inline suppressions",
        "(`# kolplan: ignore[KP101]` on the line of the finding, `# kolplan: ignore-file[KP106]` anywhere",
        "in the file). Reading and schema rules (KP0xx) are always on, at their own severity, and cannot",
        "be suppressed. Rules marked *depends on --as-of* judge dates relative to `--as-of` (default: today).",
        "",
        "## Contents",
        "",
    ]
    for _, title, members in groups:
        lines.append(f"- [{title}](#{anchor(title)})")
        for r in members:
            heading = f"{r.code} {r.name}"
            lines.append(f"  - [{heading}](#{anchor(heading)}) ({r.severity.value}): {_one_line(r.summary)}")
    for _, title, members in groups:
        lines += ["", f"## {title}"]
        for r in members:
            notes = [f"Default severity: **{r.severity.value}**"]
            if r.always_on:
                notes.append("always on, cannot be suppressed")
            if r.scope == "portfolio":
                notes.append("compares plans with each other")
            if r.uses_date:
                notes.append("depends on `--as-of`")
            lines += ["", f"### {r.code} {r.name}", "", "; ".join(notes), "", r.doc.strip()]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
