"""``kolplan disclose``: the year's transfers of value, as a ledger or as the filings' rows (SPEC 13)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kolplan.cli import complete
from kolplan.cli.common import AsOfOpt, OutputOpt, RepoOpt, parse_as_of
from kolplan.errors import UsageError

FORMATS = complete.DISCLOSE_FORMATS


def disclose(
    year: Annotated[str, typer.Option("--year", "-y", metavar="YYYY", help="The calendar year the payments were "
                                      "made in (paid_on, else the activity's date).", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                     help="ledger: every fee and expense and where it is reportable (CSV); "
                                     "open-payments: CMS General Payments rows for US KOLs (CSV); efpia: the "
                                     "EFPIA rows, individual and aggregate (CSV); json: all of it.",
                                     autocompletion=complete.disclose_formats)] = "ledger",
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
) -> None:
    """The transfers of value of a year: every fee and expense of done activities, and the US Open Payments
    and EFPIA filings' rows.

    Open Payments: US KOLs, amounts in US dollars (disclosure.usd_rate), the de minimis thresholds of the
    year (2025 and 2026 built in, others from disclosure.open_payments_thresholds). EFPIA: KOLs in the EEA,
    the UK and Switzerland, by name with their consent (privacy.tov_disclosure_consent: true), in per-country
    aggregates otherwise. US KOLs without an NPI and KOLs with no recorded consent are named or counted on
    stderr.

    Exit 1: plans with reading or schema errors were left out (named on stderr: the filing is incomplete).
    Exit 2: a bad --year or --format; for open-payments and json, a year with no thresholds or a
    currency other than USD without disclosure.usd_rate; an -o FILE that cannot be written or is one of
    kolplan's inputs.

    Examples:

      kolplan disclose --year 2026 -o tov-2026.csv

      kolplan disclose --year 2026 --format open-payments -o op-general-2026.csv

      kolplan disclose --year 2026 --format efpia --as-of 2027-01-31
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    from kolplan.cli.outfile import open_output
    from kolplan.engagement.disclosure import settings_of
    from kolplan.formats.text import clean
    from kolplan.repo.root import open_repo
    from kolplan.views import disclose as view

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt}: unknown format; choose one of {', '.join(FORMATS)}")
    calendar_year = _year(year)
    day = parse_as_of(as_of)
    r = open_repo(repo)
    out = open_output(output, r.root)  # before the work: a refused -o fails fast
    settings = settings_of(r.config)
    view.check_settings(settings, calendar_year, fmt)  # before the work: exit 2 naming the key
    filing = view.load_filing(r, day, calendar_year, settings)
    text = view.document(filing, fmt, day)  # every row made before anything is written
    for s in filing.skipped:
        sys.stderr.write(f"kolplan: warning: {clean(s.note())}\n")
    for note in view.notes(filing, fmt):
        sys.stderr.write(f"kolplan: {clean(note)}\n")
    out.write(text)
    raise typer.Exit(1 if filing.skipped else 0)


def _year(text: str) -> int:
    if not (len(text) == 4 and text.isdigit()) or not 2000 <= int(text) <= 2100:
        raise UsageError(f"--year {text}: give a calendar year from 2000 to 2100, e.g. --year 2026")
    return int(text)
