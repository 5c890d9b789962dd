"""``--as-of DATE``, parsed without typer (the ``validate`` fast path uses it too)."""

from __future__ import annotations

import datetime as dt

from kolplan.errors import UsageError


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value}: not a date; write it as YYYY-MM-DD, e.g. 2026-10-01") from None
