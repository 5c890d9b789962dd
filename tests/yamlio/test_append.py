"""Writing YAML by hand: quoted scalars read back exactly; appended items leave other bytes alone."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kolplan.errors import AppendError, UsageError
from kolplan.yamlio.append import append_item
from kolplan.yamlio.document import Document
from kolplan.yamlio.emit import plain_or_quoted, quoted
from kolplan.yamlio.reader import read_bytes

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def value_of(scalar: str) -> object:
    doc = read_bytes(f"k: {scalar}\n".encode())
    assert isinstance(doc, Document), doc
    return doc.data["k"]


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_quoted_reads_back_as_the_same_text(text: str) -> None:
    scalar = quoted(text)
    assert "\n" not in scalar and "\r" not in scalar
    assert value_of(scalar) == text


@pytest.mark.parametrize("text", ["a.chen", "123", "null", "true", "2026-01-01", "1e3", "NO", "-x", "a b", "o'k"])
def test_plain_or_quoted_keeps_the_string(text: str) -> None:
    assert value_of(plain_or_quoted(text)) == text


def test_plain_when_safe() -> None:
    assert plain_or_quoted("a.chen") == "a.chen"
    assert plain_or_quoted("123") == '"123"'


def test_text_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(UsageError, match="not valid UTF-8"):
        quoted("bad \udcff byte")


BASE = "schema: kolplan/v1\nid: x\nowners:\n{dash}- person: a\n{item}role: lead\n"


@settings(max_examples=150, deadline=None)
@given(
    summary=TEXT.filter(bool),
    dash=st.sampled_from([0, 2, 4]),
    eol=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
    existing=st.sampled_from(["absent", "empty", "[]", "item"]),
)
def test_append_adds_exactly_one_item(summary: str, dash: int, eol: str, final_newline: bool, existing: str) -> None:
    text = BASE.format(dash=" " * dash, item=" " * (dash + 2))
    if existing == "empty":
        text += "interactions:\n"
    elif existing == "[]":
        text += "interactions: []  # c\n"
    elif existing == "item":
        text += f"interactions:\n{' ' * dash}- date: 2026-01-01\n{' ' * (dash + 2)}summary: old\n"
    if not final_newline:
        text = text.rstrip("\n")
    data = text.replace("\n", eol).encode()
    entry = {"date": dt.date(2026, 2, 1), "summary": summary}
    new = append_item(data, "interactions", [("date", "2026-02-01"), ("summary", quoted(summary))], entry, "x")
    doc = read_bytes(new)
    assert isinstance(doc, Document)
    old = read_bytes(data)
    assert isinstance(old, Document)
    assert doc.data["interactions"][-1] == entry
    assert len(doc.data["interactions"]) == len(old.data.get("interactions") or []) + 1
    assert new.endswith(eol.encode()) == final_newline
    if eol == "\r\n":
        assert b"\n" not in new.replace(b"\r\n", b"")
    if existing in ("absent", "empty", "item"):  # nothing removed: the old bytes are all still there, in order
        it = iter(new)
        assert all(b in it for b in data)


def test_top_level_flow_mapping_is_refused() -> None:
    with pytest.raises(AppendError, match="flow mapping"):
        append_item(b"{schema: kolplan/v1, id: x}\n", "interactions", [("date", "2026-02-01")],
                    {"date": dt.date(2026, 2, 1)}, "x")


def test_result_that_reads_differently_is_refused() -> None:
    # a document end marker: anything appended after it is a second document
    data = b"schema: kolplan/v1\nid: x\n...\n"
    with pytest.raises(AppendError, match="nothing was written"):
        append_item(data, "interactions", [("date", "2026-02-01")], {"date": dt.date(2026, 2, 1)}, "x")


def test_not_a_list_is_refused() -> None:
    with pytest.raises(AppendError, match="not a list"):
        append_item(b"interactions: hello\n", "interactions", [("date", "2026-02-01")],
                    {"date": dt.date(2026, 2, 1)}, "x")
