"""A small fixture portfolio whose quarterly figures are counted by hand (2026-Q2, as of 2026-06-15).

plans              tier      lead (dept)                 owners' departments
jane-okafor        national  a.chen (field-medical)       field-medical, medical-affairs
tom-baker          regional  r.patel (medical-affairs)    medical-affairs, commercial
ana-silva          global    m.diaz (market-access)       market-access
li-wei             local     a.chen (field-medical)       field-medical, medical-affairs
broken             (missing kol.tier: KP010, skipped)

Dated in 2026-Q2 (2026-04-01..2026-06-30):
  activities   jane A1 done 04-15 (O1, 1600); tom A1 speaker done 05-10 (O1, 600, c.jones);
               tom A2 check-in done 04-20 (no objective); tom A3 education planned 05-30 (no objective,
               date passed); tom A4 cancelled 06-01 (5000, not counted)
               -> 4 planned or done, 3 done, 1 still planned and overdue, 1 cancelled;
                  3 other than check-ins, 2 of them linked to an objective
  satisfaction tom 6 (05-15) and 8 (06-10) -> 8; ana 3 (04-10) -> 2 KOLs, mean 5.5,
               0 promoters, 1 passive, 1 detractor: NPS -50
  (2026-Q1:    jane 9, tom 10, li 9 -> 3 KOLs, mean 9.33, NPS +100)
  feedback     tom 04-02 (answered), tom 05-20 (no response) -> 2 received, 1 acted on
  interactions jane 06-01 a.chen; tom 04-20 r.patel, 06-05 c.jones
Objectives (now): jane O1 on-track; tom O1 at-risk (due 06-30), O2 achieved (due 05-31);
  ana O1 not-started; li O1 on-track -> 5; due in Q2: 2 (1 at-risk, 1 achieved)
Outside the plan's owners: tom A5 owned by m.diaz (market-access), 2026-07-15 -> 1
"""

from __future__ import annotations

from tests.helpers import CONFIG, VALID_PLAN

COMPLIANCE = """\
compliance:
  currency: USD
  annual_cap: 25000
  fmv_hourly_rate: {global: 600, national: 450, regional: 350, local: 250, rising: 250}
"""
CONFIG_WITH_CAPS = CONFIG + COMPLIANCE

JANE = VALID_PLAN

LI_WEI = (
    VALID_PLAN.replace("id: jane-okafor", "id: li-wei")
    .replace("name: Jane Okafor", "name: Li Wei")
    .replace("institution: University Hospital Example", "institution: Riverside Clinic")
    .replace('crm_id: "V-248113"', 'crm_id: "V-900001"')
    .replace('    npi: "1234567893"\n', "")
    .replace("    orcid: 0000-0002-1825-0097\n", "")
    .replace("email: j.okafor@example.org", "email: li.wei@example.org")
    .replace("tier: national", "tier: local")
    .replace("cadence: monthly", "cadence: quarterly")
    .replace("date: 2026-04-15", "date: 2026-03-15")
    .replace("hours: 4", "hours: 8")
    .replace("- date: 2026-06-01", "- date: 2026-03-20")
)

TOM = """\
schema: kolplan/v1
id: tom-baker
kol:
  name: Tom Baker
  credentials: MD
  institution: North Heart Centre
  country: US
  identifiers:
    crm_id: "V-100200"
  tier: regional
  therapeutic_areas: [cardiology]
  preferred_channels: [in-person]
  scientific_interests: [heart failure | registries]
  professional_objectives: [chair the regional HF network]
  relationships:
    - organization: Test Bio
      kind: speaker
  share_of_scientific_voice: 0.05
  desires: [teaching]
  relationship_expectations: [honest data]
owners:
  - person: r.patel
    role: lead
  - person: c.jones
    role: contributor
plan:
  period: {start: 2026-01-01, end: 2026-12-31}
  co_developed_with_kol: true
  purpose: Support the regional heart-failure network.
  cadence: monthly
  objectives:
    - id: O1
      statement: Launch the regional HF registry
      kol_value: registry leadership
      org_value: real-world HF data
      metric: sites enrolled
      target: 5
      due: 2026-06-30
      status: at-risk
    - id: O2
      statement: Run a nurse education series
      kol_value: teaching
      org_value: better HF care
      metric: sessions
      target: 3
      due: 2026-05-31
      status: achieved
  activities:
    - id: A1
      type: speaker-program
      title: HF community evening
      objectives: [O1]
      owner: c.jones
      date: 2026-05-10
      status: done
      hours: 2
      compensation: 600
    - id: A2
      type: check-in
      title: Spring check-in
      owner: r.patel
      date: 2026-04-20
      status: done
    - id: A3
      type: education
      title: Nurse session 3
      owner: r.patel
      date: 2026-05-30
      status: planned
    - id: A4
      type: consulting
      title: Registry design consultancy
      objectives: [O1]
      owner: r.patel
      date: 2026-06-01
      status: cancelled
      hours: 10
      compensation: 5000
    - id: A5
      type: scientific-exchange
      title: Payer evidence discussion
      objectives: [O1]
      owner: m.diaz
      date: 2026-07-15
      status: planned
  governance:
    review_cadence: quarterly
    next_review: 2026-07-01
    stakeholders: [r.patel, c.jones]
  satisfaction:
    - date: 2026-02-01
      score: 10
    - date: 2026-05-15
      score: 6
      source: survey
    - date: 2026-06-10
      score: 8
      source: interview
interactions:
  - date: 2026-04-20
    by: r.patel
    channel: in-person
    summary: Spring check-in on the registry.
  - date: 2026-06-05
    by: c.jones
    channel: phone
    summary: Confirmed the next community evening.
feedback:
  - date: 2026-04-02
    summary: Wants shorter slide decks.
    response: Cut the deck to ten slides.
  - date: 2026-05-20
    summary: Too many emails | please batch them
"""

ANA = """\
schema: kolplan/v1
id: ana-silva
kol:
  name: Ana Silva
  institution: Lisbon Research Institute
  country: US
  tier: global
  preferred_channels: [virtual]
  scientific_interests: [gene therapy]
  professional_objectives: [lead a global consortium]
  share_of_scientific_voice: 0.4
  desires: [visibility]
  relationship_expectations: [early data]
owners:
  - person: m.diaz
    role: lead
plan:
  period: {start: 2026-01-01, end: 2026-12-31}
  co_developed_with_kol: true
  cadence: monthly
  objectives:
    - id: O1
      statement: Agree a payer evidence plan
      kol_value: consortium funding
      org_value: payer insight
      metric: plan agreed
      target: 1
      due: 2026-12-31
  activities:
    - id: A1
      type: other
      title: Payer evidence workshop
      objectives: [O1]
      owner: m.diaz
      date: 2026-10-05
      status: planned
  governance:
    review_cadence: quarterly
    next_review: 2026-07-01
    stakeholders: [m.diaz]
  satisfaction:
    - date: 2026-04-10
      score: 3
      source: survey
"""

BROKEN = """\
schema: kolplan/v1
id: broken
kol:
  name: No Tier
owners:
  - person: a.chen
    role: lead
plan:
  period: {start: 2026-01-01, end: 2026-12-31}
"""

PLANS = {
    "jane-okafor.yaml": JANE,
    "cardiology/tom-baker.yaml": TOM,
    "ana-silva.yaml": ANA,
    "li-wei.yaml": LI_WEI,
    "broken.yaml": BROKEN,
}
QUARTER = "2026-Q2"
AS_OF = "2026-06-15"
