"""SARIF 2.1.0 for GitHub code scanning: one run, every rule with its help, one result per diagnostic.

What GitHub keeps (SPEC 6):

* each region has ``endLine``/``endColumn``: the extent of the token (key or value) that
  starts at the diagnostic's position, read from the file's text (a quoted scalar to its
  closing quote, a plain one to the ``: ``, `` #``, ``,``, ``]`` or ``}`` that ends it);
  columns count Unicode code points (``columnKind: unicodeCodePoints``), as kolplan's do;
* ``partialFingerprints`` hash the rule, the path and the text of the line at fault
  stripped of whitespace (plus an occurrence count for identical lines): never the
  message (it holds day counts) nor the line number, so a finding keeps its alert across
  days and when lines are inserted above it;
* at most :data:`MAX_RESULTS` results (GitHub's limit per run): beyond that the least
  severe are dropped and a tool notification in the run's invocation says how many.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, Final

from kolplan import __version__
from kolplan.formats.escape import json_text, uri_path
from kolplan.rules import all_rules

if TYPE_CHECKING:
    from pathlib import Path

    from kolplan.diagnostics import Diagnostic
    from kolplan.lint.engine import ValidationReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HELP_URI = "https://github.com/kolplan/kolplan/blob/main/docs/rules.md"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
MAX_RESULTS: Final = 25_000  # GitHub code scanning keeps at most this many results per run
_PLAIN_END: Final = (": ", " #", ",", "]", "}")


def token_end(line: str, start: int) -> int:
    """The 0-based end (exclusive, in code points) of the YAML token starting at ``line[start]``."""
    if start >= len(line):
        return start
    quote = line[start]
    if quote in "\"'":
        i = start + 1
        while i < len(line):
            if quote == '"' and line[i] == "\\":
                i += 2
                continue
            if line[i] == quote:
                if quote == "'" and line[i + 1:i + 2] == "'":  # '' inside a single-quoted scalar
                    i += 2
                    continue
                return i + 1
            i += 1
        return len(line.rstrip())
    if quote in "[{":  # a flow collection: the whole of it when it closes on this line
        depth = 0
        for i in range(start, len(line)):
            if line[i] in "[{":
                depth += 1
            elif line[i] in "]}":
                depth -= 1
                if depth == 0:
                    return i + 1
        return len(line.rstrip())
    end = len(line)
    if line.endswith(":"):
        end = len(line) - 1
    for stop in _PLAIN_END:
        at = line.find(stop, start + 1 if stop in ",]}" else start)
        if at != -1:
            end = min(end, at)
    text = line[start:end].rstrip()
    return start + max(len(text), 1 if text or start < len(line.rstrip()) else 0)


class _Sources:
    """The lines of each file a diagnostic is in, read once (none for a file that cannot be read)."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.lines: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str | None:
        if self.root is None:
            return None
        lines = self.lines.get(path)
        if lines is None:
            try:
                data = (self.root / path).read_bytes()
            except (OSError, ValueError):
                data = b""
            lines = data.decode("utf-8", errors="replace").splitlines()
            self.lines[path] = lines
        return lines[number - 1] if 0 < number <= len(lines) else None


def region(d: Diagnostic, text: str | None) -> dict[str, int]:
    """``startLine``/``startColumn`` and the end of the token there (one line: a key or a scalar)."""
    end = d.column
    if text is not None:
        end = max(d.column, token_end(text, d.column - 1) + 1)
    return {"startLine": d.line, "startColumn": d.column, "endLine": d.line, "endColumn": end}


def fingerprint_key(d: Diagnostic, text: str | None) -> str:
    """What a finding's fingerprint hashes: rule, path and the line's text without whitespace."""
    place = "".join((text or "").split())
    raw = f"{d.code}\0{d.path}\0{place}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest()[:32]


def cap(diags: list[Diagnostic], limit: int = MAX_RESULTS) -> tuple[list[Diagnostic], int]:
    """At most ``limit`` diagnostics, the least severe dropped first (order kept); how many were dropped."""
    if len(diags) <= limit:
        return diags, 0
    keep = sorted(range(len(diags)), key=lambda i: (diags[i].severity.rank, i))[:limit]
    return [diags[i] for i in sorted(keep)], len(diags) - limit


def render(report: ValidationReport) -> str:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    driver: dict[str, Any] = {
        "name": "kolplan",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": "https://github.com/kolplan/kolplan",
        "rules": [
            {
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.doc},
                "help": {"text": r.doc, "markdown": r.doc},
                "helpUri": f"{HELP_URI}#{r.code.lower()}-{r.name}",
                "defaultConfiguration": {"level": _LEVEL[r.severity.value]},
                "properties": {"category": r.category},
            }
            for r in rules
        ],
    }
    sources = _Sources(report.root)
    seen: dict[str, int] = {}
    printed: list[tuple[Diagnostic, str | None, str]] = []
    for d in report.diagnostics:
        text = sources.line(d.path, d.line)
        # the occurrence count keeps two findings on identical lines apart, as GitHub's own
        # primaryLocationLineHash does; counted before the cap, so a dropped info moves nothing
        digest = fingerprint_key(d, text)
        seen[digest] = seen.get(digest, 0) + 1
        printed.append((d, text, f"{digest}:{seen[digest]}"))
    kept, dropped = cap([d for d, _, _ in printed])
    keep_ids = {id(d) for d in kept}
    results = []
    for d, text, fingerprint in printed:
        if id(d) not in keep_ids:
            continue
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity.value],
            "message": {"text": d.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": uri_path(d.path), "uriBaseId": "%SRCROOT%"},
                    "region": region(d, text),
                }
            }],
            "partialFingerprints": {"kolplan/v2": fingerprint},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if dropped:
        run["invocations"] = [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [{
                "level": "warning",
                "descriptor": {"id": "result-limit"},
                "message": {"text": f"{dropped} of {len(printed)} results dropped (the least severe first): "
                                    f"GitHub code scanning keeps at most {MAX_RESULTS} per run"},
            }],
        }]
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    }
    return json_text(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
