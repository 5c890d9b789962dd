"""kolplan.formats.markdown: a summary line and a table, errors first (SPEC 6), that a real
CommonMark + GFM-table parser reads as a table with one row per diagnostic and five cells
per row, whatever the paths and messages hold, and that stays under GitHub's limits.
What ``kolplan validate --format markdown`` prints is tested in tests/cli/test_validate_markdown.py."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kolplan.diagnostics import Diagnostic, Severity
from kolplan.formats.markdown import LIMIT, render
from kolplan.lint.engine import ValidationReport


def diag(path: str, line: int, severity: Severity, code: str, rule: str, message: str, column: int = 1) -> Diagnostic:
    return Diagnostic(path, line, column, severity, code, rule, message)


SMALL = ValidationReport([
    diag("plans/a.yaml", 3, Severity.WARNING, "KP101", "activity-without-objective",
         "activity A3 is linked to no objective"),
    diag("plans/a.yaml", 9, Severity.INFO, "KP106", "not-co-developed", "set co_developed_with_kol: true", 5),
    diag("plans/b.yaml", 2, Severity.ERROR, "KP010", "schema", "kol.tier: 'superstar' is not one of local, regional"),
], files=2)


def test_exact_output_errors_first() -> None:
    assert render(SMALL) == (
        "### kolplan validate: 1 error, 1 warning, 1 info in 2 files\n"
        "\n"
        "| Severity | Code | Rule | Location | Message |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| error | KP010 | schema | plans/b.yaml:2:1 | kol.tier: 'superstar' is not one of local, regional |\n"
        "| warning | KP101 | activity-without-objective | plans/a.yaml:3:1 | activity A3 is linked to no objective |\n"
        "| info | KP106 | not-co-developed | plans/a.yaml:9:5 | set co_developed_with_kol: true |\n"
    )


def test_no_diagnostics_is_the_summary_line_alone() -> None:
    assert render(ValidationReport([], files=14)) == "### kolplan validate: 0 errors, 0 warnings in 14 files\n"


HOSTILE_MESSAGES = [
    "a | b || c",
    "ends with a backslash \\",
    "escaped \\| pipe",
    "`code | span` and ``double`` and a lone `",
    "line one\nline two\r\nline three\rfour",
    "<script>alert(1)</script>",
    "<b>bold</b> <!-- comment --> <![CDATA[x]]> &amp; &#60; R&D",
    "# heading",
    "- list item",
    "> quote",
    "   leading spaces and trailing   ",
    "ESC\x1b[31mred\x1b[0m BEL\x07 tab\there",
    "[link](javascript:alert(1)) ![img](x) <https://example.com>",
    "*emph* _under_ ~~strike~~ ***",
    "| --- | --- |",
    "",
]
HOSTILE_PATHS = [
    "plans/a|b.yaml",
    "plans/`tick`.yaml",
    "plans/<script>.yaml",
    "plans/new\nline.yaml",
    "plans/caf\udce9.yaml",  # a name that is not UTF-8, as os.fsdecode gives it
    "plans/back\\slash.yaml",
    "plans/# hash.yaml",
]


def _rows(doc: str) -> list[list[Token]]:
    """The body rows of the one table in ``doc``, each a list of its cells' inline tokens."""
    tokens = MarkdownIt("commonmark").enable("table").parse(doc)
    assert [t.type for t in tokens].count("table_open") == 1, doc
    rows: list[list[Token]] = []
    inside = False
    for t in tokens:
        if t.type == "tbody_open":
            inside = True
        elif t.type == "tbody_close":
            inside = False
        elif inside and t.type == "tr_open":
            rows.append([])
        elif inside and t.type == "inline":
            rows[-1].append(t)
    return rows


def _text(cell: Token) -> str:
    """What a reader sees in a cell (entities decoded, ``<br>`` as a line break)."""
    out = []
    for c in cell.children or []:
        if c.type == "code_inline":
            out.append(c.markup + c.content + c.markup)
        elif c.type == "html_inline":
            assert c.content == "<br>", f"raw HTML in a cell: {c.content!r}"
            out.append("\n")
        elif c.type == "softbreak" or c.type == "hardbreak":
            raise AssertionError("a line break inside a cell")
        else:
            out.append(c.content)
    return "".join(out)


