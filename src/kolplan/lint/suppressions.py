"""Inline suppressions: ``# kolplan: ignore[KP101]`` and ``# kolplan: ignore-file[KP106]``,
found in a file's bytes and applied to its diagnostics (the unused ones are KP901, whose
rule is registered in :mod:`kolplan.rules.suppression`).

libyaml's composer drops comments, so suppressions are found in the raw bytes; a file
without the text ``kolplan:`` costs one substring search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kolplan.diagnostics import Diagnostic, always_on

_MARK: Final = b"kolplan:"
_RE: Final = re.compile(r"#\s*kolplan:\s*(ignore-file|ignore)\[([^\]]*)\]")


@dataclass(frozen=True, slots=True)
class Suppression:
    line: int
    column: int
    tokens: tuple[str, ...]  # codes or names, as written
    file_level: bool


def find_suppressions(data: bytes) -> list[Suppression]:
    if _MARK not in data:
        return []
    text = data.decode("utf-8", errors="replace")
    out: list[Suppression] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if "kolplan:" not in line:
            continue
        for m in _RE.finditer(line):
            tokens = tuple(t.strip() for t in m.group(2).split(",") if t.strip())
            out.append(Suppression(lineno, m.start() + 1, tokens, m.group(1) == "ignore-file"))
    return out


def apply_suppressions(diags: list[Diagnostic], sups: list[Suppression], path: str) -> list[Diagnostic]:
    """Drop diagnostics covered by inline suppressions; report the ones that cover nothing (KP901)."""
    # lazy: the rule registry only for a file with suppressions
    from kolplan.rules import lookup

    if not sups:
        return diags
    used: set[tuple[int, str]] = set()
    kept: list[Diagnostic] = []
    for d in diags:
        if always_on(d.code):
            kept.append(d)
            continue
        covered = False
        for s in sups:
            if s.file_level or s.line == d.line:
                for tok in s.tokens:
                    rule = lookup(tok)
                    if rule is not None and rule.code == d.code:
                        used.add((id(s), tok))
                        covered = True
        if not covered:
            kept.append(d)
    unused = lookup("KP901")
    if unused is None:
        return kept
    file_off = {lookup(t).code for s in sups if s.file_level for t in s.tokens if lookup(t)}  # type: ignore[union-attr]
    for s in sups:
        for tok in s.tokens:
            if (id(s), tok) in used:
                continue
            rule = lookup(tok)
            scope = "this file" if s.file_level else "this line"
            if rule is None:
                msg = f"suppression names unknown rule '{tok}': use a code such as KP101 or a rule name"
            elif rule.always_on:
                msg = f"{rule.code} cannot be suppressed (reading and schema errors are always reported): remove it"
            else:
                msg = f"suppression of {rule.code} {rule.name} covers nothing on {scope}: remove it"
            if "KP901" not in file_off:
                kept.append(Diagnostic(path, s.line, s.column, unused.severity, unused.code, unused.name, msg))
    return kept
