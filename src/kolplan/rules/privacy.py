"""KP5xx: privacy — plans hold personal data about health-care professionals (SPEC 7)."""

from __future__ import annotations

from collections.abc import Iterator

from kolplan.diagnostics import Severity
from kolplan.rules.context import Finding, PlanContext
from kolplan.rules.registry import plan_rule
from kolplan.schema.countries import GDPR_COUNTRIES


@plan_rule("KP501", "privacy-notice-missing", Severity.WARNING, category="privacy")
def privacy_notice_missing(ctx: PlanContext) -> Iterator[Finding]:
    """A KOL in the EEA, the UK or Switzerland has no recorded lawful basis or privacy notice.

    An engagement plan is shared with stakeholders inside the company, so it is a
    record of personal data about the KOL, and under GDPR (Art. 14) people must be
    told what is kept about them within a month. Both ``kol.privacy.lawful_basis``
    and ``kol.privacy.notice_given`` are needed when ``kol.country`` is an EEA
    country, GB or CH; other countries and plans without a country are not
    checked.

    Bad: ``country: DE`` and no ``privacy:``.
    Fix: send the notice, then record
    ``privacy: {lawful_basis: legitimate-interest, notice_given: 2026-02-01}``.
    """
    kol = ctx.plan.kol
    if kol.country not in GDPR_COUNTRIES:
        return
    privacy = kol.privacy
    missing = [k for k in ("lawful_basis", "notice_given") if privacy is None or getattr(privacy, k) is None]
    if not missing:
        return
    need = " and ".join(f"privacy.{k}" for k in missing)
    path = ("kol", "privacy") if privacy is not None else ("kol", "privacy", "lawful_basis")
    yield Finding(path, f"{kol.name} is in {kol.country}, where GDPR applies, but the plan has no {need}; tell "
                        "the KOL what is kept about them (Art. 14 notice) and record privacy: "
                        "{lawful_basis: legitimate-interest, notice_given: YYYY-MM-DD}",
                  at="key" if privacy is not None else "parent")