def test_hostile_text_keeps_the_table_whole() -> None:
    diags = [diag(p, i + 1, Severity.ERROR if i % 2 else Severity.WARNING, "KP010", "schema", m)
             for i, (p, m) in enumerate((p, m) for p in HOSTILE_PATHS for m in HOSTILE_MESSAGES)]
    doc = render(ValidationReport(diags, files=len(HOSTILE_PATHS)))
    rows = _rows(doc)
    assert len(rows) == len(diags)
    assert all(len(r) == 5 for r in rows)
    expected = sorted(diags, key=lambda d: d.severity.rank)
    html = MarkdownIt("commonmark").enable("table").render(doc)
    for bad in ("<script", "<b>", "<!--", "<![CDATA", 'href="javascript', "<https"):
        assert bad not in html
    for row, d in zip(rows, expected, strict=True):
        severity, code, rule, where, message = (_text(c) for c in row)
        assert (severity, code, rule) == (d.severity.value, "KP010", "schema")
        assert where == _visible(d.path, layout=False) + f":{d.line}:1"
        if d.message not in MARKUP:
            assert message == _visible(d.message)


# messages whose Markdown markup (code spans, emphasis, links) a reader sees rendered, not as typed
MARKUP = {HOSTILE_MESSAGES[3], HOSTILE_MESSAGES[12], HOSTILE_MESSAGES[13]}


def _visible(text: str, *, layout: bool = True) -> str:
    """What a reader should see of ``text``: control characters and undecodable bytes shown as
    escapes, every line break one line break, outer spaces trimmed, a tab a space."""
    from kolplan.formats.escape import clean

    shown = clean(text, keep_layout=layout)
    return shown.replace("\r\n", "\n").replace("\r", "\n").strip().replace("\t", " ")


def test_a_cell_reads_as_the_text_it_holds() -> None:
    cases = {
        "a | b || c": "a | b || c",
        "<script>alert(1)</script>": "<script>alert(1)</script>",
        "R&D &amp; co": "R&D &amp; co",
        "ends \\": "ends \\",
        "two\nlines": "two\nlines",
        "ESC\x1b[31m": "ESC\\x1b[31m",  # shown, not obeyed
    }
    diags = [diag("plans/x|y<z>.yaml", 1, Severity.ERROR, "KP010", "schema", m) for m in cases]
    for row, want in zip(_rows(render(ValidationReport(diags, files=1))), cases.values(), strict=True):
        assert _text(row[3]) == "plans/x|y<z>.yaml:1:1"
        assert _text(row[4]) == want


def test_a_name_that_is_not_utf8_is_shown_escaped_and_the_document_encodes() -> None:
    doc = render(ValidationReport([diag("plans/caf\udce9.yaml", 1, Severity.ERROR, "KP001", "yaml", "x")], files=1))
    doc.encode("utf-8")
    assert _text(_rows(doc)[0][3]) == "plans/caf\\xe9.yaml:1:1"


@pytest.mark.parametrize("message", ["short message", "𝔘" * 5_000 + " | <x>\n" * 200])
def test_a_large_portfolio_stays_under_the_limits(message: str) -> None:
    n = 30_000
    diags = [diag(f"plans/kol-{i:05d}.yaml", i % 50 + 1, [Severity.INFO, Severity.WARNING, Severity.ERROR][i % 3],
                  "KP201", "check-in-overdue", message) for i in range(n)]
    doc = render(ValidationReport(diags, files=n))
    assert len(doc) <= LIMIT  # a pull-request comment
    assert len(doc.encode("utf-8")) < 1024 * 1024  # a job summary
    rows = _rows(doc)
    assert rows and all(len(r) == 5 for r in rows)
    severities = [_text(r[0]) for r in rows]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    last = doc.rstrip("\n").splitlines()[-1]
    more = n - len(rows)
    assert more > 0
    assert last.startswith(f"… and {more:,} more (") and "run `kolplan validate` to see them all" in last
    shown_errors = severities.count("error")
    assert f"{n // 3 - shown_errors:,} errors" in last or shown_errors == n // 3
    assert f"{n // 3:,} warnings" in last and f"{n // 3:,} info" in last  # errors fill the table first
    assert doc.startswith(f"### kolplan validate: {n // 3:,}".replace(",", ""))


def test_a_long_message_or_path_is_cut_in_its_cell() -> None:
    doc = render(ValidationReport([diag("plans/" + "p" * 5_000 + ".yaml", 1, Severity.ERROR, "KP010", "schema",
                                        "m" * 50_000)], files=1))
    [row] = _rows(doc)
    assert _text(row[4]) == "m" * 999 + "…"
    assert len(_text(row[3])) < 400
