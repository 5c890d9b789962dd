"""One file's check result as the cache keeps it and workers send it: JSON-compatible
lists (:func:`encode`), and back (:func:`decode_fresh` for a result of this run; the
``read_*`` functions, which check every value's shape, for what is read from disk)."""

from __future__ import annotations

from typing import Any, Final

from kolplan.diagnostics import Diagnostic, Severity
from kolplan.lint.facts import PlanFacts
from kolplan.lint.result import FileResult
from kolplan.lint.suppressions import Suppression

Record = list[Any]  # [diagnostics, facts or None, suppressions], JSON-compatible
_SEVERITIES: Final = {s.value: s for s in Severity}


class BadEntry(ValueError):
    """A cached entry whose shape is not what this version writes."""



def encode(result: FileResult) -> Record | None:
    """The record kept for ``result``, or None if it cannot be kept (it is then rechecked).
    What :attr:`CheckEnv.project` made of the plan is not part of it."""
    diags = []
    for d in result.diagnostics:
        if d.path != result.path:
            return None
        diags.append([d.line, d.column, d.severity.value, d.code, d.rule, d.message])
    facts = None
    if result.facts is not None:
        if result.facts.path != result.path:
            return None
        facts = result.facts.to_json()
        del facts["path"], facts["in_portfolio"]  # given by where the file is, not by its content
    sups = [[s.line, s.column, list(s.tokens), s.file_level] for s in result.suppressions]
    return [diags, facts, sups]


def decode_fresh(rel: str, in_portfolio: bool, rec: Record) -> FileResult:
    """The result a worker of this very run has just made, from its record. What is read
    back from disk (:meth:`ResultCache.lookup`, :meth:`ResultCache.facts_of`) is built by
    the same constructors, after shape checks."""
    diags_raw, f, sups_raw = rec
    diags = [Diagnostic(rel, d[0], d[1], _SEVERITIES[d[2]], d[3], d[4], d[5]) for d in diags_raw]
    sups = [Suppression(s[0], s[1], tuple(s[2]), s[3]) for s in sups_raw]
    facts = None
    if f is not None:
        facts = PlanFacts(rel, f["id"], f["name"], f["institution"], f["name_key"], f["institution_key"],
                          f["identifiers"], {k: (v[0], v[1]) for k, v in f["identifier_pos"].items()},
                          (f["name_pos"][0], f["name_pos"][1]), f["leads"],
                          (f["owners_pos"][0], f["owners_pos"][1]), in_portfolio)
    return FileResult(rel, diags, facts, sups, valid=facts is not None)


def read_list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise BadEntry("not a list")
    return value


def _pos_int(value: Any) -> int:
    if type(value) is not int or value < 1:
        raise BadEntry("not a position")
    return value


def read_text(value: Any) -> str:
    if type(value) is not str:
        raise BadEntry("not text")
    return value


def read_diagnostics(rel: str, raw: Any) -> list[Diagnostic]:
    return [read_diagnostic(rel, d) for d in read_list(raw)] if raw else []


def read_suppressions(raw: Any) -> list[Suppression]:
    return [_suppression(s) for s in read_list(raw)] if raw else []


def read_diagnostic(rel: str, d: Any) -> Diagnostic:
    line, col, sev, code, rule, message = read_list(d)
    severity = _SEVERITIES.get(sev) if type(sev) is str else None
    if severity is None:
        raise BadEntry("bad severity")
    return Diagnostic(rel, _pos_int(line), _pos_int(col), severity, read_text(code), read_text(rule),
                      read_text(message))


def _suppression(s: Any) -> Suppression:
    line, col, tokens, file_level = read_list(s)
    if type(file_level) is not bool:
        raise BadEntry("bad suppression")
    return Suppression(_pos_int(line), _pos_int(col), tuple(read_text(t) for t in read_list(tokens)), file_level)


_FACT_KEYS: Final = frozenset({"id", "name", "institution", "name_key", "institution_key", "identifiers",
                                "identifier_pos", "name_pos", "leads", "owners_pos"})


def read_facts(rel: str, in_portfolio: bool, raw: Any) -> PlanFacts:
    if type(raw) is not dict:
        raise BadEntry("facts are not a mapping")
    if raw.keys() != _FACT_KEYS:  # PlanFacts has changed shape: let it read what it wrote
        f = PlanFacts.from_json({**raw, "path": rel, "in_portfolio": in_portfolio})
        for p in (*f.identifier_pos.values(), f.name_pos, f.owners_pos):
            _pos(p)
    else:  # the usual case, without from_json's copies
        ids, id_pos = raw["identifiers"], raw["identifier_pos"]
        if type(ids) is not dict or type(id_pos) is not dict:
            raise BadEntry("bad identifiers")
        f = PlanFacts(rel, raw["id"], raw["name"], raw["institution"], raw["name_key"], raw["institution_key"],
                      ids, {k: _pos(v) for k, v in id_pos.items()}, _pos(raw["name_pos"]), raw["leads"],
                      _pos(raw["owners_pos"]), in_portfolio)
    # check what the cross-plan rules rely on
    if not (type(f.id) is str and type(f.name) is str and type(f.name_key) is str
            and type(f.institution_key) is str and (f.institution is None or type(f.institution) is str)
            and type(f.leads) is list and all(type(h) is str for h in f.leads)
            and type(f.identifiers) is dict and all(type(v) is str for v in f.identifiers.values())):
        raise BadEntry("bad facts")
    return f


def _pos(value: Any) -> tuple[int, int]:
    line, col = value
    if type(line) is not int or type(col) is not int or line < 1 or col < 1:
        raise BadEntry("not a position")
    return (line, col)


def cross_row(d: Diagnostic) -> list[Any]:
    return [d.path, d.line, d.column, d.severity.value, d.code, d.rule, d.message]


