"""Fiscal quarters (SPEC 3, 8): ``2026-Q3`` is the third quarter of fiscal year 2026.

Fiscal year N ends in calendar year N. With ``fiscal_year_start: 4`` (April), FY2027
runs 2026-04-01..2027-03-31, so 2027-Q1 is 2026-04-01..2026-06-30; with the default
January start, fiscal and calendar years coincide.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Final

_QUARTER: Final = re.compile(r"(?P<year>[0-9]{4})-[Qq](?P<q>[1-4])")
MONTH_ABBR: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, order=True)
class Quarter:
    """One fiscal quarter: ``fiscal_year`` (the calendar year it ends in) and ``number`` 1-4."""

    fiscal_year: int
    number: int
    fiscal_year_start: int = 1  # month 1-12 that starts fiscal Q1

    @property
    def label(self) -> str:
        return f"{self.fiscal_year}-Q{self.number}"

    @cached_property
    def start(self) -> dt.date:
        year, month = _first_month(self.fiscal_year, self.fiscal_year_start, 3 * (self.number - 1))
        return dt.date(year, month, 1)

    @cached_property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    @property
    def fiscal_year_first_day(self) -> dt.date:
        return Quarter(self.fiscal_year, 1, self.fiscal_year_start).start

    @property
    def fiscal_year_last_day(self) -> dt.date:
        return Quarter(self.fiscal_year, 4, self.fiscal_year_start).end

    def months(self) -> list[tuple[int, int]]:
        """The quarter's three ``(year, month)`` pairs, in order."""
        return [_first_month(self.fiscal_year, self.fiscal_year_start, 3 * (self.number - 1) + i) for i in range(3)]

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end  # start, end: computed once

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.fiscal_year + 1, 1, self.fiscal_year_start)
        return Quarter(self.fiscal_year, self.number + 1, self.fiscal_year_start)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.fiscal_year - 1, 4, self.fiscal_year_start)
        return Quarter(self.fiscal_year, self.number - 1, self.fiscal_year_start)


def _first_month(fiscal_year: int, start_month: int, offset: int) -> tuple[int, int]:
    """The calendar ``(year, month)`` ``offset`` months after the start of ``fiscal_year``."""
    first_year = fiscal_year - 1 if start_month > 1 else fiscal_year
    index = (start_month - 1) + offset
    return first_year + index // 12, index % 12 + 1


def quarter_of(day: dt.date, fiscal_year_start: int = 1) -> Quarter:
    """The fiscal quarter containing ``day``."""
    if fiscal_year_start == 1:
        return Quarter(day.year, (day.month - 1) // 3 + 1, 1)
    offset = (day.month - fiscal_year_start) % 12
    fiscal_year = day.year + 1 if day.month >= fiscal_year_start else day.year
    return Quarter(fiscal_year, offset // 3 + 1, fiscal_year_start)


def fiscal_year_of(day: dt.date, fiscal_year_start: int = 1) -> int:
    """The fiscal year containing ``day`` (the calendar year that fiscal year ends in)."""
    return quarter_of(day, fiscal_year_start).fiscal_year


def fiscal_year_bounds(fiscal_year: int, fiscal_year_start: int = 1) -> tuple[dt.date, dt.date]:
    """First and last day of ``fiscal_year``."""
    first = Quarter(fiscal_year, 1, fiscal_year_start)
    return first.fiscal_year_first_day, first.fiscal_year_last_day


NEW_PLAN_MIN_DAYS: Final = 90  # a default plan period shorter than this runs on to the next fiscal year's end


def default_plan_period(day: dt.date, fiscal_year_start: int = 1) -> tuple[dt.date, dt.date]:
    """The period of a plan written on ``day`` (SPEC 5 ``new``): from ``day`` to the end of its
    fiscal year, or to the end of the next one when fewer than 90 days (``day`` included) remain."""
    end = fiscal_year_bounds(fiscal_year_of(day, fiscal_year_start), fiscal_year_start)[1]
    if (end - day).days + 1 < NEW_PLAN_MIN_DAYS:
        end = fiscal_year_bounds(fiscal_year_of(end, fiscal_year_start) + 1, fiscal_year_start)[1]
    return day, end


def next_fiscal_quarter_start(day: dt.date, fiscal_year_start: int = 1) -> dt.date:
    """The first day of the fiscal quarter after the one containing ``day``."""
    return quarter_of(day, fiscal_year_start).next().start


def parse_quarter(text: str, fiscal_year_start: int = 1) -> Quarter:
    """``2026-Q3`` -> :class:`Quarter`; ``ValueError`` with a message a user can act on."""
    m = _QUARTER.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"'{text}' is not a quarter: write it as YYYY-Qn, e.g. 2026-Q3 (the third quarter of "
                         "fiscal year 2026)")
    year = int(m.group("year"))
    if year < 1900:
        raise ValueError(f"'{text}': the fiscal year {year} is out of range")
    return Quarter(year, int(m.group("q")), fiscal_year_start)
