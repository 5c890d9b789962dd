"""Inline suppressions: ``# kolplan: ignore[KP101]`` and ``# kolplan: ignore-file[KP106]``.

libyaml's composer drops comments, so suppressions are found in the raw bytes; a file
without the text ``kolplan:`` costs one substring search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

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
