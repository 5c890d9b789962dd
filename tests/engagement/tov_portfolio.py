"""A small portfolio whose 2026 transfers of value are counted by hand (``kolplan disclose``).

kolplan.yaml: currency EUR, disclosure.usd_rate 1.10; 2026 Open Payments thresholds (built in):
13.82 USD a payment, 138.13 USD a year. The run is as of 2027-01-31 (after the year, as a filing is).

plan            country consent NPI  what it was paid (EUR)                            2026 filing
ann-lee         US      -       yes  A1 check-in done 03-01: meals 12.00 (13.20 USD)   below 13.82 and her total
                                     A2 sci-exchange done 05-01: meals 12.56            27.02 <= 138.13: left out
                                        (13.816 -> 13.82 USD: at the threshold)         reported
ben-carter      US      -       yes  A1 consulting done 02-10: fee 1000 (1100.00 USD),  reported; meals below 13.82
                                        meals 10.00 (11.00 USD)                         but total 1991.00 > 138.13
                                     A2 speaker planned 12-01: fee 500                  planned: not in any filing
                                     A3 advisory done 2025-12-15, paid_on 2026-01-10:   in 2026 (paid_on)
                                        fee 800 (880.00 USD)
                                     A4 education done 2026-12-20, paid_on 2027-01-05:  in 2027, not 2026
                                        fee 300
                                     A5 clinical-trial done 06-01: fee 2000 (2200 USD)  research template, not
                                                                                        General Payments
                ben's General Payments total: 1100.00 + 11.00 + 880.00 = 1991.00 USD
cara-diaz       US      -       yes  A1 consulting done 03-15: fee 113.18 (124.50 USD), total 138.13: not above
                                        meals 12.39 (13.63 USD)                         the annual threshold, so
                                                                                        the meals are left out
dan-evans       US      -       no   A1 consulting done 04-01: fee 200 (220.00 USD)     reported, NPI empty
eve-martin      DE      true    -    A1 advisory done 03-10: fee 1500, travel 300,      fees 1500, related 500
                                        lodging 200, meals 50                           (meals not disclosed)
                                     A2 presentation done 06-10 (no fee):               registration 400,
                                        registration 400, travel 150                    travel and acc. 150
                                     A3 research-collaboration done 07-01: fee 1000     R&D aggregate
felix-braun     DE      false   -    A1 consulting done 05-05: fee 700, travel 100      DE aggregate
greta-hoffmann  DE      (none)  -    A1 education done 09-09: fee 400                   DE aggregate
hugo-petit      FR      (none)  -    A1 education done 10-10 (no fee): registration 250 FR aggregate
ichiro-sato     JP      -       -    A1 consulting done 03-03: fee 500                  neither
jo-noland       (none)  -       -    A1 consulting done 03-04: fee 100                  neither
zz-broken       (KP010: kol.tier missing)                                               skipped, exit 1

EFPIA: individual DE Eve Martin 400 / 150 / 1500 / 500 = 2550; aggregate DE: 2 recipients (Felix, Greta),
fees 700 + 400 = 1100, related 100, total 1200, 2 of DE's 3 recipients = 66.7%; aggregate FR: 1 recipient,
registration 250, 100.0%; R&D: 1 recipient, 1000. No recorded consent: Greta and Hugo (2).
"""

from __future__ import annotations

from tests.helpers import CONFIG

TOV_CONFIG = CONFIG + """\
compliance:
  currency: EUR
disclosure:
  usd_rate: 1.10
"""
AS_OF = "2027-01-31"

NPIS = {"ann-lee": "1234567893", "ben-carter": "1927350847", "cara-diaz": "1472583693"}


def plan(pid: str, name: str, activities: str, *, country: str | None = None, npi: str | None = None,
         consent: str | None = None) -> str:
    """A plan that reads and validates, with ``activities`` (YAML list items at 4 spaces)."""
    lines = ["schema: kolplan/v1", f"id: {pid}", "kol:", f"  name: {name}"]
    if country:
        lines.append(f"  country: {country}")
    if npi:
        lines += ["  identifiers:", f'    npi: "{npi}"']
    lines.append("  tier: national")
    if consent is not None:
        lines += ["  privacy:", "    lawful_basis: consent", "    notice_given: 2026-01-05",
                  f"    tov_disclosure_consent: {consent}"]
    lines += ["owners:", "  - person: a.chen", "    role: lead", "plan:",
              "  period: {start: 2026-01-01, end: 2026-12-31}", "  activities:"]
    return "\n".join(lines) + "\n" + activities


