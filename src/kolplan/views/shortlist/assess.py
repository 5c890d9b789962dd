"""One KOL against the request: eligibility by the rules, then points with their reasons.

Runs where the plan was parsed (a worker of :func:`kolplan.views.loader.load_plans`) and
returns a :class:`Candidate`: plain data, a few hundred bytes.

Eligibility is what ``validate`` would report on the plan with the proposed engagement
added: the plan is copied with one more ``planned`` activity (:data:`PROPOSED_ID`, of the
requested type, date, hours and fee) owned by :data:`BY_HANDLE`, a person of the
``--by`` department that :meth:`kolplan.schema.config.Config.with_person` adds to a copy of
the configuration (the firewall, KP403, judges an owner by their department). The
registered rule functions run on that copy (looked up in the registry, so a rule changed
there changes here), and the findings on the proposed activity are kept: KP401 and KP403
where they point at it, KP402 where the year it crosses the cap in is the engagement's
year and the engagement pays, KP205 as it stands. KP301 and KP302 come from the run's own
diagnostics (:mod:`kolplan.views.shortlist.build`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from kolplan.engagement.collisions import collisions
from kolplan.engagement.items import engagements
from kolplan.engagement.load import calendar_quarter, quarter_label, quarter_loads
from kolplan.engagement.payments import money
from kolplan.rules.context import Finding, PlanContext
from kolplan.rules.registry import lookup
from kolplan.views.kol import person_ref
from kolplan.views.shortlist.request import (
    BY_HANDLE,
    ENGAGEMENT_WORDS,
    PROPOSED_ID,
    WEIGHTS,
    Request,
    stem,
    topic_words,
    words,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from kolplan.engagement.items import Engagement
    from kolplan.schema import Activity, Config, Plan

# The rules that make a KOL ineligible, as SPEC 14 lists them (KP301/KP302 are read from the run).
ELIGIBILITY_RULES: Final = ("KP205", "KP401", "KP402", "KP403")
# The rules whose findings give points (taken off).
POINT_RULES: Final = ("KP201", "KP405")
FILTER_RULE: Final = "filter"
RECENT_DAYS: Final = 365  # "the last 12 months", and KP105's window for a current satisfaction score
PROMOTER: Final = 9  # a satisfaction score of 9 or 10 (NPS-style promoter)


@dataclass(frozen=True)
class Reason:
    """Points given or taken, and why, as a sentence that reads well on its own.

    Like :class:`Exclusion` and :class:`Candidate`, it crosses from the workers pickled: no
    ``slots``, whose pickling looks the fields up for every object (0.4 s for 10,000 plans)."""

    key: str  # a key of WEIGHTS
    points: int
    text: str


@dataclass(frozen=True)
class Exclusion:
    """Why a KOL is not eligible: a rule's finding, or a filter."""

    code: str  # KP401..., or the filter's option (--tier, --ta, --country)
    rule: str  # the rule's name, or "filter"
    message: str


@dataclass
class Candidate:
    id: str
    path: str
    name: str
    tier: str
    country: str | None
    lead: str  # ``Alice Chen (Field Medical)``: names, as a record a reviewer files shows people
    exclusions: list[Exclusion] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(r.points for r in self.reasons)

    @property
    def eligible(self) -> bool:
        return not self.exclusions


@dataclass(frozen=True)
class Setup:
    """What every plan's assessment shares, made once before the workers start."""

    config: Config  # with BY_HANDLE in the --by department, when --by is given
    request: Request
    enabled: frozenset[str]  # the rules among ELIGIBILITY_RULES + POINT_RULES that kolplan.yaml leaves on
    proposed: Activity  # the engagement as an activity, added to every plan (the rules do not change it)


