"""Each row against the other rows and against the portfolio, with the index KP302 and
KP303 use (:class:`kolplan.lint.kolindex.KolIndex`): the same KOL is a shared identifier
(CRM id, NPI, ORCID, email case-insensitively), possibly the same KOL the same normalised
name and institution with no identifier kind on which the two disagree.

Within the file: rows that are one KOL and say the same (a line repeated by the export)
are one row, the later ones skipped; rows that are one KOL and say different things are
bad (SPEC 11: two rows for one KOL); rows that may be one KOL are reported, not written.
Against the portfolio: no match is a new plan, one plan is a plan to complete, two plans
or a possible match are reported, not written; two rows for one plan are bad.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kolplan.authoring.csvimport.rows import Row
from kolplan.authoring.scaffold import lead_of
from kolplan.lint.facts import PlanFacts
from kolplan.lint.identifiers import normalize_identifier, normalize_institution, normalize_name
from kolplan.lint.kolindex import Candidate, KolIndex
from kolplan.repo.root import Repo
from kolplan.vocabulary import IDENTIFIER_LABELS

# What a row comes to. "bad" rows are refused (all or nothing); "repeat", "possible"
# (a possible duplicate, or a match with two plans) are reported and not written.
CREATE, MATCH, REPEAT, POSSIBLE, BAD = "create", "match", "repeat", "possible", "bad"


@dataclass
class Match:
    row: Row
    kind: str
    message: str = ""
    plan: PlanFacts | None = None  # MATCH: the plan to complete
    lead: str | None = None  # CREATE: the lead of the new plan


_UNDECIDED = Match(Row(0, ""), CREATE)


def _facts(row: Row) -> PlanFacts:
    return PlanFacts(
        path=f"row {row.number}", id="", name=row.name, institution=row.institution,
        name_key=normalize_name(row.name), institution_key=normalize_institution(row.institution or ""),
        identifiers={k: normalize_identifier(k, v) for k, v in row.identifiers.items()},
        identifier_pos={}, name_pos=(1, 1), leads=[], owners_pos=(1, 1),
    )


def _shared(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return [IDENTIFIER_LABELS[k] for k, v in a.items() if b.get(k) == v]


def _numbers(rows: list[Row]) -> str:
    nums = [str(r.number) for r in rows]
    return ", ".join(nums[:-1]) + " and " + nums[-1] if len(nums) > 1 else nums[0]


def match_rows(repo: Repo, rows: list[Row], portfolio: list[PlanFacts], default_lead: str | None) -> list[Match]:
    """What each good row comes to, in row order."""
    facts = [_facts(r) for r in rows]
    by_path = {f.path: (r, f) for r, f in zip(rows, facts, strict=True)}
    decided: dict[int, Match] = {}
    within = KolIndex(facts)
    for group in within.identifier_groups():
        members = [by_path[f.path][0] for f in group]
        first = members[0]
        if all(r.signature() == first.signature() for r in members[1:]):
            for r in members[1:]:
                decided[r.number] = Match(r, REPEAT, f"repeats row {first.number}: skipped")
            continue
        shared = sorted({k for f in group[1:] for k in _shared(group[0].identifiers, f.identifiers)}
                        or {IDENTIFIER_LABELS[k] for f in group for k in f.identifiers})
        for r in members:
            decided[r.number] = Match(r, BAD, f"rows {_numbers(members)} are one KOL (a shared "
                                      f"{' or '.join(shared)}) but say different things: keep one row for each KOL")
    for r, f in zip(rows, facts, strict=True):
        if r.number in decided:
            continue
        others, _ = within.possible_duplicate_summary(f, limit=len(facts))
        others_rows = [o_row for o in others if o.path != f.path
                       and decided.get((o_row := by_path[o.path][0]).number, _UNDECIDED).kind not in (REPEAT, BAD)]
        same = [o for o in others_rows if o.signature() == r.signature()]
        if same and same[0].number < r.number:
            decided[r.number] = Match(r, REPEAT, f"repeats row {same[0].number}: skipped")
            continue
        differ = [o for o in others_rows if o.signature() != r.signature()]
        if differ:
            decided[r.number] = Match(r, POSSIBLE, f"may be the same KOL as row{'s' if len(differ) > 1 else ''} "
                                      f"{_numbers(differ)} (same name and institution, no shared identifier): "
                                      "not written; add an identifier that tells them apart, or keep one row")
    index = KolIndex(portfolio)
    targets: dict[str, list[Row]] = defaultdict(list)
    out: list[Match] = []
    for r, f in zip(rows, facts, strict=True):
        if r.number in decided:
            out.append(decided[r.number])
            continue
        plans, maybe = index.lookup(Candidate(f.name_key, f.institution_key, f.identifiers))
        if len(plans) > 1:
            listed = "; ".join(f"{p.path} ({lead_of(repo, p.leads)}) shares the "
                               f"{' and '.join(_shared(f.identifiers, p.identifiers))}" for p in plans[:5])
            more = f" and {len(plans) - 5} more" if len(plans) > 5 else ""
            out.append(Match(r, POSSIBLE, f"matches {len(plans)} plans: {listed}{more}: not written; one KOL, one "
                             "plan: merge them first (kolplan validate reports KP302)"))
        elif plans:
            targets[plans[0].path].append(r)
            out.append(Match(r, MATCH, plan=plans[0]))
        elif maybe:
            listed = "; ".join(f"{p.path} ({lead_of(repo, p.leads)})" for p in maybe[:5])
            more = f" and {len(maybe) - 5} more" if len(maybe) > 5 else ""
            out.append(Match(r, POSSIBLE, f"may already have a plan: {listed}{more} has the same name and "
                             "institution and no shared identifier: not written; if it is this KOL, add an "
                             "identifier from the row to that plan (or the plan's to the row) and import again"))
        else:
            lead = r.lead or default_lead
            if lead is None:
                out.append(Match(r, BAD, "no lead for the new plan: give one in a lead column, or run with "
                                 "--lead HANDLE"))
            else:
                out.append(Match(r, CREATE, lead=lead))
    for path, many in targets.items():
        if len(many) > 1:
            numbers = {r.number for r in many}
            for m in out:
                if m.row.number in numbers:
                    m.kind, m.plan = BAD, None
                    m.message = (f"rows {_numbers(many)} all match {path}: they are one KOL; keep one row for "
                                 "each KOL")
    return out
