"""matching.KolIndex: identifier groups and possible duplicates, each plan standing for its group."""

from __future__ import annotations

from kolplan.lint.facts import PlanFacts
from kolplan.lint.kolindex import Candidate, KolIndex


def facts(path: str, ids: dict[str, str], name: str = "jane okafor", inst: str = "uhe") -> PlanFacts:
    return PlanFacts(path, path, name, inst, name, inst, ids, {k: (1, 1) for k in ids}, (1, 1), [], (1, 1))


def paths(fs: list[PlanFacts]) -> list[str]:
    return [f.path for f in fs]


def test_groups_are_transitive_and_in_file_order() -> None:
    index = KolIndex([facts("a", {"npi": "1"}), facts("x", {"npi": "9"}), facts("b", {"npi": "1", "email": "e"}),
                      facts("c", {"email": "e"})])
    assert [paths(g) for g in index.identifier_groups()] == [["a", "b", "c"]]
    assert index.shared_kinds(index.facts[0]) == ["npi"]
    assert index.shared_kinds(index.facts[1]) == []


def test_possible_duplicates_stand_for_their_group() -> None:
    a, b = facts("a", {"npi": "1"}), facts("b", {"npi": "1", "orcid": "O-1"})
    c = facts("c", {"orcid": "O-2"})   # a's group has ORCID O-1: c is another person
    d = facts("d", {})                 # nothing to tell: may be anyone of that name
    index = KolIndex([a, b, c, d])
    assert index.possible_duplicate_summary(a) == ([d], 1)  # as KP303 asks: the first five, and how many
    assert index.possible_duplicate_summary(c) == ([d], 1)
    assert index.possible_duplicate_summary(d) == ([a, b, c], 3)
    assert index.possible_duplicate_summary(d, limit=2) == ([a, b], 3)


def test_lookup_for_a_new_kol() -> None:
    a, b = facts("a", {"npi": "1"}), facts("b", {"npi": "1", "orcid": "O-1"})
    c, d = facts("c", {"orcid": "O-2"}), facts("d", {"crm_id": "V-1"}, inst="other")
    index = KolIndex([a, b, c, d])
    same, maybe = index.lookup(Candidate("jane okafor", "uhe", {"npi": "1"}))
    assert paths(same) == ["a", "b"] and maybe == []
    same, maybe = index.lookup(Candidate("jane okafor", "uhe", {"email": "x@y.z"}))
    assert same == [] and paths(maybe) == ["a", "b", "c"]
    same, maybe = index.lookup(Candidate("jane okafor", "uhe", {"orcid": "O-3"}))
    assert same == [] and maybe == []  # a, b (O-1) and c (O-2) all carry another ORCID
