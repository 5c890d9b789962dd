"""KP3xx: ownership across departments and files (seed 001: "multiple plans for the same KOL";
seed 003: "the right hand is talking to the left hand").

The cross-plan rules work on :class:`~kolplan.rules.context.PlanFacts` through the one matcher,
:class:`~kolplan.lint.kolindex.KolIndex`, so that 50,000 plans cost about fifty times 1,000. A file
named on the command line outside ``plans/`` is compared with the portfolio, but the portfolio's
own files get no findings about it.
"""

from __future__ import annotations

from collections.abc import Iterator

from kolplan.diagnostics import Severity
from kolplan.lint.facts import PlanFacts
from kolplan.lint.kolindex import Candidate, KolIndex
from kolplan.rules.context import Finding, PlanContext, PortfolioContext, PortfolioFinding
from kolplan.rules.registry import plan_rule, portfolio_rule
from kolplan.vocabulary import IDENTIFIER_LABELS

# A message names at most this many other files, then "and N more" (keeps every message short
# and the whole check linear, even if thousands of files share one identifier).
MAX_NAMED = 5


@plan_rule("KP301", "lead-count", Severity.ERROR, category="ownership")
def lead_count(ctx: PlanContext) -> Iterator[Finding]:
    """A plan has no lead, or more than one.

    One KOL, one plan, one accountable lead: when several people each own a piece of
    a KOL relationship, someone has to make sure "that the right hand is talking to
    the left hand" (KOL engagement literature). Other departments take part as
    contributors; exactly one owner has ``role: lead``.

    Bad: two owners with ``role: lead`` (a.chen in Field Medical, c.jones in Commercial).
    Fix: keep one ``role: lead`` and make the others ``role: contributor``.
    """
    leads = [o.person for o in ctx.plan.owners if o.role == "lead"]
    if not leads:
        yield Finding(("owners",), "the plan has no lead: mark one owner role: lead (one accountable "
                                   "person per KOL; the others are contributors)", at="key")
    elif len(leads) > 1:
        named = ", ".join(f"{h} ({ctx.department_of(h) or 'unknown department'})" for h in leads)
        yield Finding(("owners",), f"the plan has {len(leads)} leads: {named}; keep one role: lead and make "
                                   "the others role: contributor", at="key")


@portfolio_rule("KP302", "duplicate-kol", Severity.ERROR, category="ownership")
def duplicate_kol(ctx: PortfolioContext) -> Iterator[PortfolioFinding]:
    """Two or more plan files are for the same KOL: they share an identifier.

    Organisations that do not plan from the KOL's perspective end up with
    "multiple plans for the same KOL" (KOL engagement literature), each department
    engaging the same person without knowing what the others ask of them. Plans are matched by any shared identifier
    (CRM id, NPI, ORCID, or email case-insensitively), also through a third plan (A
    shares an NPI with B, B an email with C). Every file involved is reported, at
    the shared identifier, with the other files and their leads.

    Bad: ``plans/jane-okafor.yaml`` (lead in Field Medical) and
    ``plans/okafor-speaker.yaml`` (lead in Commercial) both carry ``npi: "1234567893"``.
    Fix: merge them into one plan with one lead; the other department's people
    become contributors and their activities move into that plan.
    """
    index = ctx.kol_index()
    group_of: dict[str, list[PlanFacts]] = {}
    for group in index.identifier_groups():
        for f in group:
            group_of[f.path] = group
            yield from _duplicate_finding(ctx, index, f, [g for g in group if g is not f])
    for f in ctx.facts:
        if f.in_portfolio:
            continue
        seen: set[str] = set()
        others: list[PlanFacts] = []
        for match in index.lookup(Candidate("", "", f.identifiers))[0]:
            for g in group_of.get(match.path, [match]):  # and, transitively, the plans it is grouped with
                if g.path not in seen:
                    seen.add(g.path)
                    others.append(g)
        if others:
            yield from _duplicate_finding(ctx, index, f, sorted(others, key=lambda g: g.path))


def _duplicate_finding(ctx: PortfolioContext, index: KolIndex, f: PlanFacts,
                       others: list[PlanFacts]) -> Iterator[PortfolioFinding]:
    kinds = index.shared_kinds(f)
    if not kinds:  # grouped only through a file outside the portfolio: cannot happen, but stay safe
        return
    line, col = f.identifier_pos.get(kinds[0], f.name_pos)
    parts = []
    for g in others[:MAX_NAMED]:
        same = index.shared_identifiers(f, g)
        how = f"same {', '.join(IDENTIFIER_LABELS.get(k, k) for k in same)}" if same else "linked through another plan"
        parts.append(f"{g.path} (lead {ctx.lead_label(g)}; {how})")
    more = f" and {len(others) - MAX_NAMED} more" if len(others) > MAX_NAMED else ""
    yield PortfolioFinding(
        f.path, line, col,
        f"{f.name} also has a plan in {', '.join(parts)}{more}; this plan's lead is {ctx.lead_label(f)}. "
        "One KOL, one plan: merge them into one plan with one lead and make the other departments contributors",
    )


