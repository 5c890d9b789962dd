"""``kolplan disclose``: the year's transfers of value as a ledger and as the filings' rows (SPEC 13).

The plans are read by one ``validate`` run (:func:`kolplan.views.loader.load_plans`); each
plan's transfers are worked out where it is parsed
(:func:`kolplan.engagement.disclosure.kol_transfers`), and only they come back. Here they
become rows: the ledger (every fee and expense of ``done`` activities paid in the year, and
where and why it is reportable), the Open Payments General Payments rows (US KOLs, de
minimis applied), the EFPIA rows (one per consenting KOL, one aggregate per country for the
rest, and the R&D total), and all of it as one JSON document. Writing them is the CLI's.

Plain module: no typer, no rich.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from kolplan.engagement.disclosure import (
    EFPIA,
    EFPIA_CATEGORIES,
    OPEN_PAYMENTS,
    RESEARCH_AND_DEVELOPMENT,
    Recipient,
    Settings,
    Transfer,
    kol_transfers,
    record_id,
)
from kolplan.errors import UsageError
from kolplan.formats.escape import FORMULA_STARTS

if TYPE_CHECKING:
    from kolplan.repo.root import Repo
    from kolplan.schema import Plan
    from kolplan.schema.configview import ConfigView
    from kolplan.views.loader import Skipped

LEDGER_COLUMNS: Final = ("plan", "kol", "country", "activity", "activity_type", "activity_date", "paid_on", "kind",
                         "amount", "currency", "amount_usd", "reportable_in", "reportable", "why")
OPEN_PAYMENTS_COLUMNS: Final = ("Record_ID", "Covered_Recipient_NPI", "Covered_Recipient_First_Name",
                                "Covered_Recipient_Last_Name", "Recipient_Country",
                                "Total_Amount_of_Payment_USDollars", "Date_of_Payment",
                                "Number_of_Payments_Included_in_Total_Amount",
                                "Form_of_Payment_or_Transfer_of_Value", "Nature_of_Payment_or_Transfer_of_Value")
EFPIA_COLUMNS: Final = ("disclosure", "country", "plan", "name", "recipients", "registration_fees",
                        "travel_and_accommodation", "fees", "related_expenses", "total",
                        "share_of_recipients_percent", "currency")
_COUNTRY_NAMES: Final = {"US": "United States"}
_TITLES: Final = frozenset({"dr", "dr.", "prof", "prof.", "professor", "mr", "mr.", "mrs", "mrs.", "ms", "ms."})


# -- reading the plans ---------------------------------------------------------------------------
class Line(NamedTuple):
    """One fee or expense as the filings need it. It crosses from the worker as a plain tuple of
    text, numbers and booleans: a tuple pickles many times faster than dataclasses do, and the
    10,000-plan filing has tens of thousands of them."""

    activity: str
    activity_type: str
    activity_date: str  # ISO
    paid_on: str  # ISO: paid_on, else the activity's date
    kind: str  # fee, or an expense kind
    position: int  # 0 the fee, 1.. the expenses (Record_ID)
    amount: str  # "1600.00", in compliance.currency
    amount_usd: str  # "" when there is no rate
    regime: str  # Open Payments | EFPIA | neither
    reportable: bool
    why: str
    nature: str  # Open Payments General Payments nature; "" otherwise
    form: str  # Open Payments form of payment; "" otherwise
    category: str  # EFPIA category or "research and development"; "" otherwise
    individual: bool  # EFPIA: disclosed under the KOL's name
    research: bool  # Open Payments: a research payment (not General Payments)


def line_of(t: Transfer) -> tuple[Any, ...]:
    p, e = t.payment, t.payment.engagement
    return (e.id, e.type, _iso(e.date), _iso(p.date), p.kind, p.position, money(t.amount), money(t.amount_usd),
            t.regime, t.reportable, t.why, t.nature or "", t.form or "", t.category or "", t.individual, t.research)


def project(view: ConfigView, settings: Settings, year: int, path: str, plan: Plan) -> tuple[Any, ...] | None:
    """One plan's transfers of ``year``, as plain tuples (in the worker that parsed it); None when
    it has none."""
    found = kol_transfers(plan, view, settings, year)
    if not found.transfers:
        return None
    r = found.recipient
    return (r.plan_id, r.name, r.country, r.npi, r.consent), tuple(line_of(t) for t in found.transfers)


@dataclass
class Filing:
    """The year's transfers of every valid plan, by plan path, and the plans left out."""

    year: int
    settings: Settings
    kols: list[tuple[str, Recipient, list[Line]]]  # by path
    skipped: list[Skipped] = field(default_factory=list)

    def lines(self) -> Iterable[tuple[str, Recipient, Line]]:
        for path, who, lines in self.kols:
            for line in lines:
                yield path, who, line


