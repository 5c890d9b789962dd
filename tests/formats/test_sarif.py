"""kolplan.formats.sarif on its own: at most 25,000 results per run (GitHub's limit), the least
severe dropped first, and a tool notification saying how many; columns in UTF-16 code units.
What ``kolplan validate --format sarif`` prints is in tests/cli/test_validate_sarif.py,
tests/cli/test_sarif_upload.py and tests/cli/test_monorepo.py."""

from __future__ import annotations

import json
from pathlib import Path

from kolplan.diagnostics import Diagnostic, Severity
from kolplan.formats.sarif import region as sarif_region
from kolplan.formats.sarif import render, utf16_column
from kolplan.lint.engine import ValidationReport
from tests.cli.test_monorepo import monorepo, needs_git
from tests.cli.test_sarif_upload import assert_valid, results
from tests.helpers import write_file


def many_findings(total: int = 26_600) -> list[Diagnostic]:
    """``total`` findings, 100 per plan (``plans/p0.yaml``…): the first 3,000 cycle through
    error, warning and info, the next 1,000 are infos, the rest errors (2,000 infos, 1,000
    warnings). 26,600 is what 1,400 plans with findings gave (issue 16)."""
    diags = []
    for i in range(total):
        severity = (Severity.ERROR, Severity.WARNING, Severity.INFO)[i % 3] if i < 3_000 else Severity.ERROR
        if 3_000 <= i < 4_000:
            severity = Severity.INFO
        diags.append(Diagnostic(f"plans/p{i // 100}.yaml", i % 100 + 1, 3, severity, "KP101", "no-kol-value",
                                f"finding {i}"))
    return diags


@needs_git
def test_more_than_25000_results_keep_the_most_severe_and_say_how_many_were_dropped(tmp_path: Path) -> None:
    """In a monorepo (the kolplan root in medical/ of a real git repository): what is kept is
    valid against both schemas, and every result's URI names a file from the git top."""
    diags = many_findings()
    counts = {s: sum(d.severity is s for d in diags) for s in Severity}
    assert counts[Severity.INFO] == 2_000 and counts[Severity.WARNING] == 1_000
    top = tmp_path / "mono"
    root = monorepo(top)  # findings of its own in plans/: not read here, the report is made up
    for n in range(len(diags) // 100):
        write_file(root / "plans" / f"p{n}.yaml", "".join(f"  k{i}: value {i}\n" for i in range(100)))
    doc = json.loads(render(ValidationReport(diags, len(diags) // 100, root=root)))
    kept = results(doc)
    assert len(kept) == 25_000
    levels = [r["level"] for r in kept]
    # 1,600 dropped: all of them infos (the least severe), every error and warning kept
    assert levels.count("error") == counts[Severity.ERROR]
    assert levels.count("warning") == counts[Severity.WARNING]
    assert levels.count("note") == counts[Severity.INFO] - 1_600
    (invocation,) = doc["runs"][0]["invocations"]
    (note,) = invocation["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("1600 of 26600 results dropped")
    assert_valid(doc)
    places = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in kept}
    assert len(places) == 266 - 10  # p30 to p39 held infos only: dropped whole
    for place in places:
        assert place.startswith("medical/plans/p") and (top / place).is_file()
    region = kept[0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 3, "endLine": 1, "endColumn": 5}  # the key k0


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


def test_utf16_columns_count_each_character_beyond_the_bmp_twice() -> None:
    line = '  - {title: "😀 𝔘 é", owner: p.jonse}'
    at = line.index("p.jonse") + 1
    assert utf16_column(line, at) == at + 2  # 😀 and 𝔘; é is in the BMP
    assert utf16_column(line, 1) == 1
    assert utf16_column("ascii only", 5) == 5
    assert utf16_column("😀", 5) == 6  # past the end of the line: the characters before it count
    region = sarif_region(Diagnostic("p.yaml", 1, at, Severity.ERROR, "KP012", "unknown-person", "m"), line)
    start, end = region["startColumn"] - 1, region["endColumn"] - 1
    assert line.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le") == "p.jonse"
