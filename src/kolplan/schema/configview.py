"""Who is who and the rule settings of a checked ``kolplan.yaml``, as plain data.

The cross-plan rules, the rule settings of a run and every label that names a person
read only this part of the configuration. It is what the ``validate`` cache keeps of
``kolplan.yaml`` (:meth:`ConfigView.to_json`), so that a warm run needs neither pydantic
nor the models; the full model (:class:`kolplan.schema.config.Config`) gives the same
view through :attr:`~kolplan.schema.config.Config.view`. Plain module: no pydantic here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kolplan.errors import UsageError


@dataclass(frozen=True, slots=True)
class DepartmentView:
    name: str
    function: str


@dataclass(frozen=True, slots=True)
class PersonView:
    name: str
    department: str


@dataclass(frozen=True, slots=True)
class RulesView:
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ConfigView:
    departments: dict[str, DepartmentView]
    people: dict[str, PersonView]
    rules: RulesView

    def department_of(self, handle: str) -> str | None:
        """The department id of a person, or None for a handle not in ``people:``."""
        person = self.people.get(handle)
        return person.department if person else None

    def function_of(self, handle: str) -> str | None:
        """The function (``medical``, ``commercial``, ...) of a person's department, or None."""
        dept = self.department_of(handle)
        d = self.departments.get(dept) if dept else None
        return d.function if d else None

    def require_department(self, value: str, option: str) -> str:
        """``value`` if it is a department of kolplan.yaml; else the :class:`UsageError` every
        ``--department``-like option gives, with a suggestion for a near miss."""
        if value in self.departments:
            return value
        # lazy: difflib only for a mistyped option (this module is on the warm validate path)
        import difflib

        known = list(self.departments)
        guess = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else f"departments are: {', '.join(known) or 'none'}"
        raise UsageError(f"{option} {value}: not a department in kolplan.yaml ({hint})")

    def department_name(self, dept: str) -> str:
        """A department's name (``Field Medical``), or its id when it is not defined."""
        d = self.departments.get(dept)
        return d.name if d else dept

    def leads_label(self, leads: list[str]) -> str:
        """``a.chen (field-medical)``; several leads comma-separated; ``no lead``."""
        if not leads:
            return "no lead"
        return ", ".join(f"{h} ({self.department_of(h) or 'unknown department'})" for h in leads)

    # -- what the cache keeps ---------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "departments": {k: [d.name, d.function] for k, d in self.departments.items()},
            "people": {k: [p.name, p.department] for k, p in self.people.items()},
            "rules": {"ignore": list(self.rules.ignore), "severity": dict(self.rules.severity)},
        }

    @classmethod
    def from_json(cls, raw: Any) -> ConfigView:
        """The view :meth:`to_json` wrote; :class:`ValueError` if ``raw`` has another shape."""
        try:
            departments = {_text(k): DepartmentView(_text(n), _text(f)) for k, (n, f) in raw["departments"].items()}
            people = {_text(k): PersonView(_text(n), _text(d)) for k, (n, d) in raw["people"].items()}
            rules = raw["rules"]
            ignore = tuple(_text(c) for c in rules["ignore"])
            severity = {_text(k): _text(v) for k, v in rules["severity"].items()}
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a config view: {exc}") from None
        return cls(departments, people, RulesView(ignore, severity))


def _text(value: Any) -> str:
    if type(value) is not str:
        raise ValueError("not text")
    return value
