"""SARIF 2.1.0 for GitHub code scanning: one run, every rule with its help, one result per diagnostic."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from kolplan import __version__
from kolplan.formats.escape import json_text, uri_path

if TYPE_CHECKING:
    from kolplan.validation import ValidationReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HELP_URI = "https://github.com/kolplan/kolplan/blob/main/docs/rules.md"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(report: ValidationReport) -> str:
    from kolplan.rules import all_rules

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
    results = []
    seen: dict[str, int] = {}
    for d in report.diagnostics:
        # Stable when lines move (no line number in it); the occurrence count keeps two identical
        # findings in one file apart, as GitHub's own primaryLocationLineHash does.
        # (surrogatepass: a file name that is not UTF-8 can be hashed too)
        key = f"{d.path}\0{d.code}\0{d.message}".encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(key).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        fingerprint = f"{digest}:{seen[digest]}"
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity.value],
            "message": {"text": d.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": uri_path(d.path), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": d.line, "startColumn": d.column},
                }
            }],
            "partialFingerprints": {"kolplan/v1": fingerprint},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json_text(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
