"""Fiscal quarters: fiscal year N ends in calendar year N (SPEC 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from kolplan.views.fiscal import (
    Quarter,
    fiscal_year_bounds,
    fiscal_year_of,
    next_fiscal_quarter_start,
    parse_quarter,
    quarter_of,
)

D = dt.date


@pytest.mark.parametrize(("label", "start_month", "first", "last"), [
    ("2026-Q1", 1, D(2026, 1, 1), D(2026, 3, 31)),
    ("2026-Q3", 1, D(2026, 7, 1), D(2026, 9, 30)),
    ("2026-Q4", 1, D(2026, 10, 1), D(2026, 12, 31)),
    ("2027-Q1", 4, D(2026, 4, 1), D(2026, 6, 30)),   # April start: FY2027 = 2026-04-01..2027-03-31
    ("2027-Q4", 4, D(2027, 1, 1), D(2027, 3, 31)),
    ("2026-Q3", 10, D(2026, 4, 1), D(2026, 6, 30)),  # October start: FY2026 = 2025-10-01..2026-09-30
    ("2026-Q1", 12, D(2025, 12, 1), D(2026, 2, 28)),
    ("2024-Q1", 12, D(2023, 12, 1), D(2024, 2, 29)),  # leap year
])
def test_quarter_bounds(label: str, start_month: int, first: dt.date, last: dt.date) -> None:
    q = parse_quarter(label, start_month)
    assert (q.start, q.end) == (first, last)
    assert quarter_of(first, start_month) == q and quarter_of(last, start_month) == q


def test_every_day_of_a_year_falls_in_exactly_one_quarter() -> None:
    for start_month in (1, 2, 4, 7, 12):
        day = D(2025, 1, 1)
        while day.year == 2025:
            q = quarter_of(day, start_month)
            assert q.start <= day <= q.end
            assert q.fiscal_year == q.fiscal_year_last_day.year == fiscal_year_of(day, start_month)
            day += dt.timedelta(days=1)


def test_next_and_previous_wrap_the_fiscal_year() -> None:
    q = Quarter(2027, 4, 4)
    assert q.next() == Quarter(2028, 1, 4) and q.next().start == q.end + dt.timedelta(days=1)
    assert Quarter(2027, 1, 4).previous() == Quarter(2026, 4, 4)
    assert [m for m in Quarter(2027, 4, 4).months()] == [(2027, 1), (2027, 2), (2027, 3)]


def test_fiscal_year_helpers() -> None:
    assert fiscal_year_bounds(2027, 4) == (D(2026, 4, 1), D(2027, 3, 31))
    assert fiscal_year_of(D(2026, 3, 31), 4) == 2026 and fiscal_year_of(D(2026, 4, 1), 4) == 2027
    assert next_fiscal_quarter_start(D(2026, 11, 20)) == D(2027, 1, 1)


@pytest.mark.parametrize("bad", ["2026-Q5", "2026-Q0", "2026Q3", "Q3-2026", "26-Q3", "2026-Q3x", ""])
def test_bad_quarters(bad: str) -> None:
    with pytest.raises(ValueError, match="YYYY-Qn"):
        parse_quarter(bad)


def test_lowercase_q_is_accepted() -> None:
    assert parse_quarter("2026-q3").label == "2026-Q3"
