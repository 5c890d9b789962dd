"""One row's values, checked and put in the form a plan holds them, or why the row is bad
(SPEC 11: no name, an unknown lead, a bad NPI or ORCID check digit, an unknown country or tier).

Values are text, taken as written: a cell such as ``=cmd|' /C calc'!A0`` is the text
``=cmd|' /C calc'!A0`` (kolplan evaluates nothing, and writes it quoted). Line breaks and
runs of spaces inside a name or an institution become one space; identifiers are stripped.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Final

from kolplan.authoring.csvimport.columns import Columns
from kolplan.authoring.scaffold import check_person
from kolplan.errors import UsageError
from kolplan.lint.identifiers import email_problem, normalize_name, npi_problem, orcid_problem
from kolplan.repo.root import Repo
from kolplan.schema.countries import country_code
from kolplan.vocabulary import IDENTIFIER_LABELS, TIERS

MAX_TEXT: Final = 200  # a name, an institution, an area: longer is a column mix-up, not a KOL
MAX_IDENTIFIER: Final = 100
MAX_AREAS: Final = 20
_AREA_SEPARATORS: Final = re.compile(r"[;|]")
_ORCID_URL: Final = re.compile(r"(?i)^(https?://)?(www\.)?orcid\.org/")


@dataclass
class Row:
    """A good row: what it says about one KOL, as a plan would hold it."""

    number: int
    name: str
    institution: str | None = None
    country: str | None = None
    tier: str | None = None
    therapeutic_areas: list[str] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)  # crm_id, npi, orcid, email, in that order
    lead: str | None = None  # from the row's own lead column

    def signature(self) -> tuple[object, ...]:
        """What two rows must share to be the same row given twice (a repeated line of an export)."""
        return (normalize_name(self.name), (self.institution or "").casefold(), self.country, self.tier,
                tuple(self.therapeutic_areas), tuple(sorted((k, v.casefold()) for k, v in self.identifiers.items())),
                self.lead)


@dataclass
class BadRow:
    number: int
    reasons: list[str]


def _one_line(value: str) -> str:
    return " ".join(value.split())


def full_name(cells: dict[str, str]) -> str:
    """The KOL's name: the name column (``Okafor, Jane`` -> ``Jane Okafor``; ``Okafor, Jane, MD``
    -> ``Jane Okafor, MD``), or first and last name when it is empty or absent."""
    name = _one_line(cells.get("name", ""))
    if name and "," in name:
        parts = [p.strip() for p in name.split(",")]
        if parts[0] and len(parts) >= 2 and parts[1]:
            rest = ", ".join(p for p in parts[2:] if p)
            name = f"{parts[1]} {parts[0]}" + (f", {rest}" if rest else "")
    if not name:
        name = _one_line(f"{cells.get('first_name', '')} {cells.get('last_name', '')}")
    return name


def lead_handle(repo: Repo, value: str) -> str:
    """A lead as a row gives it: a handle from ``people:`` (any case), or the name or email of
    exactly one person there. Raises :class:`UsageError` with a suggestion otherwise."""
    people = repo.config.people
    if value in people:
        return value
    folded = value.casefold()
    found = [h for h, p in people.items()
             if h.casefold() == folded or normalize_name(p.name) == normalize_name(value)
             or (p.email or "").casefold() == folded]
    if len(found) == 1:
        return found[0]
    check_person(repo, value, "lead")
    raise AssertionError("check_person refuses an unknown handle")


def parse_row(repo: Repo, number: int, cells: list[str], columns: Columns, width: int) -> Row | BadRow | None:
    """Row ``number`` (its ``cells``) as a :class:`Row`, a :class:`BadRow` with every reason, or
    None for an empty row."""
    if not any(c.strip() for c in cells):
        return None
    values = {f: cells[i] if i < len(cells) else "" for f, i in columns.index.items()}
    reasons: list[str] = []
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        reasons.append(f"it has {len(cells)} cells, the header {width} columns: check the quotes and delimiters "
                       "in this row")
    name = full_name(values)
    if not name:
        reasons.append("no name")
    row = Row(number, name)
    for key, text in (("name", name), ("institution", _one_line(values.get("institution", "")))):
        if len(text) > MAX_TEXT:
            reasons.append(f"the {key} is {len(text)} characters long (at most {MAX_TEXT}): is it the right column?")
    row.institution = _one_line(values.get("institution", "")) or None
    country = values.get("country", "").strip()
    if country:
        row.country = country_code(country)
        if row.country is None:
            reasons.append(f"country '{_short(country)}' is not a country kolplan knows: write its ISO 3166-1 "
                           "code (GB, DE, US) or its English name")
    tier = values.get("tier", "").strip()
    if tier:
        if tier.lower() in TIERS:
            row.tier = tier.lower()
        else:
            guess = difflib.get_close_matches(tier.lower(), TIERS, n=1, cutoff=0.5)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            reasons.append(f"tier '{_short(tier)}' is not a tier; {hint}use one of {', '.join(TIERS)}")
    areas: list[str] = []
    for area in _AREA_SEPARATORS.split(values.get("therapeutic_areas", "")):
        area = _one_line(area).lower()
        if area and area not in areas:
            areas.append(area)
    if len(areas) > MAX_AREAS or any(len(a) > MAX_TEXT for a in areas):
        reasons.append(f"the therapeutic areas are too many or too long (at most {MAX_AREAS}, each at most "
                       f"{MAX_TEXT} characters): is it the right column?")
    row.therapeutic_areas = areas
    checks = {"npi": npi_problem, "orcid": orcid_problem, "email": email_problem}
    for kind in IDENTIFIER_LABELS:
        value = "".join(values.get(kind, "").split()) if kind != "crm_id" else _one_line(values.get(kind, ""))
        if kind == "orcid":
            value = _ORCID_URL.sub("", value)
        if not value:
            continue
        if len(value) > MAX_IDENTIFIER:
            reasons.append(f"the {kind} is {len(value)} characters long (at most {MAX_IDENTIFIER})")
            continue
        check = checks.get(kind)
        problem = check(value) if check else None
        if problem:
            reasons.append(problem)
        row.identifiers[kind] = value
    if not row.identifiers and not row.institution and name:
        reasons.append("no institution and no identifier (CRM id, NPI, ORCID or email): without one kolplan "
                       "cannot tell whether this KOL already has a plan")
    lead = values.get("lead", "").strip()
    if lead:
        try:
            row.lead = lead_handle(repo, lead)
        except UsageError as exc:
            reasons.append(exc.message)
    return BadRow(number, reasons) if reasons else row


def _short(text: str) -> str:
    text = _one_line(text)
    return text if len(text) <= 40 else text[:39] + "…"
