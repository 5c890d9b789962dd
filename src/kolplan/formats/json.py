"""``{"version": 1, "files": K, "summary": {...}, "diagnostics": [...]}`` (SPEC 6)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kolplan.validation import ValidationReport


def render(report: ValidationReport) -> str:
    doc = {
        "version": 1,
        "files": report.files,
        "summary": report.counts(),
        "diagnostics": [d.to_dict() for d in report.diagnostics],
    }
    # Compact: without indent the json module uses its C encoder (10,000 plans: ~0.4 s saved).
    return json.dumps(doc, ensure_ascii=False) + "\n"