@portfolio_rule("KP303", "possible-duplicate-kol", Severity.WARNING, category="ownership")
def possible_duplicate_kol(ctx: PortfolioContext) -> Iterator[PortfolioFinding]:
    """Two plan files may be for the same KOL: same name and institution, no identifier to tell.

    Names are compared with case, accents, titles (Dr, Prof), punctuation and
    middle initials ignored, and institutions with case, accents and punctuation
    ignored. Apostrophes are deleted, not read as a space (``King's`` and ``Kings``
    match), ``&`` is "and" and ``St``/``St.`` is "Saint"; hyphens and other marks
    separate words (``Jean-Luc`` and ``Jean Luc`` match). Plans that share an
    identifier are KP302's business; plans that carry the same kind of identifier
    with different values (two different NPIs) are two people and are not reported.
    Duplicate plans for one KOL often start this way: a second department creates
    a plan without the CRM id.

    Bad: ``name: Dr. Jane A. Okafor`` and ``name: Jane Okafor``, both at
    ``University Hospital Example``, one of them without identifiers.
    Fix: if they are one person, merge the plans; if not, give both the same kind
    of identifier (``crm_id`` or ``npi``) so kolplan can tell them apart.
    """

    index = ctx.kol_index()
    for f in ctx.facts:
        first, total = index.possible_duplicate_summary(f, MAX_NAMED)
        if not total:
            continue
        named = ", ".join(f"{g.path} (lead {ctx.lead_label(g)})" for g in first)
        more = f" and {total - len(first)} more" if total > len(first) else ""
        where = f" at {f.institution}" if f.institution else ""
        yield PortfolioFinding(
            f.path, f.name_pos[0], f.name_pos[1],
            f"{f.name}{where} may also have a plan in {named}{more}: if this is one person, merge the plans; "
            "if not, add the same kind of identifier (crm_id or npi) to each so they can be told apart",
        )


@plan_rule("KP304", "owner-not-on-plan", Severity.WARNING, category="ownership")
def owner_not_on_plan(ctx: PlanContext) -> Iterator[Finding]:
    """An activity is owned by someone who is not among the plan's owners.

    That is another department running its own engagement outside the plan: the
    lead does not know what is being asked of the KOL, and the departments engaging
    them no longer coordinate. Everyone who owns an activity should be on the plan,
    at least as a contributor.

    Bad: ``owner: c.jones`` on an activity, while ``owners:`` lists only a.chen and r.patel.
    Fix: add ``- {person: c.jones, role: contributor}`` to ``owners:``, or hand the
    activity to one of the plan's owners.
    """
    owners = ctx.plan.owner_handles()
    for i, a in enumerate(ctx.plan.plan.activities):
        dept = ctx.department_of(a.owner)
        if a.owner in owners or dept is None:  # an unknown handle is KP012's business
            continue
        yield Finding(("plan", "activities", i, "owner"),
                      f"activity {a.id} is owned by {a.owner} ({dept}), who is not among the plan's owners: "
                      f"add {a.owner} to owners: as a contributor, or hand the activity to an owner")


@plan_rule("KP305", "outside-contact", Severity.INFO, category="ownership")
def outside_contact(ctx: PlanContext) -> Iterator[Finding]:
    """An interaction was logged by someone who is not among the plan's owners.

    Contact from outside the plan team is not wrong, but the lead should know about
    it, so that the KOL hears one voice from the company rather than several
    uncoordinated ones. Meeting the KOL at a congress (``channel: congress``) is
    normal and not reported.

    Bad: an interaction ``by: c.jones`` (Commercial) on a plan owned by Field Medical.
    Fix: tell the plan's lead; if the contact goes on, add the person to ``owners:``
    as a contributor.
    """
    owners = ctx.plan.owner_handles()
    leads = ", ".join(o.person for o in ctx.plan.owners if o.role == "lead") or "the team"
    for i, it in enumerate(ctx.plan.interactions):
        dept = ctx.department_of(it.by)
        if it.by in owners or it.channel == "congress" or dept is None:
            continue
        yield Finding(("interactions", i, "by"),
                      f"the {it.channel} interaction of {it.date} was logged by {it.by} ({dept}), who is not "
                      f"among the plan's owners: tell {leads}, and add {it.by} to owners: as a contributor "
                      "if the contact goes on")
