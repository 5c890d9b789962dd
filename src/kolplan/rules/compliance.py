"""KP4xx: compliance — transfers of value, the medical/commercial firewall, and what the
yearly filings need (SPEC 7).

Each rule runs only where ``kolplan.yaml`` has a ``compliance:`` block with the
keys it needs. ``cancelled`` activities commit no money and run no engagement,
so none of these rules looks at them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from kolplan.diagnostics import Severity
from kolplan.engagement.disclosure import EFPIA_COUNTRIES, OPEN_PAYMENTS_COUNTRIES, RESEARCH_TYPES
from kolplan.engagement.items import Engagement
from kolplan.engagement.payments import money
from kolplan.rules.context import Finding, PlanContext
from kolplan.rules.registry import plan_rule

if TYPE_CHECKING:
    from kolplan.schema import Activity


def _live(ctx: PlanContext) -> Iterator[tuple[int, Activity]]:
    for i, a in enumerate(ctx.plan.plan.activities):
        if a.status != "cancelled":
            yield i, a


@plan_rule("KP401", "fmv-exceeded", Severity.ERROR, category="compliance")
def fmv_exceeded(ctx: PlanContext) -> Iterator[Finding]:
    """An activity pays more per hour than the KOL tier's fair-market-value rate, or pays
    without ``hours``.

    Payment alone does not keep a KOL engaged, and paying above fair market value is
    an inducement that Open Payments and the EFPIA Disclosure Code make public.
    Compensation divided by ``hours`` must not exceed ``compliance.fmv_hourly_rate``
    for the KOL's tier; compensation with no (or zero) hours cannot be shown to be
    fair. Runs only when the tier has a rate; zero compensation is exempt.

    Bad: ``hours: 2`` and ``compensation: 1600`` for a national KOL at 450 an hour.
    Fix: ``compensation: 900``, or record the real hours the work takes.
    """
    comp = ctx.config.compliance
    if comp is None or comp.fmv_hourly_rate is None:
        return
    rate = comp.fmv_hourly_rate.for_tier(ctx.plan.kol.tier)
    if rate is None:
        return
    cur = comp.currency
    tier = ctx.plan.kol.tier
    for i, a in _live(ctx):
        pay = a.compensation
        if not pay:
            continue
        path = ("plan", "activities", i, "compensation")
        if not a.hours:
            yield Finding(path, f"activity {a.id} pays {money(pay, cur)} but records no hours, so fair market "
                                f"value cannot be shown; add hours: (the time asked of the KOL; at most "
                                f"{money(rate, cur)}/hour for a {tier} KOL)")
        elif pay / a.hours > rate:
            hours = f"{a.hours:g}"
            yield Finding(path, f"activity {a.id} pays {money(pay, cur)} for {hours} hours "
                                f"({money(pay / a.hours, cur)}/hour), above the fair-market-value rate of "
                                f"{money(rate, cur)}/hour for a {tier} KOL; lower it to at most "
                                f"{money(rate * a.hours, cur)} or record the real hours")


def _by_year(ctx: PlanContext) -> dict[int, list[tuple[int, float]]]:
    """:meth:`~kolplan.schema.Plan.compensation_by_year`, the one count of compensation per year
    (fees, and expenses too under ``compliance.cap_includes_expenses``)."""
    return ctx.plan.compensation_by_year(include_expenses=_with_expenses(ctx))


def _with_expenses(ctx: PlanContext) -> bool:
    return ctx.config.cap_with_expenses


def _what(ctx: PlanContext) -> str:
    """What the cap adds up, as the messages say it."""
    return "compensation and expenses" if _with_expenses(ctx) else "compensation"


def _yearly_totals(ctx: PlanContext) -> Iterator[tuple[int, list[tuple[int, float]], float, float, str | None]]:
    """(year, entries, total, cap, currency) for each calendar year, where an annual cap is configured;
    the total is added up in date order."""
    comp = ctx.config.compliance
    if comp is None or comp.annual_cap is None:
        return
    for year, entries in ctx.shared("compensation-by-year", _by_year).items():
        yield year, entries, sum(pay for _, pay in entries), comp.annual_cap, comp.currency


def _crossing(entries: list[tuple[int, float]], reached: Callable[[float], bool]) -> int:
    """The index of the activity at which the running total first satisfies ``reached``."""
    running = 0.0
    for i, pay in entries:
        running += pay
        if reached(running):
            return i
    raise ValueError("the total never reaches the threshold")


def _over(total: float, cap: float) -> bool:
    return total > cap


def _near(total: float, cap: float) -> bool:
    return total * 5 >= cap * 4  # 80%, without float rounding at the boundary


@plan_rule("KP402", "annual-cap-exceeded", Severity.ERROR, category="compliance")
def annual_cap_exceeded(ctx: PlanContext) -> Iterator[Finding]:
    """The KOL's compensation in one calendar year is above ``compliance.annual_cap``.

    Regulation has reshaped how companies work with KOLs: they cap what one HCP may
    be paid a year, across all departments, and every transfer is disclosed. The
    sum counts ``planned`` and ``done`` activities by the calendar year of their
    date (an undated planned activity counts in the year the plan period starts).
    Exactly at the cap is allowed. The position is the activity whose compensation
    crosses the cap.

    What the cap covers is a policy choice: fees only (the default), or fees and
    expenses (travel, lodging, meals, registration) with
    ``compliance.cap_includes_expenses: true``, for teams whose cap is on every
    transfer of value to the KOL.

    Bad: 26,400 USD of advisory boards and consulting in 2026 with a 25,000 cap.
    Fix: reduce or move planned compensation, or cancel an activity.
    """
    for year, entries, total, cap, cur in _yearly_totals(ctx):
        if _over(total, cap):
            i = _crossing(entries, partial(_over, cap=cap))
            act = ctx.plan.plan.activities[i].id
            yield Finding(_cap_path(ctx, i), f"{_what(ctx)} in {year} totals {money(total, cur)} (planned and "
                                             f"done), above the annual cap of {money(cap, cur)}; activity {act} "
                                             "takes it over: reduce, move or cancel planned compensation")


@plan_rule("KP405", "annual-cap-near", Severity.WARNING, category="compliance")
def annual_cap_near(ctx: PlanContext) -> Iterator[Finding]:
    """The KOL's compensation in one calendar year is at 80% of ``compliance.annual_cap``
    or more (and not above it, which is KP402).

    Payments to KOLs are regulated and capped; a warning at 80% leaves room to plan
    the rest of the year before a contract breaks the cap. Same sum as KP402 (fees,
    or fees and expenses under ``compliance.cap_includes_expenses: true``);
    exactly 80% is reported. The position is the activity at which the total
    reaches 80%.

    Bad: 21,000 USD planned and done in 2026 with a 25,000 cap.
    Fix: nothing is wrong yet; check the remaining budget before adding paid activities.
    """
    for year, entries, total, cap, cur in _yearly_totals(ctx):
        if _near(total, cap) and not _over(total, cap):
            i = _crossing(entries, partial(_near, cap=cap))
            act = ctx.plan.plan.activities[i].id
            yield Finding(_cap_path(ctx, i), f"{_what(ctx)} in {year} totals {money(total, cur)} (planned and "
                                             f"done), {total / cap:.0%} of the annual cap of {money(cap, cur)} (80% "
                                             f"reached at activity {act}); only {money(cap - total, cur)} is left "
                                             "this year: check it before adding paid activities")


def _cap_path(ctx: PlanContext, i: int) -> tuple[str | int, ...]:
    """The activity's fee; its expenses when it has no fee (the cap counts them)."""
    key = "compensation" if ctx.plan.plan.activities[i].compensation else "expenses"
    return ("plan", "activities", i, key)


