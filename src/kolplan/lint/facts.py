"""What the cross-plan rules, ``new`` and ``import`` need of one valid plan: its KOL's
name, institution and identifiers (normalised for matching), its leads, and where each
of them is in the file. Small, cacheable (:mod:`kolplan.lint.cache`), made in the worker
that parsed the plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kolplan.vocabulary import IDENTIFIER_LABELS

if TYPE_CHECKING:
    from kolplan.schema import Plan
    from kolplan.yamlio.document import Document

Pos = tuple[int, int]


@dataclass(slots=True)
class PlanFacts:
    """What cross-plan rules and reports need of one valid plan; small, cacheable, positioned."""

    path: str
    id: str
    name: str
    institution: str | None
    name_key: str
    institution_key: str
    identifiers: dict[str, str]  # kind -> normalised value
    identifier_pos: dict[str, Pos]
    name_pos: Pos
    leads: list[str]
    owners_pos: Pos
    in_portfolio: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "id": self.id, "name": self.name, "institution": self.institution,
            "name_key": self.name_key, "institution_key": self.institution_key,
            "identifiers": self.identifiers,
            "identifier_pos": {k: list(v) for k, v in self.identifier_pos.items()},
            "name_pos": list(self.name_pos), "leads": self.leads, "owners_pos": list(self.owners_pos),
            "in_portfolio": self.in_portfolio,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PlanFacts:
        return cls(
            d["path"], d["id"], d["name"], d["institution"], d["name_key"], d["institution_key"],
            dict(d["identifiers"]), {k: (v[0], v[1]) for k, v in d["identifier_pos"].items()},
            (d["name_pos"][0], d["name_pos"][1]), list(d["leads"]),
            (d["owners_pos"][0], d["owners_pos"][1]), bool(d["in_portfolio"]),
        )


def extract_facts(path: str, plan: Plan, doc: Document, in_portfolio: bool) -> PlanFacts:
    """The facts of one plan that read and validated, positioned in its document."""
    # lazy: unicodedata and the normalisers only where plans are parsed; a warm run reads facts as they are
    from kolplan.lint.identifiers import normalize_identifier, normalize_institution, normalize_name

    ids: dict[str, str] = {}
    pos: dict[str, tuple[int, int]] = {}
    for kind in IDENTIFIER_LABELS:
        value = getattr(plan.kol.identifiers, kind)
        if value:
            ids[kind] = normalize_identifier(kind, value)
            pos[kind] = doc.position(("kol", "identifiers", kind))
    return PlanFacts(
        path=path,
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