def load_filing(repo: Repo, as_of: dt.date, year: int, settings: Settings) -> Filing:
    """Validate the portfolio once and keep each valid plan's transfers of ``year``."""
    # lazy: the loader imports the lint engine; `kolplan disclose --help` needs neither
    from kolplan.views.loader import load_plans

    loaded = load_plans(repo, as_of, partial(project, repo.config.view, settings, year))
    kols = [(path, Recipient(*who), [Line._make(t) for t in lines])
            for path, (who, lines) in sorted(loaded.parts.items())]
    return Filing(year, settings, kols, loaded.skipped)


def check_settings(settings: Settings, year: int, fmt: str) -> None:
    """What the Open Payments rows need (``open-payments`` and ``json``): the year's thresholds and
    a rate to US dollars. UsageError (exit 2) naming the key, before any plan is read."""
    if fmt not in ("open-payments", "json"):
        return
    if settings.thresholds_for(year) is None:
        known = ", ".join(str(y) for y in sorted(settings.thresholds))
        raise UsageError(f"--year {year}: no Open Payments de minimis thresholds for {year}: add them to kolplan.yaml "
                         f"as disclosure.open_payments_thresholds: {{{year}: [SINGLE, ANNUAL]}} in USD, as CMS "
                         f"publishes them (known years: {known})")
    if settings.rate is None:
        if settings.currency is None:
            raise UsageError("disclosure.usd_rate is needed: compliance.currency is not set, so the plans' amounts "
                             "cannot be converted to US dollars for Open Payments; set compliance.currency (USD if "
                             "they are dollars) or disclosure.usd_rate in kolplan.yaml")
        raise UsageError(f"disclosure.usd_rate is needed: the plans' amounts are in {settings.currency} "
                         "(compliance.currency) and Open Payments reports US dollars; add disclosure: {usd_rate: "
                         f"RATE}} to kolplan.yaml (US dollars per 1 {settings.currency})")


# -- rows ------------------------------------------------------------------------------------------
def money(value: Decimal | float | None) -> str:
    """``1600.00``: two decimals, no thousands separator (a CSV cell a spreadsheet reads as a number)."""
    if value is None:
        return ""
    return f"{value if isinstance(value, Decimal) else Decimal(str(value)):.2f}"


def ledger_rows(filing: Filing) -> list[dict[str, str]]:
    """Every fee and expense of ``done`` activities paid in the year, and where and why it is reportable."""
    cur = filing.settings.currency or ""
    return [{"plan": path, "kol": who.name, "country": who.country or "", "activity": t.activity,
             "activity_type": t.activity_type, "activity_date": t.activity_date, "paid_on": t.paid_on,
             "kind": t.kind, "amount": t.amount, "currency": cur, "amount_usd": t.amount_usd,
             "reportable_in": t.regime if t.reportable else "neither", "reportable": "yes" if t.reportable else "no",
             "why": t.why}
            for path, who, t in filing.lines()]


