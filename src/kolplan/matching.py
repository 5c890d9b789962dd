"""Finding the same KOL in two plans: one index, used by the ownership rules and ``kolplan new``.

* Same KOL: any shared identifier (CRM id, NPI, ORCID, email case-insensitively).
  Plans are grouped transitively (A shares an NPI with B, B an email with C).
* Possibly the same KOL: same normalised name and institution, no shared identifier,
  and no identifier kind on which the two disagree (two different NPIs are two people).

Building the index is linear in the number of plans; lookups are by dictionary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kolplan.rules.context import PlanFacts


@dataclass(frozen=True)
class Candidate:
    """What is known of a KOL not yet in the index (``kolplan new``)."""

    name_key: str
    institution_key: str
    identifiers: dict[str, str]


class KolIndex:
    def __init__(self, facts: Iterable[PlanFacts]) -> None:
        self.facts = list(facts)
        self._by_identifier: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, f in enumerate(self.facts):
            for kind, value in f.identifiers.items():
                self._by_identifier[(kind, value)].append(i)
            if f.name_key and f.institution_key:
                self._by_name[(f.name_key, f.institution_key)].append(i)

    # -- same KOL -------------------------------------------------------------------
    def identifier_groups(self) -> list[list[PlanFacts]]:
        """Groups of two or more plans connected by shared identifiers, in file order."""
        parent = list(range(len(self.facts)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for members in self._by_identifier.values():
            for other in members[1:]:
                a, b = find(members[0]), find(other)
                if a != b:
                    parent[b] = a
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.facts)):
            groups[find(i)].append(i)
        return [[self.facts[i] for i in sorted(g)] for g in groups.values() if len(g) > 1]

    def shared_identifiers(self, a: PlanFacts, b: PlanFacts) -> list[str]:
        return [k for k, v in a.identifiers.items() if b.identifiers.get(k) == v]

    # -- possibly the same KOL --------------------------------------------------------------
    def possible_duplicates(self, f: PlanFacts) -> list[PlanFacts]:
        """Plans with the same normalised name and institution that may be the same person."""
        if not (f.name_key and f.institution_key):
            return []
        out = []
        for i in self._by_name.get((f.name_key, f.institution_key), []):
            other = self.facts[i]
            if other is f or other.path == f.path:
                continue
            if _compatible(f.identifiers, other.identifiers):
                out.append(other)
        return out

    # -- a KOL not yet in the index ------------------------------------------------------
    def lookup(self, c: Candidate) -> tuple[list[PlanFacts], list[PlanFacts]]:
        """(plans sharing an identifier with ``c``, plans that may be ``c`` by name and institution)."""
        same: list[PlanFacts] = []
        seen: set[int] = set()
        for kind, value in c.identifiers.items():
            for i in self._by_identifier.get((kind, value), []):
                if i not in seen:
                    seen.add(i)
                    same.append(self.facts[i])
        maybe = []
        if c.name_key and c.institution_key:
            for i in self._by_name.get((c.name_key, c.institution_key), []):
                if i not in seen and _compatible(c.identifiers, self.facts[i].identifiers):
                    maybe.append(self.facts[i])
        return same, maybe


def _compatible(a: dict[str, str], b: dict[str, str]) -> bool:
    """No shared identifier (that would be the same KOL) and no kind on which the two disagree."""
    # A kind both carry either matches (the same KOL: KP302's business) or differs (two people).
    return not (a.keys() & b.keys())