@plan_rule("KP403", "firewall", Severity.ERROR, category="compliance")
def firewall(ctx: PlanContext) -> Iterator[Finding]:
    """A commercial-only activity type is owned by a medical person, or a medical-only type
    by a commercial one.

    A medical science liaison is there to be an unbiased, credible scientific peer,
    not to market the company's medicines. The firewall keeps promotion
    (``compliance.commercial_activity_types``, e.g. speaker programmes) with
    commercial departments and research and scientific exchange
    (``compliance.medical_activity_types``) with medical ones. An owner's side is
    their department's ``function``; ``other`` departments are exempt.

    Bad: ``type: speaker-program`` owned by an MSL in ``field-medical``.
    Fix: hand the activity to an owner on the right side, or correct its type.
    """
    comp = ctx.config.compliance
    if comp is None or not (comp.commercial_activity_types or comp.medical_activity_types):
        return
    for i, a in _live(ctx):
        function = ctx.function_of(a.owner)
        if a.type in comp.commercial_activity_types and function == "medical":
            need = "commercial"
        elif a.type in comp.medical_activity_types and function == "commercial":
            need = "medical"
        else:
            continue
        dept = ctx.department_of(a.owner)
        yield Finding(("plan", "activities", i, "owner"),
                      f"activity {a.id} is a {a.type}, which only {need} departments may run, but its owner "
                      f"{a.owner} is in {dept} ({function}); hand it to someone in a {need} department")