def open_payments_rows(filing: Filing) -> list[dict[str, str]]:
    """Open Payments General Payments: one row per reportable payment to a US KOL (research
    payments have their own template)."""
    rows = []
    for _, who, t in filing.lines():
        if t.regime != OPEN_PAYMENTS or not t.reportable or t.research:
            continue
        first, last = split_name(who.name)
        y, m, d = t.paid_on.split("-")
        rows.append({
            "Record_ID": record_id(who.plan_id, t.activity, t.position),
            "Covered_Recipient_NPI": who.npi or "", "Covered_Recipient_First_Name": first,
            "Covered_Recipient_Last_Name": last, "Recipient_Country": _COUNTRY_NAMES.get(who.country or "", ""),
            "Total_Amount_of_Payment_USDollars": t.amount_usd, "Date_of_Payment": f"{m}/{d}/{y}",
            "Number_of_Payments_Included_in_Total_Amount": "1", "Form_of_Payment_or_Transfer_of_Value": t.form,
            "Nature_of_Payment_or_Transfer_of_Value": t.nature,
        })
    return rows


def split_name(name: str) -> tuple[str, str]:
    """First and last name for Open Payments: titles (Dr, Prof) dropped, the first word the
    first name, the rest the last name (``Maria de la Cruz`` -> ``Maria``, ``de la Cruz``)."""
    words = name.split()
    while len(words) > 2 and words[0].casefold() in _TITLES:
        words = words[1:]
    if len(words) == 2 and words[0].casefold() in _TITLES:
        words = words[1:]
    if len(words) < 2:
        return "", " ".join(words)
    return words[0], " ".join(words[1:])


@dataclass
class _Sums:
    by_category: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(EFPIA_CATEGORIES, Decimal(0)))
    recipients: set[str] = field(default_factory=set)

    def add(self, plan_id: str, t: Line) -> None:
        self.by_category[t.category] += Decimal(t.amount)
        self.recipients.add(plan_id)

    @property
    def total(self) -> Decimal:
        return sum(self.by_category.values(), Decimal(0))


def efpia_rows(filing: Filing) -> list[dict[str, str]]:
    """EFPIA: one ``individual`` row per KOL who consented to individual disclosure, one
    ``aggregate`` row per country for the others (the number of recipients and their share
    of the country's recipients), and one ``research and development`` total."""
    individual: dict[str, tuple[str, str, _Sums]] = {}  # plan id -> (country, name, sums)
    aggregate: dict[str, _Sums] = {}
    research_total, research_kols = Decimal(0), set()
    for _, who, t in filing.lines():
        if t.regime != EFPIA or not t.reportable:
            continue
        if t.category == RESEARCH_AND_DEVELOPMENT:
            research_total += Decimal(t.amount)
            research_kols.add(who.plan_id)
        elif t.individual:
            individual.setdefault(who.plan_id, (who.country or "", who.name, _Sums()))[2].add(who.plan_id, t)
        else:
            aggregate.setdefault(who.country or "", _Sums()).add(who.plan_id, t)
    cur = filing.settings.currency or ""
    rows = []
    for plan_id, (country, name, sums) in sorted(individual.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[0])):
        rows.append(_efpia_row("individual", country, plan_id, name, sums, "", cur))
    per_country: dict[str, int] = {}
    for country, _, _ in individual.values():
        per_country[country] = per_country.get(country, 0) + 1
    for country, sums in sorted(aggregate.items()):
        n = len(sums.recipients)
        share = Decimal(100 * n) / Decimal(n + per_country.get(country, 0))
        rows.append(_efpia_row("aggregate", country, "", "", sums, f"{share.quantize(Decimal('0.1'))}", cur))
    if research_kols:
        rows.append({**dict.fromkeys(EFPIA_COLUMNS, ""), "disclosure": RESEARCH_AND_DEVELOPMENT,
                     "recipients": str(len(research_kols)), "total": money(research_total), "currency": cur})
    return rows


def _efpia_row(kind: str, country: str, plan_id: str, name: str, sums: _Sums, share: str, cur: str) -> dict[str, str]:
    c = sums.by_category
    return {"disclosure": kind, "country": country, "plan": plan_id, "name": name,
            "recipients": str(len(sums.recipients)), "registration_fees": money(c["registration fees"]),
            "travel_and_accommodation": money(c["travel and accommodation"]), "fees": money(c["fees"]),
            "related_expenses": money(c["related expenses"]), "total": money(sums.total),
            "share_of_recipients_percent": share, "currency": cur}


