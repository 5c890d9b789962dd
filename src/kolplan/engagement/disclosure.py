"""Which transfers of value are reportable, where and why (SPEC 13): one KOL at a time.

US Open Payments (CMS General Payments) and the EFPIA Disclosure Code make every transfer
of value to a health-care professional public once a year. A plan is one KOL, so each
question the filings ask is answered from one plan:

* where: a KOL in the US is an Open Payments covered recipient, a KOL in the EEA, the UK or
  Switzerland falls under the EFPIA Disclosure Code, any other country (or none) neither;
* Open Payments: every fee and expense in US dollars (``disclosure.usd_rate``), its nature
  of payment (from the activity type, ``disclosure.nature_of_payment`` overriding the
  built-in defaults; expenses by their kind) and form, and the de minimis rule: a payment
  below the year's single-payment threshold is left out unless the KOL's total for the
  year exceeds the annual threshold (2025 and 2026 built in, other years from
  ``disclosure.open_payments_thresholds``). Payments of research activities are research
  payments, filed with CMS's research template, not in General Payments (unless
  ``nature_of_payment`` names a nature for the type);
* EFPIA: the category (fees, related expenses of a fee-for-service contract, registration
  fees and travel and accommodation for events), individual disclosure with the KOL's
  consent, aggregate otherwise; research activities are disclosed in the aggregate R&D
  total; meals and drinks are not disclosed.

Pure functions of a plan, a config view and :class:`Settings`: ``disclose`` calls
:func:`kol_transfers` in the worker that parsed the plan; the quarterly review calls it
with ``until=as_of`` for what is reportable so far this year (:func:`reportable_so_far`).
No pydantic at import time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Final

from kolplan.engagement.items import engagement_of
from kolplan.engagement.payments import FEE, Payment, payments
from kolplan.schema.countries import GDPR_COUNTRIES

if TYPE_CHECKING:
    from kolplan.schema import Config, Plan
    from kolplan.schema.configview import ConfigView

# -- where ---------------------------------------------------------------------------------------
OPEN_PAYMENTS: Final = "Open Payments"
EFPIA: Final = "EFPIA"
NEITHER: Final = "neither"
OPEN_PAYMENTS_COUNTRIES: Final = frozenset({"US"})
# The EFPIA Disclosure Code as kolplan reads it (SPEC 13): the EEA, the UK and Switzerland,
# the same countries as GDPR's notice rule (KP501).
EFPIA_COUNTRIES: Final = GDPR_COUNTRIES

# -- Open Payments -------------------------------------------------------------------------------
# Program year -> (single payment, annual total) de minimis thresholds in USD, as CMS publishes them.
BUILTIN_THRESHOLDS: Final[dict[int, tuple[Decimal, Decimal]]] = {
    2025: (Decimal("13.46"), Decimal("134.54")),
    2026: (Decimal("13.82"), Decimal("138.13")),
}
CONSULTING_FEE: Final = "Consulting Fee"
SERVICES: Final = ("Compensation for services other than consulting, including serving as faculty or as a "
                   "speaker at a venue other than a continuing education program")
FACULTY: Final = "Compensation for serving as faculty or as a speaker for a medical education program"
TRAVEL_AND_LODGING: Final = "Travel and Lodging"
FOOD_AND_BEVERAGE: Final = "Food and Beverage"
EDUCATION: Final = "Education"
GRANT: Final = "Grant"
# Activity type -> nature of payment of its fee (and of its "other" expenses).
DEFAULT_NATURES: Final[dict[str, str]] = {
    "advisory-board": CONSULTING_FEE,
    "consulting": CONSULTING_FEE,
    "speaker-program": SERVICES,
    "presentation": SERVICES,
    "education": FACULTY,
    "grant": GRANT,
    "publication": SERVICES,
    "scientific-exchange": SERVICES,
    "medical-information": SERVICES,
    "check-in": SERVICES,
    "other": SERVICES,
}
# Payments for research are Open Payments research payments (their own template), unless
# disclosure.nature_of_payment gives the type a General Payments nature.
RESEARCH_TYPES: Final = frozenset({"investigator-initiated-study", "clinical-trial", "research-collaboration"})
EXPENSE_NATURES: Final[dict[str, str]] = {
    "travel": TRAVEL_AND_LODGING,
    "lodging": TRAVEL_AND_LODGING,
    "meals": FOOD_AND_BEVERAGE,
    "registration": EDUCATION,
}  # "other": the activity's nature
CASH: Final = "Cash or cash equivalent"
IN_KIND: Final = "In-kind items and services"

# -- EFPIA ---------------------------------------------------------------------------------------
# The categories of the EFPIA template for an HCP, in its column order.
REGISTRATION_FEES: Final = "registration fees"  # contribution to costs of events
TRAVEL_AND_ACCOMMODATION: Final = "travel and accommodation"  # contribution to costs of events
FEES: Final = "fees"  # fee for service and consultancy
RELATED_EXPENSES: Final = "related expenses"  # fee for service and consultancy: expenses agreed in the contract
EFPIA_CATEGORIES: Final = (REGISTRATION_FEES, TRAVEL_AND_ACCOMMODATION, FEES, RELATED_EXPENSES)
RESEARCH_AND_DEVELOPMENT: Final = "research and development"  # disclosed as one aggregate total

CENT: Final = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Settings:
    """What the filings read of ``kolplan.yaml``: plain data, sent to the workers."""

    currency: str | None = None  # compliance.currency
    usd_rate: Decimal | None = None  # disclosure.usd_rate; 1 for USD when not given
    thresholds: dict[int, tuple[Decimal, Decimal]] = field(default_factory=lambda: dict(BUILTIN_THRESHOLDS))
    natures: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_NATURES))
    overridden: frozenset[str] = frozenset()  # activity types whose nature kolplan.yaml sets

    @property
    def rate(self) -> Decimal | None:
        """US dollars per unit of the plans' currency, if known."""
        if self.usd_rate is not None:
            return self.usd_rate
        return Decimal(1) if (self.currency or "").upper() == "USD" else None

    def thresholds_for(self, year: int) -> tuple[Decimal, Decimal] | None:
        return self.thresholds.get(year)

    def nature(self, activity_type: str) -> str:
        return self.natures.get(activity_type, SERVICES)

    def is_research(self, activity_type: str) -> bool:
        return activity_type in RESEARCH_TYPES and activity_type not in self.overridden


