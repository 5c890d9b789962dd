"""Pydantic models of a plan file and of ``kolplan.yaml``: the schema's one source.

The models are imported on first use (``from kolplan.schema import Plan``), so that
importing a plain-data submodule such as :mod:`kolplan.schema.countries` does not import
pydantic: ``validate`` on a warm cache never needs it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kolplan.schema.config import Compliance, Config, Department, Person
    from kolplan.schema.plan import (
        Activity,
        Feedback,
        Interaction,
        Kol,
        Objective,
        Owner,
        Plan,
        PlanBody,
        Satisfaction,
    )

_HOME = {
    "Compliance": "config",
    "Config": "config",
    "Department": "config",
    "Person": "config",
    "Activity": "plan",
    "Feedback": "plan",
    "Interaction": "plan",
    "Kol": "plan",
    "Objective": "plan",
    "Owner": "plan",
    "Plan": "plan",
    "PlanBody": "plan",
    "Satisfaction": "plan",
}

__all__ = [
    "Activity",
    "Compliance",
    "Config",
    "Department",
    "Feedback",
    "Interaction",
    "Kol",
    "Objective",
    "Owner",
    "Person",
    "Plan",
    "PlanBody",
    "Satisfaction",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"kolplan.schema.{home}"), name)
    globals()[name] = value
    return value
