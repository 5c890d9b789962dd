"""kolplan.formats.sarif on its own: at most 25,000 results per run (GitHub's limit), the least
severe dropped first, and a tool notification saying how many. What ``kolplan validate --format
sarif`` prints is in tests/cli/test_validate_sarif.py and tests/cli/test_sarif_upload.py."""

from __future__ import annotations

import json

from kolplan.diagnostics import Diagnostic, Severity
from kolplan.formats.sarif import render
from kolplan.lint.engine import ValidationReport
from tests.cli.test_sarif_upload import assert_valid, results


def test_more_than_25000_results_keep_the_most_severe_and_say_how_many_were_dropped() -> None:
    diags = []
    for i in range(26_000):
        severity = (Severity.ERROR, Severity.WARNING, Severity.INFO)[i % 3] if i < 3_000 else Severity.ERROR
        if 3_000 <= i < 4_000:
            severity = Severity.INFO
        diags.append(Diagnostic(f"plans/p{i // 100}.yaml", i % 100 + 1, 3, severity, "KP101", "no-kol-value",
                                f"finding {i}"))
    counts = {s: sum(d.severity is s for d in diags) for s in Severity}
    assert counts[Severity.INFO] == 2_000 and counts[Severity.WARNING] == 1_000
    doc = json.loads(render(ValidationReport(diags, 260)))
    kept = results(doc)
    assert len(kept) == 25_000
    levels = [r["level"] for r in kept]
    # 1,000 dropped: all of them infos (the least severe), every error and warning kept
    assert levels.count("error") == counts[Severity.ERROR]
    assert levels.count("warning") == counts[Severity.WARNING]
    assert levels.count("note") == counts[Severity.INFO] - 1_000
    (invocation,) = doc["runs"][0]["invocations"]
    (note,) = invocation["toolExecutionNotifications"]
    assert "1000" in note["message"]["text"].replace(",", "")
    assert_valid(doc)


def test_at_the_limit_nothing_is_dropped_and_no_notification() -> None:
    diags = [Diagnostic("plans/p.yaml", i + 1, 1, Severity.INFO, "KP305", "x", "m") for i in range(25_000)]
    doc = json.loads(render(ValidationReport(diags, 1)))
    assert len(results(doc)) == 25_000
    assert "invocations" not in doc["runs"][0]


def test_warnings_go_after_every_info_and_errors_last() -> None:
    def diag(i: int, severity: Severity) -> Diagnostic:
        return Diagnostic("plans/p.yaml", i + 1, 1, severity, "KP101", "no-kol-value", "m")

    diags = ([diag(i, Severity.INFO) for i in range(600)] + [diag(i, Severity.WARNING) for i in range(600)]
             + [diag(i, Severity.ERROR) for i in range(24_800)])
    doc = json.loads(render(ValidationReport(diags, 1)))
    levels = [r["level"] for r in results(doc)]
    assert len(levels) == 25_000
    assert levels.count("note") == 0 and levels.count("warning") == 200 and levels.count("error") == 24_800
    (note,) = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("1000 of 26000 results dropped")
