"""Finding the same KOL in two plans: one index, used by the ownership rules and ``kolplan new``.

* Same KOL: any shared identifier (CRM id, NPI, ORCID, email case-insensitively).
  Plans are grouped transitively (A shares an NPI with B, B an email with C).
* Possibly the same KOL: same normalised name and institution, no shared identifier,
  and no identifier kind on which the two disagree (two different NPIs are two people),
  each plan standing for its whole identifier group.

Building the index is linear in the number of plans; lookups are by dictionary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kolplan.lint.facts import PlanFacts


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
        self._index_of: dict[str, int] = {}
        for i, f in enumerate(self.facts):
            self._index_of[f.path] = i
            for kind, value in f.identifiers.items():
                self._by_identifier[(kind, value)].append(i)
        self._root = self._union_identifiers()
        # Each plan speaks for its whole identifier group: if A shares an NPI with B and B
        # carries an ORCID, A is the person with that ORCID too. Two plans may be the same
        # KOL only if their groups carry no identifier kind in common (equal values would
        # have joined the groups; different values are two people). Kinds are bits, and a
        # name bucket holds its plans by the group's kinds, so that possible duplicates are
        # counted per kind combination (at most 16), never compared pair by pair.
        self._kind_bits: dict[str, int] = {}
        group_mask: dict[int, int] = defaultdict(int)
        for i, f in enumerate(self.facts):
            group_mask[self._root[i]] |= self._mask(f.identifiers)
        self._group_mask = [group_mask[self._root[i]] for i in range(len(self.facts))]
        self._by_name: dict[tuple[str, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for i, f in enumerate(self.facts):
            if f.name_key and f.institution_key:
                self._by_name[(f.name_key, f.institution_key)][self._group_mask[i]].append(i)

    def _union_identifiers(self) -> list[int]:
        """Union-find over shared identifiers: each plan's group representative (linear)."""
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
        return [find(i) for i in range(len(self.facts))]

    # -- same KOL -------------------------------------------------------------------
    def identifier_groups(self) -> list[list[PlanFacts]]:
        """Groups of two or more plans connected by shared identifiers, in file order."""
        groups: dict[int, list[int]] = defaultdict(list)
        for i, root in enumerate(self._root):
            groups[root].append(i)
        return [[self.facts[i] for i in g] for g in groups.values() if len(g) > 1]

    def shared_identifiers(self, a: PlanFacts, b: PlanFacts) -> list[str]:
        return [k for k, v in a.identifiers.items() if b.identifiers.get(k) == v]

    def shared_kinds(self, f: PlanFacts | Candidate) -> list[str]:
        """The identifier kinds of ``f`` that another plan in the index carries with the same value."""
        path = getattr(f, "path", None)
        return [k for k, v in f.identifiers.items()
                if any(self.facts[i].path != path for i in self._by_identifier.get((k, v), ()))]

    # -- possibly the same KOL --------------------------------------------------------------
    def possible_duplicate_summary(self, f: PlanFacts | Candidate, limit: int = 5) -> tuple[list[PlanFacts], int]:
        """The first ``limit`` plans (in file order) that may be ``f`` by name and institution, and
        how many there are in all: linear however many plans share one name and institution."""
        if not (f.name_key and f.institution_key):
            return [], 0
        by_mask = self._by_name.get((f.name_key, f.institution_key))
        if not by_mask:
            return [], 0
        own = self._index_of.get(getattr(f, "path", ""))
        mask = self._group_mask[own] if own is not None else self._candidate_mask(f.identifiers)
        first: list[int] = []
        total = 0
        for other_mask, members in by_mask.items():
            if mask & other_mask:  # a kind both carry: equal (the same KOL, KP302) or different (two people)
                continue
            total += len(members)
            first.extend(members[: limit + 1])
        if own is not None and mask == 0:  # a plan with no identifier sits in a bucket it is compatible with
            total -= 1
            if own in first:
                first.remove(own)
        return [self.facts[i] for i in sorted(first)[:limit]], total

    def _mask(self, identifiers: dict[str, str]) -> int:
        mask = 0
        for kind in identifiers:
            bit = self._kind_bits.get(kind)
            if bit is None:
                bit = self._kind_bits[kind] = 1 << len(self._kind_bits)
            mask |= bit
        return mask

    def _candidate_mask(self, identifiers: dict[str, str]) -> int:
        """The kinds of a KOL not in the index, and of every group it shares an identifier with."""
        mask = 0
        for kind, value in identifiers.items():
            mask |= self._kind_bits.get(kind, 0)  # a kind no plan carries cannot clash with any
            for i in self._by_identifier.get((kind, value), ()):
                mask |= self._group_mask[i]
        return mask

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
        maybe = [f for f in self.possible_duplicate_summary(c, limit=len(self.facts))[0]
                 if self._index_of[f.path] not in seen]
        return same, maybe
