"""Transfers of value: every fee and expense of one plan's engagements, with the day it
was paid (``paid_on``, else the activity's date).

What the annual cap adds up (KP402, KP405), what ``disclose`` files (SPEC 13) and what
the review counts as reportable read the same list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kolplan.engagement.items import Engagement


def money(amount: float, currency: str | None = None) -> str:
    """``2,400 USD``; cents only when there are some (``14,537.90``): how messages and documents show money."""
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{text} {currency}" if currency else text


FEE = "fee"  # the kind of a payment that is the activity's compensation; expenses have their own kinds


@dataclass(frozen=True, slots=True)
class Payment:
    """One transfer of value: an activity's fee, or one of its expenses."""

    engagement: Engagement
    kind: str  # "fee", or an expense kind (travel, lodging, meals, registration, other)
    amount: float
    date: dt.date | None  # paid_on, else the activity's date; None for an undated planned activity
    position: int  # 0 for the fee, 1 + the expense's index for an expense (a stable key)

    @property
    def is_fee(self) -> bool:
        return self.kind == FEE


def payments(items: list[Engagement]) -> list[Payment]:
    """The fee (if above zero) and each expense above zero of every engagement, in the plan's order."""
    out: list[Payment] = []
    for e in items:
        day = e.paid_on or e.date
        if e.compensation:
            out.append(Payment(e, FEE, e.compensation, day, 0))
        for k, (kind, amount) in enumerate(e.expenses, start=1):
            if amount:
                out.append(Payment(e, kind, amount, day, k))
    return out
