"""The Markdown and Mermaid filters: plan text must not break a document's structure."""

from __future__ import annotations

import pytest

from kolplan.views.filters import date, md, mmd, money, num, pct, signed


@pytest.mark.parametrize(("text", "escaped"), [
    ("a | b", "a \\| b"),
    ("line one\nline two", "line one<br>line two"),
    ("a\r\nb\rc", "a<br>b<br>c"),
    ("<script>alert(1)</script>", "\\<script>alert(1)\\</script>"),  # a backslash: reads as written in raw Markdown
    ("R&D", "R&D"),
    ("Q&A & more, AT&T, M&amp", "Q&A & more, AT&T, M&amp"),  # no entity: a plain & is safe
    ("AT&T;", "AT\\&T;"),  # shaped like an entity (a name and ';'): escaped
    ("write &amp; or &copy; or &#169; or &#xA9;", "write \\&amp; or \\&copy; or \\&#169; or \\&#xA9;"),
    ("&lt;script&gt;", "\\&lt;script\\&gt;"),
    ("R&D <b>", "R&D \\<b>"),
    ("a < b and c > d, 3<5", "a < b and c > d, 3<5"),  # no tag: nothing to escape
    ("<!-- x --> <?php <![CDATA[", "\\<!-- x --> \\<?php \\<![CDATA["),
    ("> not a quote", "\\> not a quote"),
    ("# not a heading", "\\# not a heading"),
    ("  # indented", "\\# indented"),
    ("- not a list", "\\- not a list"),
    ("back\\slash | pipe", "back\\\\slash \\| pipe"),
    ("\x1b[31mred", "\\x1b[31mred"),
    ("plain text, (kept) as-is", "plain text, (kept) as-is"),
])
def test_md(text: str, escaped: str) -> None:
    assert md(text) == escaped


def test_md_of_nothing_is_empty() -> None:
    assert md(None) == ""


@pytest.mark.parametrize(("text", "shown"), [("2026-01-01 to 2026-12-31", "- 2026-01-01 to 2026-12-31"),
                                             ("2026-01 review", "2026-01 review"), ("click here", "- click here")])
def test_mmd_guards_what_mermaid_reads_as_syntax(text: str, shown: str) -> None:
    assert mmd(text) == shown  # tests/views/test_mermaid.py runs such labels through Mermaid's parser


@pytest.mark.parametrize("text", ["a: b; c # d", 'say "hi"', "line\nbreak", "x %% comment", "title Weekly"])
def test_mmd_leaves_no_mermaid_syntax(text: str) -> None:
    out = mmd(text)
    assert not set(out) & set(':;#"\n')
    assert "%%" not in out
    assert out.split(" ", 1)[0].lower() not in {"title", "section", "dateformat"}


def test_mmd_is_short_and_never_empty() -> None:
    assert len(mmd("x" * 200)) == 60
    assert mmd(":::") == "untitled"


def test_number_filters() -> None:
    assert (pct(0.425), pct(None), pct(1)) == ("42%", "—", "100%")
    assert (signed(3), signed(-2), signed(0), signed(1.25), signed(None)) == ("+3", "−2", "±0", "+1.2", "—")
    assert (num(1600.0), num(8.5), num(None)) == ("1,600", "8.5", "—")
    assert date(None, "no date") == "no date"


def test_money_keeps_its_cents() -> None:
    # 14,537.90 is money; num would print 14,537.9 (right for hours, wrong for an amount)
    assert [money(v) for v in (1600, 1600.0, 14537.9, 95.5, 0.05, 1234567.891)] == [
        "1,600", "1,600", "14,537.90", "95.50", "0.05", "1,234,567.89"]
    assert money(None) == "—" and num(14537.9) == "14,537.9"
