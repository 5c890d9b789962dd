"""Dates given on the command line: ``--as-of`` (parsed without typer: the ``validate`` fast
path uses it too) and the strict YYYY-MM-DD of ``--date`` and its kin."""

from __future__ import annotations

import datetime as dt
import re

from kolplan.errors import UsageError


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value}: not a date; write it as YYYY-MM-DD, e.g. 2026-10-01") from None


def parse_date(date: str | None, default: dt.date, option: str = "--date") -> dt.date:
    """``--date`` (or ``option``), strictly YYYY-MM-DD (exit 2 otherwise); ``default`` when not given."""
    if date is None:
        return default
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date):
            raise ValueError(date)
        return dt.date.fromisoformat(date)
    except ValueError:
        raise UsageError(f"{option} {date}: not a date; write it as YYYY-MM-DD, e.g. 2026-06-02") from None