def make_setup(config: Config, request: Request, enabled: Iterable[str]) -> Setup:
    # lazy: the model class; the shortlist's own process has parsed kolplan.yaml with pydantic already
    from kolplan.schema import Activity

    if request.by is not None:
        config = config.with_person(BY_HANDLE, request.by, f"the proposed engagement's owner in {request.by}")
    # made once: model_construct costs a signature inspection per default factory, per call
    act = Activity.model_construct(id=PROPOSED_ID, type=request.type, title=f"proposed {request.type}",
                                   objectives=[], owner=BY_HANDLE, date=request.date, status="planned",
                                   hours=request.hours, compensation=request.compensation, expenses=[],
                                   paid_on=None, rationale=None)
    return Setup(config, request, frozenset(enabled), act)


def assess(setup: Setup, path: str, plan: Plan) -> Candidate:
    """The projection each worker runs on each plan that read and validated."""
    req = setup.request
    kol = plan.kol
    leads = [person_ref(setup.config, o.person) for o in plan.owners if o.role == "lead"]
    lead = ", ".join(f"{p.name} ({p.department_name})" for p in leads) or "no lead"
    cand = Candidate(plan.id, path, kol.name, kol.tier, kol.country, lead)
    cand.exclusions.extend(_filters(req, plan))
    proposed = _with_proposed(plan, setup.proposed)
    ctx = PlanContext(path, plan.id, proposed, {}, setup.config, req.as_of)
    n = len(plan.plan.activities)  # the proposed activity's index
    findings = {code: list(_run(code, ctx)) if code in setup.enabled else []
                for code in (*ELIGIBILITY_RULES, *POINT_RULES)}
    years = _year_of_index(proposed, setup.config.cap_with_expenses)
    for code in ELIGIBILITY_RULES:
        for f in findings[code]:
            if _concerns(code, f, n, years, req):
                cand.exclusions.append(Exclusion(code, _name(code), f.message))
    if cand.exclusions:
        return cand
    cand.reasons.extend(_points(setup, plan, proposed, ctx, findings, n, years))
    return cand


# -- eligibility ------------------------------------------------------------------------------
def _filters(req: Request, plan: Plan) -> Iterator[Exclusion]:
    kol = plan.kol
    if req.tiers and kol.tier not in req.tiers:
        yield Exclusion("--tier", FILTER_RULE, f"tier {kol.tier} is not among --tier {', '.join(req.tiers)}")
    if req.tas:
        wanted = {" ".join(words(t)) for t in req.tas}
        if not any(" ".join(words(t)) in wanted for t in kol.therapeutic_areas):
            has = ", ".join(kol.therapeutic_areas) or "none recorded"
            yield Exclusion("--ta", FILTER_RULE, f"therapeutic areas ({has}) do not include --ta "
                                                 f"{', '.join(req.tas)}")
    if req.countries and kol.country not in req.countries:
        has = f"country {kol.country}" if kol.country else "no country recorded"
        yield Exclusion("--country", FILTER_RULE, f"{has}, not among --country {', '.join(req.countries)}")


def _with_proposed(plan: Plan, act: Activity) -> Plan:
    """A copy of ``plan`` with the proposed engagement as its last activity (the plan is not changed)."""
    body = plan.plan.model_copy(update={"activities": [*plan.plan.activities, act]})
    return plan.model_copy(update={"plan": body})


def _run(code: str, ctx: PlanContext) -> Iterator[Finding]:
    rule = lookup(code)
    assert rule is not None and rule.check is not None, code
    for f in rule.check(ctx):
        assert isinstance(f, Finding)
        yield f


def _name(code: str) -> str:
    rule = lookup(code)
    assert rule is not None
    return rule.name


def _year_of_index(plan: Plan, with_expenses: bool) -> dict[int, int]:
    """Activity index -> the calendar year the annual cap counts it in (the KP402 sum)."""
    by_year = plan.compensation_by_year(include_expenses=with_expenses)
    return {i: year for year, entries in by_year.items() for i, _ in entries}


def _index(f: Finding) -> int | None:
    p = f.path
    return p[2] if len(p) > 2 and p[:2] == ("plan", "activities") and isinstance(p[2], int) else None


