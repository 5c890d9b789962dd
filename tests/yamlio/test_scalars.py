"""Every file is read with YAML 1.2 scalars (SPEC 2)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from kolplan.yamlio.document import Document
from kolplan.yamlio.reader import read_bytes


def value(text: str) -> object:
    doc = read_bytes(f"v: {text}\n".encode())
    assert isinstance(doc, Document)
    return doc.data["v"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NO", "NO"),  # Norway, not false (YAML 1.1 would say False)
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("Y", "Y"),
        ("true", True),
        ("False", False),
        ("0o17", 15),  # YAML 1.2 octal
        ("017", 17),  # a decimal in 1.2, octal in 1.1
        ("0x1F", 31),
        ("1_000", "1_000"),  # underscores are not digits in 1.2
        ("12", 12),
        ("-3", -3),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("~", None),
        ("null", None),
        ("", None),
        ("2026-02-11", dt.date(2026, 2, 11)),
        ("2026-02-30", "2026-02-30"),  # not a real date: kept as text for the schema to report
        ("2026-2-3", "2026-2-3"),
        ("'12'", "12"),
        ('"true"', "true"),
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("12:30", "12:30"),  # no sexagesimal numbers in 1.2
    ],
)
def test_yaml_12_scalars(text: str, expected: object) -> None:
    assert value(text) == expected
    assert type(value(text)) is type(expected)


def test_infinity_and_nan() -> None:
    assert value(".inf") == math.inf
    assert value("-.Inf") == -math.inf
    nan = value(".nan")
    assert isinstance(nan, float) and math.isnan(nan)


def test_huge_integer_is_kept_as_text_not_an_exception() -> None:
    digits = "9" * 5000
    assert value(digits) == digits


def test_explicit_core_tags() -> None:
    assert value("!!str 12") == "12"
    assert value("!!int '7'") == 7
    assert value("!!float 1") == 1.0