# -- notes -----------------------------------------------------------------------------------------
def notes(filing: Filing, fmt: str) -> list[str]:
    """What the person filing must know (stderr): US KOLs without an NPI, EFPIA KOLs with no
    recorded consent, research payments left to their own template, plans left out."""
    out = []
    us = fmt in ("ledger", "open-payments", "json")
    eu = fmt in ("ledger", "efpia", "json")
    seen_npi: set[str] = set()
    no_consent: set[str] = set()
    research = 0
    for path, who, t in filing.lines():
        if us and t.regime == OPEN_PAYMENTS and not who.npi and path not in seen_npi:
            seen_npi.add(path)
            out.append(f"{path}: {who.name} is in the US but has no NPI: add kol.identifiers.npi before filing "
                       "(KP407); their rows have an empty Covered_Recipient_NPI")
        if us and t.research and t.reportable:
            research += 1
        if eu and t.regime == EFPIA and who.consent is None and t.reportable and t.category != RESEARCH_AND_DEVELOPMENT:
            no_consent.add(path)
    if research:
        s = "" if research == 1 else "s"
        it = "it" if research == 1 else "them"
        out.append(f"{research} research payment{s} to US KOLs {'is' if research == 1 else 'are'} not in General "
                   f"Payments: file {it} with the Open Payments research template (see the ledger)")
    if no_consent:
        n = len(no_consent)
        out.append(f"{n} KOL{'' if n == 1 else 's'} in the EEA, the UK or Switzerland "
                   f"{'has' if n == 1 else 'have'} no recorded consent to individual disclosure "
                   "(privacy.tov_disclosure_consent): aggregated; ask them (KP406)")
    if filing.skipped:
        n = len(filing.skipped)
        out.append(f"the filing is incomplete: {n} plan{'' if n == 1 else 's'} with reading or schema errors "
                   f"{'was' if n == 1 else 'were'} left out")
    return out


# -- documents -------------------------------------------------------------------------------------
def csv_text(columns: Sequence[str], rows: list[dict[str, str]]) -> str:
    """The rows as CSV (quotes where needed, ``\\n`` line ends as ``list --format csv``); text a
    spreadsheet would run as a formula is kept as text (:func:`~kolplan.formats.escape.csv_cell`;
    the bytes that are not UTF-8 are escaped when the whole text is written)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([("'" + v if v[:1] in FORMULA_STARTS else v) for v in row.values()] for row in rows)
    return buffer.getvalue()


def document(filing: Filing, fmt: str, as_of: dt.date) -> str:
    """The output of ``--format fmt``."""
    if fmt == "ledger":
        return csv_text(LEDGER_COLUMNS, ledger_rows(filing))
    if fmt == "open-payments":
        return csv_text(OPEN_PAYMENTS_COLUMNS, open_payments_rows(filing))
    if fmt == "efpia":
        return csv_text(EFPIA_COLUMNS, efpia_rows(filing))
    # lazy: only for --format json
    import json

    from kolplan.formats.escape import json_text

    # one line: json's C encoder does not indent, and the 10,000-plan filing is 100,000 rows (`jq .` shows it)
    return json_text(json.dumps(json_document(filing, as_of), ensure_ascii=False)) + "\n"


def json_document(filing: Filing, as_of: dt.date) -> dict[str, Any]:
    s = filing.settings
    limits = s.thresholds_for(filing.year)
    return {
        "version": 1, "year": filing.year, "as_of": as_of.isoformat(), "currency": s.currency,
        "usd_rate": str(s.rate) if s.rate is not None else None,
        "open_payments_thresholds": {"single": money(limits[0]), "annual": money(limits[1])} if limits else None,
        "ledger": ledger_rows(filing), "open_payments": open_payments_rows(filing), "efpia": efpia_rows(filing),
        "notes": notes(filing, "json"), "skipped": [sk.path for sk in filing.skipped],
    }


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""