def _concerns(code: str, f: Finding, n: int, years: dict[int, int], req: Request) -> bool:
    """Whether a finding on the plan with the proposed activity added is about that activity."""
    if code in ("KP401", "KP403"):
        return _index(f) == n
    if code in ("KP402", "KP405"):  # the cap of the engagement's year (KP402: only if it pays)
        i = _index(f)
        return i is not None and years.get(i) == req.year and (code == "KP405" or bool(req.compensation))
    return True  # KP205, KP201: about the plan as a whole


# -- points -------------------------------------------------------------------------------------
def _reason(key: str, count: int, text: str) -> Reason:
    return Reason(key, WEIGHTS[key].points * count, text)


def _points(setup: Setup, plan: Plan, proposed: Plan, ctx: PlanContext, findings: dict[str, list[Finding]],
            n: int, years: dict[int, int]) -> Iterator[Reason]:
    req = setup.request
    yield from _topic(req, plan)
    yield from _wants(req, plan)
    yield from _satisfied(req, plan)
    items = engagements(proposed, setup.config.view)
    yield from _repeats(req, [e for e in items if e.index != n])
    yield from _load(setup, plan, items, n)
    yield from _collisions(setup, items, n)
    for f in findings["KP405"]:
        if _concerns("KP405", f, n, years, req):
            yield _cap_near(setup, proposed, req)
    for f in findings["KP201"]:
        text = f.message.split("; ", 1)[0]
        yield _reason("check-in-overdue", 1, f"{text[:1].upper()}{text[1:]} (KP201).")


def _a(word: str) -> str:
    """``an advisory-board``, ``a speaker-program``."""
    return f"{'an' if word[:1] in 'aeio' else 'a'} {word}"


def _quoted(texts: list[str]) -> str:
    return ", ".join(f"'{t}'" for t in texts)


def _words_of(found: list[str]) -> str:
    return _quoted(found) if len(found) > 1 else f"'{found[0]}'"


def _matches(stems: dict[str, str], texts: list[str]) -> tuple[list[str], list[str]]:
    """The words of ``stems`` found in ``texts`` (as written in the topic, in its order) and
    the texts that hold them (in the plan's order)."""
    found: set[str] = set()
    holding: list[str] = []
    for t in texts:
        here = {stem(w) for w in words(t)} & stems.keys()
        if here:
            found |= here
            holding.append(t)
    return [w for s, w in stems.items() if s in found], holding


def _topic(req: Request, plan: Plan) -> Iterator[Reason]:
    stems = topic_words(req.topic)
    found, holding = _matches(stems, plan.kol.scientific_interests)
    if found:
        s = "s" if len(holding) > 1 else ""
        yield _reason("topic-interest", len(found),
                      f"Scientific interest{s} {_quoted(holding)} match{'' if s else 'es'} the topic "
                      f"(word{'s' if len(found) > 1 else ''} {_words_of(found)}).")
    found, holding = _matches(stems, plan.kol.therapeutic_areas)
    if found:
        s = "s" if len(holding) > 1 else ""
        yield _reason("topic-area", len(found),
                      f"Therapeutic area{s} {_quoted(holding)} match{'' if s else 'es'} the topic "
                      f"(word{'s' if len(found) > 1 else ''} {_words_of(found)}).")


def _wants(req: Request, plan: Plan) -> Iterator[Reason]:
    stems = {stem(w): w for w in ENGAGEMENT_WORDS.get(req.type, ())}
    if not stems:
        return
    kol = plan.kol
    found_o, objectives = _matches(stems, kol.professional_objectives)
    found_d, desires = _matches(stems, kol.desires)
    if not (objectives or desires):
        return
    parts = []
    if objectives:
        parts.append(f"professional objective{'s' if len(objectives) > 1 else ''} {_quoted(objectives)}")
    if desires:
        parts.append(f"desire{'s' if len(desires) > 1 else ''} {_quoted(desires)}")
    found = list(dict.fromkeys(found_o + found_d))
    yield _reason("wants-engagement", 1, f"Wants what {_a(req.type)} offers: {' and '.join(parts)} "
                                         f"(word{'s' if len(found) > 1 else ''} {_words_of(found)}).")