@lru_cache(maxsize=64)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for all phrases: whole words, any case, spaces or hyphens between words."""
    parts = []
    for p in phrases:
        words = [w for w in re.split(r"[\s-]+", p.strip()) if w]
        if words:
            parts.append(r"[\s-]+".join(re.escape(w) for w in words))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


@plan_rule("KP404", "restricted-phrase", Severity.WARNING, category="compliance")
def restricted_phrase(ctx: PlanContext) -> Iterator[Finding]:
    """An interaction, feedback entry or activity title uses promotional language from
    ``compliance.restricted_phrases``.

    Medical teams must be a trustworthy, non-promotional source of information, and
    their notes are discoverable records of scientific exchange. Checked:
    interaction summaries and insights, feedback summaries and responses, and
    activity titles; whole words, any case, and words of a phrase may be separated
    by spaces or hyphens ("best-in-class" matches "best in class"). The position is
    the text that contains the phrase.

    Bad: ``summary: Explained why our drug is best in class.``
    Fix: neutral scientific wording: ``summary: Reviewed the phase III efficacy and safety data.``
    """
    comp = ctx.config.compliance
    if comp is None or not comp.restricted_phrases:
        return
    pattern = _phrase_pattern(tuple(comp.restricted_phrases))
    if pattern is None:
        return
    texts: list[tuple[tuple[str | int, ...], str, str]] = []
    for i, it in enumerate(ctx.plan.interactions):
        texts.append((("interactions", i, "summary"), it.summary, f"interaction of {it.date} summary"))
        texts += [(("interactions", i, "insights", j), s, f"interaction of {it.date} insight")
                  for j, s in enumerate(it.insights)]
    for i, fb in enumerate(ctx.plan.feedback):
        texts.append((("feedback", i, "summary"), fb.summary, f"feedback of {fb.date}"))
        if fb.response:
            texts.append((("feedback", i, "response"), fb.response, f"response to the feedback of {fb.date}"))
    for i, a in enumerate(ctx.plan.plan.activities):
        texts.append((("plan", "activities", i, "title"), a.title, f"activity {a.id} title"))
    for path, text, what in texts:
        found = list(dict.fromkeys(m.group(0).lower() for m in pattern.finditer(text)))
        if found:
            quoted = ", ".join(f"'{f}'" for f in found)
            yield Finding(path, f"{what} uses the restricted phrase {quoted}; rewrite it in neutral "
                                "scientific language")


# -- KP406-KP408: what the yearly filings need (SPEC 13) ----------------------------------------------
def _activities(items: list[Engagement]) -> str:
    """``activity A1`` or ``activities A1, A3``."""
    return ("activity " if len(items) == 1 else "activities ") + ", ".join(e.id for e in items)


def _paid(ctx: PlanContext) -> list[Engagement]:
    """The plan's ``planned`` and ``done`` activities that pay the KOL (a fee or an expense)."""
    return [e for e in ctx.engagements() if e.paid]


