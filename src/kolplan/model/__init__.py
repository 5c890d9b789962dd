"""Pydantic models of a plan file and of ``kolplan.yaml``: the schema's one source."""

from kolplan.model.config import Compliance, Config, Department, Person
from kolplan.model.plan import (
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