def _satisfied(req: Request, plan: Plan) -> Iterator[Reason]:
    since = req.as_of - dt.timedelta(days=RECENT_DAYS)
    recent = [(s.date, i, s.score) for i, s in enumerate(plan.plan.satisfaction) if since <= s.date <= req.as_of]
    if recent:
        day, _, score = max(recent)
        if score >= PROMOTER:
            yield _reason("satisfied", 1, f"Latest satisfaction score {score}/10 on {day}.")


def _repeats(req: Request, items: list[Engagement]) -> Iterator[Reason]:
    same = [e for e in items if e.type == req.type and e.date is not None
            and abs((e.date - req.date).days) <= RECENT_DAYS]
    if same:
        listed = ", ".join(f"{e.id} on {e.date} ({e.status})" for e in same)
        what = _a(req.type) if len(same) == 1 else f"{len(same)} {req.type} activities"
        yield _reason("repeat", len(same),
                      f"Already has {what} within 12 months of {req.date}: {listed}; the OIG warns against "
                      "inviting the same HCPs again and again.")


def _load(setup: Setup, plan: Plan, items: list[Engagement], n: int) -> Iterator[Reason]:
    coord = setup.config.coordination
    limit = coord.max_hours_per_quarter.for_tier(plan.kol.tier) if coord and coord.max_hours_per_quarter else None
    if limit is None:
        return
    req = setup.request
    q = calendar_quarter(req.date)
    before = quarter_loads([e for e in items if e.index != n]).get(q)
    hours = before.hours if before else 0.0
    label, tier = quarter_label(q), plan.kol.tier
    if hours > 0 and hours * 2 >= limit:
        view = setup.config.view
        depts = ", ".join(f"{view.department_name(d) if d else 'unknown department'} {h:g}"
                          for d, h in before.by_department.items()) \
            if before else ""
        yield _reason("load", 1, f"Already asked for {hours:g} of the {limit:g} hours a {tier} KOL may give in "
                                 f"{label} ({depts}).")
    if req.hours and hours + req.hours > limit:
        yield _reason("overload", 1, f"With these {req.hours:g} hours {label} would total {hours + req.hours:g}, "
                                     f"above the {limit:g} hours a quarter for a {tier} KOL (KP206).")


def _collisions(setup: Setup, items: list[Engagement], n: int) -> Iterator[Reason]:
    coord = setup.config.coordination
    req = setup.request
    if req.by is None or coord is None or coord.window_days is None:
        return
    for c in collisions(items, coord.window_days):
        if n not in (c.later.index, c.earlier.index):
            continue
        other = c.earlier if c.later.index == n else c.later
        apart = "the same day" if c.days == 0 else f"{c.days} day{'' if c.days == 1 else 's'} from {req.date}"
        view = setup.config.view
        dept = view.department_name(other.department) if other.department else "another department"
        person = view.people.get(other.owner)
        yield _reason("collision", 1, f"Collides with {other.id} ({other.type}), which {dept} "
                                      f"({person.name if person else other.owner}) plans on {other.date}, {apart} "
                                      f"(KP306: within "
                                      f"{coord.window_days} days); combine them or space them out.")


def _cap_near(setup: Setup, proposed: Plan, req: Request) -> Reason:
    comp = setup.config.compliance
    assert comp is not None and comp.annual_cap is not None  # KP405 found something
    total = sum(pay for _, pay in proposed.compensation_by_year(
        include_expenses=setup.config.cap_with_expenses).get(req.year, []))
    cap, cur = comp.annual_cap, comp.currency
    start = f"With this fee of {money(req.compensation, cur)}, compensation" if req.compensation else "Compensation"
    share = f"{total / cap:.0%} of" if cap else "all of"
    return _reason("cap-near", 1, f"{start} in {req.year} comes to {money(total, cur)}, {share} the annual cap of "
                                  f"{money(cap, cur)}, leaving {money(cap - total, cur)} (KP405).")