def settings_of(config: Config) -> Settings:
    """The filing settings of a checked ``kolplan.yaml``."""
    comp, disc = config.compliance, config.disclosure
    thresholds = dict(BUILTIN_THRESHOLDS)
    natures = dict(DEFAULT_NATURES)
    rate = None
    overridden: frozenset[str] = frozenset()
    if disc is not None:
        thresholds.update({y: (_dec(v[0]), _dec(v[1])) for y, v in disc.open_payments_thresholds.items()})
        natures.update({str(k): v for k, v in disc.nature_of_payment.items()})
        overridden = frozenset(disc.nature_of_payment)
        rate = _dec(disc.usd_rate) if disc.usd_rate is not None else None
    return Settings(comp.currency if comp else None, rate, thresholds, natures, overridden)


def _dec(value: float) -> Decimal:
    return Decimal(str(value))


def usd(amount: float, rate: Decimal) -> Decimal:
    """``amount`` in US dollars, rounded to the cent (half up, as money is)."""
    return (_dec(amount) * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def regime_of(country: str | None) -> str:
    """Where a KOL's transfers are disclosed: :data:`OPEN_PAYMENTS`, :data:`EFPIA` or :data:`NEITHER`."""
    if country in OPEN_PAYMENTS_COUNTRIES:
        return OPEN_PAYMENTS
    if country in EFPIA_COUNTRIES:
        return EFPIA
    return NEITHER


def efpia_category(kind: str, activity_has_fee: bool) -> str | None:
    """The EFPIA category of one transfer: the fee is *fees*; expenses of an activity with a fee
    are its *related expenses*, those of one without a fee contributions to the costs of an
    event (*registration fees*, or *travel and accommodation* for travel, lodging and other
    costs); meals and drinks are not disclosed (None)."""
    if kind == FEE:
        return FEES
    if kind == "meals":
        return None
    if activity_has_fee:
        return RELATED_EXPENSES
    return REGISTRATION_FEES if kind == "registration" else TRAVEL_AND_ACCOMMODATION


def record_id(plan_id: str, activity_id: str, position: int) -> str:
    """A Record_ID that stays the same across runs: from the plan id, the activity id and the
    payment's position (0 the fee, 1.. the expenses)."""
    digest = hashlib.sha256(f"{plan_id}\0{activity_id}\0{position}".encode()).hexdigest()
    return f"KP{digest[:18].upper()}"


@dataclass(frozen=True, slots=True)
class Recipient:
    """The KOL a plan is about, as the filings name them."""

    plan_id: str
    name: str
    country: str | None
    npi: str | None
    consent: bool | None  # privacy.tov_disclosure_consent; None: not recorded

    @property
    def regime(self) -> str:
        return regime_of(self.country)


@dataclass(frozen=True, slots=True)
class Transfer:
    """One fee or expense of a ``done`` activity, with where and whether it is reportable and why."""

    payment: Payment
    regime: str  # OPEN_PAYMENTS | EFPIA | NEITHER
    reportable: bool
    why: str
    amount_usd: Decimal | None = None  # Open Payments: the amount in US dollars, when the rate is known
    nature: str | None = None  # Open Payments General Payments nature (None: a research payment)
    form: str | None = None  # Open Payments form of payment
    category: str | None = None  # EFPIA category, or RESEARCH_AND_DEVELOPMENT
    individual: bool = False  # EFPIA: disclosed under the KOL's name (consent recorded as true)

    @property
    def amount(self) -> Decimal:
        return _dec(self.payment.amount)

    @property
    def research(self) -> bool:
        return self.regime == OPEN_PAYMENTS and self.nature is None


@dataclass(frozen=True, slots=True)
class KolTransfers:
    """One plan's transfers of value in a year: what ``disclose`` gets back from a worker."""

    recipient: Recipient
    transfers: tuple[Transfer, ...]
    total_usd: Decimal | None = None  # Open Payments: the year's General Payments total, if known


def recipient_of(plan: Plan) -> Recipient:
    kol = plan.kol
    npi = kol.identifiers.npi if kol.identifiers is not None else None
    consent = kol.privacy.tov_disclosure_consent if kol.privacy is not None else None
    return Recipient(plan.id, kol.name, kol.country, npi, consent)


def paid_in(plan: Plan, view: ConfigView, year: int, until: dt.date | None = None) -> list[Payment]:
    """The fees and expenses of the plan's ``done`` activities paid (``paid_on``, else the
    activity's date) in calendar ``year``, up to ``until`` if given, in the plan's order."""
    done = [engagement_of(plan.id, i, a, view) for i, a in enumerate(plan.plan.activities)
            if a.status == "done" and (a.compensation or a.expenses)]  # the rest pays nothing this year
    return [p for p in payments(done)
            if p.date is not None and p.date.year == year and (until is None or p.date <= until)]


def kol_transfers(plan: Plan, view: ConfigView, settings: Settings, year: int,
                  until: dt.date | None = None) -> KolTransfers:
    """Every transfer of value to the plan's KOL paid in ``year`` (up to ``until``), each with
    where it is reportable and why."""
    who = recipient_of(plan)
    paid = paid_in(plan, view, year, until)
    if who.regime == OPEN_PAYMENTS:
        return _open_payments(who, paid, settings, year)
    if who.regime == EFPIA:
        return KolTransfers(who, tuple(_efpia(who, p, settings) for p in paid))
    where = f"a KOL in {who.country}" if who.country else "no kol.country"
    why = f"{where}: neither Open Payments (US) nor EFPIA (EEA, UK, CH)"
    return KolTransfers(who, tuple(Transfer(p, NEITHER, False, why) for p in paid))


def _open_payments(who: Recipient, paid: list[Payment], settings: Settings, year: int) -> KolTransfers:
    rate = settings.rate
    limits = settings.thresholds_for(year)
    general = [p for p in paid if not settings.is_research(p.engagement.type)]
    total = sum((usd(p.amount, rate) for p in general), Decimal(0)) if rate is not None else None
    no_npi = "" if who.npi else "; no NPI: add kol.identifiers.npi before filing (KP407)"
    out = []
    for p in paid:
        amount = usd(p.amount, rate) if rate is not None else None
        if settings.is_research(p.engagement.type):
            out.append(Transfer(p, OPEN_PAYMENTS, True, f"a research payment ({p.engagement.type}): file it with "
                                f"the Open Payments research template, not General Payments{no_npi}",
                                amount_usd=amount))
            continue
        nature = _nature(p, settings)
        form = CASH if p.is_fee else IN_KIND
        reportable, why = _de_minimis(amount, total, limits, year, settings)
        out.append(Transfer(p, OPEN_PAYMENTS, reportable, why + no_npi, amount_usd=amount, nature=nature,
                            form=form))
    return KolTransfers(who, tuple(out), total)


def _nature(p: Payment, settings: Settings) -> str:
    if p.is_fee or p.kind not in EXPENSE_NATURES:
        return settings.nature(p.engagement.type)
    return EXPENSE_NATURES[p.kind]


def _de_minimis(amount: Decimal | None, total: Decimal | None, limits: tuple[Decimal, Decimal] | None,
                year: int, settings: Settings) -> tuple[bool, str]:
    """Whether an Open Payments general payment is reportable under the de minimis rule, and why."""
    if amount is None or total is None:
        cur = settings.currency or "the plans' currency (compliance.currency is not set)"
        return True, f"a US KOL; de minimis not checked: no disclosure.usd_rate to convert {cur} to USD"
    if limits is None:
        return True, (f"a US KOL; de minimis not checked: no thresholds for {year} in "
                      "disclosure.open_payments_thresholds")
    single, annual = limits
    if amount >= single:
        return True, f"a US KOL; {amount} USD is at or above the {single} USD single-payment threshold"
    if total > annual:
        return True, (f"a US KOL; {amount} USD is below {single} USD, but the year's total of {total} USD exceeds "
                      f"{annual} USD")
    return False, (f"below the de minimis: {amount} USD is under {single} USD and the year's total of {total} USD "
                   f"does not exceed {annual} USD")


def _efpia(who: Recipient, p: Payment, settings: Settings) -> Transfer:
    if p.engagement.type in RESEARCH_TYPES:
        return Transfer(p, EFPIA, True, f"research ({p.engagement.type}): disclosed in the aggregate "
                        "research and development total", category=RESEARCH_AND_DEVELOPMENT)
    category = efpia_category(p.kind, bool(p.engagement.compensation))
    if category is None:
        return Transfer(p, EFPIA, False, "meals and drinks are not disclosed under the EFPIA code")
    if who.consent:
        how, individual = "individual disclosure (consent recorded)", True
    elif who.consent is False:
        how, individual = "aggregate disclosure (the KOL declined individual disclosure)", False
    else:
        how, individual = ("aggregate disclosure (no consent recorded: ask the KOL and record "
                           "privacy.tov_disclosure_consent, KP406)"), False
    return Transfer(p, EFPIA, True, f"{category}; {how}", category=category, individual=individual)


def reportable_so_far(plan: Plan, view: ConfigView, settings: Settings, as_of: dt.date) -> list[Transfer]:
    """The transfers to the plan's KOL reportable in the calendar year of ``as_of``, paid up to
    ``as_of`` (the quarterly review's "reportable so far this year"); the de minimis rule is
    applied to the total so far."""
    return [t for t in kol_transfers(plan, view, settings, as_of.year, until=as_of).transfers if t.reportable]