@plan_rule("KP406", "tov-consent-missing", Severity.WARNING, category="compliance", uses_date=True)
def tov_consent_missing(ctx: PlanContext) -> Iterator[Finding]:
    """A KOL in the EEA, the UK or Switzerland is paid this year, and the plan does not record
    whether they agree to individual disclosure of transfers of value.

    The EFPIA Disclosure Code publishes what each HCP was paid under their name when
    they agree to it, and in a per-country aggregate otherwise; ``kolplan disclose``
    needs the answer either way. Checked where ``disclosure:`` is configured, for a
    KOL whose ``country`` is an EEA country, GB or CH with a ``planned`` or ``done``
    activity that pays a fee or an expense in the calendar year of ``--as-of`` (by
    ``paid_on``, else the activity's date, else the year the plan period starts).
    ``tov_disclosure_consent: false`` is an answer: it is not reported. Research payments
    (investigator-initiated studies, clinical trials, research collaborations) do not
    count: EFPIA discloses them in one research-and-development total whatever the KOL
    answers, as ``disclose`` does.

    Bad: ``country: FR``, a 600 EUR education fee this year and no ``tov_disclosure_consent``.
    Fix: ask the KOL, then record ``privacy: {tov_disclosure_consent: true}`` (or ``false``).
    """
    kol = ctx.plan.kol
    if ctx.config.disclosure is None or kol.country not in EFPIA_COUNTRIES:
        return
    if kol.privacy is not None and kol.privacy.tov_disclosure_consent is not None:
        return
    year = ctx.as_of.year
    start = ctx.plan.plan.period.start
    paid = [e for e in _paid(ctx) if (e.paid_on or e.date or start).year == year and e.type not in RESEARCH_TYPES]
    if not paid:
        return
    yield Finding(("kol", "privacy", "tov_disclosure_consent"),
                  f"{kol.name} is in {kol.country} and is paid in {year} ({_activities(paid)}), but the plan does "
                  "not record whether they agree to individual disclosure (EFPIA): ask them and record "
                  "privacy: {tov_disclosure_consent: true} (or false)", at="parent")


@plan_rule("KP407", "npi-missing", Severity.WARNING, category="compliance")
def npi_missing(ctx: PlanContext) -> Iterator[Finding]:
    """A KOL in the US is paid and the plan has no NPI.

    Open Payments identifies every covered recipient by their National Provider
    Identifier; a payment reported without one is rejected. Checked where
    ``disclosure:`` is configured, for a KOL whose ``country`` is US with a
    ``planned`` or ``done`` activity that pays a fee or an expense.

    Bad: ``country: US``, a consulting fee, and no ``identifiers.npi``.
    Fix: look the KOL up in the NPPES registry and add ``identifiers: {npi: "1234567893"}``.
    """
    kol = ctx.plan.kol
    if ctx.config.disclosure is None or kol.country not in OPEN_PAYMENTS_COUNTRIES:
        return
    if kol.identifiers is not None and kol.identifiers.npi:
        return
    paid = _paid(ctx)
    if paid:
        yield Finding(("kol", "identifiers", "npi"),
                      f"{kol.name} is in the US and is paid ({_activities(paid)}), but the plan has no NPI, which Open "
                      "Payments reports need: add identifiers: {npi: \"NNNNNNNNNN\"} (from the NPPES registry)",
                      at="parent")


@plan_rule("KP408", "selection-rationale-missing", Severity.WARNING, category="compliance")
def selection_rationale_missing(ctx: PlanContext) -> Iterator[Finding]:
    """A paid activity of a type in ``compliance.require_rationale`` does not say why this KOL.

    The US OIG Special Fraud Alert on speaker programmes (2020) asks companies to
    document why each HCP was chosen, for this need; an advisory board or a
    consulting contract without a documented reason is hard to defend. Checked for
    ``planned`` and ``done`` activities that pay a fee or an expense, of the types
    listed in ``compliance.require_rationale``; the position is the activity.

    Bad: a paid ``advisory-board`` with no ``rationale:``.
    Fix: ``rationale: Leads the only EU MRD registry; advises on endpoint choice.``
    """
    comp = ctx.config.compliance
    if comp is None or not comp.require_rationale:
        return
    required = set(comp.require_rationale)
    for e in _paid(ctx):
        a = ctx.plan.plan.activities[e.index]
        if e.type in required and not (a.rationale or "").strip():
            yield Finding(("plan", "activities", e.index, "rationale"),
                          f"activity {e.id} is a paid {e.type}, which must say why this KOL was chosen "
                          "(compliance.require_rationale): add rationale: (their expertise for this need)",
                          at="parent")