def act(aid: str, atype: str, date: str, status: str = "done", fee: str | None = None,
        expenses: list[tuple[str, str]] | None = None, paid_on: str | None = None) -> str:
    out = [f"    - id: {aid}", f"      type: {atype}", f"      title: {atype} {aid}", "      owner: a.chen",
           f"      date: {date}", f"      status: {status}"]
    if fee is not None:
        out += ["      hours: 10", f"      compensation: {fee}"]
    if expenses:
        out.append("      expenses:")
        out += [f"        - {{kind: {k}, amount: {a}}}" for k, a in expenses]
    if paid_on:
        out.append(f"      paid_on: {paid_on}")
    return "\n".join(out) + "\n"


TOV_PLANS: dict[str, str] = {
    "ann-lee.yaml": plan("ann-lee", "Dr Ann Lee", act("A1", "check-in", "2026-03-01", expenses=[("meals", "12.00")])
                         + act("A2", "scientific-exchange", "2026-05-01", expenses=[("meals", "12.56")]),
                         country="US", npi=NPIS["ann-lee"]),
    "ben-carter.yaml": plan("ben-carter", "Ben Carter",
                            act("A1", "consulting", "2026-02-10", fee="1000", expenses=[("meals", "10.00")])
                            + act("A2", "speaker-program", "2026-12-01", status="planned", fee="500")
                            + act("A3", "advisory-board", "2025-12-15", fee="800", paid_on="2026-01-10")
                            + act("A4", "education", "2026-12-20", fee="300", paid_on="2027-01-05")
                            + act("A5", "clinical-trial", "2026-06-01", fee="2000"),
                            country="US", npi=NPIS["ben-carter"]),
    "cara-diaz.yaml": plan("cara-diaz", "Cara Diaz",
                           act("A1", "consulting", "2026-03-15", fee="113.18", expenses=[("meals", "12.39")]),
                           country="US", npi=NPIS["cara-diaz"]),
    "dan-evans.yaml": plan("dan-evans", "Dan Evans", act("A1", "consulting", "2026-04-01", fee="200"), country="US"),
    "eve-martin.yaml": plan("eve-martin", "Eve Martin",
                            act("A1", "advisory-board", "2026-03-10", fee="1500",
                                expenses=[("travel", "300"), ("lodging", "200"), ("meals", "50")])
                            + act("A2", "presentation", "2026-06-10", expenses=[("registration", "400"),
                                                                                ("travel", "150")])
                            + act("A3", "research-collaboration", "2026-07-01", fee="1000"),
                            country="DE", consent="true"),
    "felix-braun.yaml": plan("felix-braun", "Felix Braun",
                             act("A1", "consulting", "2026-05-05", fee="700", expenses=[("travel", "100")]),
                             country="DE", consent="false"),
    "greta-hoffmann.yaml": plan("greta-hoffmann", "Greta Hoffmann", act("A1", "education", "2026-09-09", fee="400"),
                                country="DE"),
    "hugo-petit.yaml": plan("hugo-petit", "Hugo Petit",
                            act("A1", "education", "2026-10-10", expenses=[("registration", "250")]), country="FR"),
    "ichiro-sato.yaml": plan("ichiro-sato", "Ichiro Sato", act("A1", "consulting", "2026-03-03", fee="500"),
                             country="JP"),
    "jo-noland.yaml": plan("jo-noland", "Jo Noland", act("A1", "consulting", "2026-03-04", fee="100")),
}
BROKEN = {"zz-broken.yaml": plan("zz-broken", "Zed Broken", act("A1", "consulting", "2026-03-04", fee="100"),
                                 country="US").replace("  tier: national\n", "")}
