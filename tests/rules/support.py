"""Shared by the rule tests: lint one plan text end to end, pick one rule's diagnostic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import AS_OF, CONFIG, diagnostics, make_repo

# CONFIG plus a compliance block like SPEC 3's (KP4xx run only where it is set).
COMPLIANCE_CONFIG = CONFIG + """\
compliance:
  currency: USD
  annual_cap: 25000
  fmv_hourly_rate: {global: 600, national: 450, regional: 350, local: 250}
  commercial_activity_types: [speaker-program]
  medical_activity_types: [investigator-initiated-study, advisory-board, scientific-exchange]
  restricted_phrases: [best in class, market share, game changer]
"""


def lint(tmp_path: Path, text: str, *, config: str = CONFIG, as_of: str = AS_OF) -> list[dict[str, Any]]:
    """``kolplan validate --format json`` over a repository holding ``text`` as plans/jane-okafor.yaml."""
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": text}, config=config)
    return diagnostics(root, as_of=as_of)


def of(diags: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [d for d in diags if d["code"] == code]


def only(diags: list[dict[str, Any]], code: str) -> dict[str, Any]:
    """The one diagnostic of ``code``; fails when there are none or several."""
    found = of(diags, code)
    assert len(found) == 1, diags
    return found[0]


def at(d: dict[str, Any]) -> tuple[int, int]:
    return (d["line"], d["column"])


def sub(text: str, old: str, new: str, count: int = 1) -> str:
    """``text`` with ``old`` replaced; fails if ``old`` is not there (so a fixture cannot silently not change)."""
    assert old in text, old
    return text.replace(old, new, count)
