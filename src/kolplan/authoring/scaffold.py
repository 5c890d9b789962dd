"""``kolplan new``: a new plan file from the scaffold template, after checking that the KOL
has no plan yet (one KOL, one plan, one accountable lead)."""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, Final

from kolplan.diagnostics import Diagnostic, Severity
from kolplan.errors import RefusedError, TemplateError, UsageError
from kolplan.lint.check import CheckEnv, check_bytes
from kolplan.lint.identifiers import (
    email_problem,
    normalize_identifier,
    normalize_institution,
    normalize_name,
    npi_problem,
    orcid_problem,
)
from kolplan.lint.kolindex import Candidate, KolIndex
from kolplan.repo.discovery import look_up
from kolplan.repo.root import Repo
from kolplan.schema.countries import ALIASES, GDPR_COUNTRIES, ISO_3166_ALPHA2
from kolplan.schema.types import SLUG_MAX, SLUG_RE
from kolplan.vocabulary import IDENTIFIER_LABELS, TIERS
from kolplan.yamlio.atomic import atomic_write
from kolplan.yamlio.emit import check_text, plain_or_quoted, quoted

TEMPLATE: Final = "plan.yaml.j2"
DEFAULT_TIER: Final = "local"
IDENTIFIER_EXAMPLES: Final = (
    ("crm_id", '"V-248113"  # the KOL\'s id in your CRM or master data'),
    ("npi", '"1234567893"  # US prescribers: 10 digits with an NPI check digit'),
    ("orcid", "0000-0002-1825-0097"),
    ("email", "name@example.org"),
)


@dataclass
class NewPlan:
    """What ``kolplan new`` was asked for (already checked by :func:`check_request`)."""

    plan_id: str
    name: str
    lead: str
    institution: str | None = None
    tier: str | None = None
    therapeutic_areas: list[str] = field(default_factory=list)
    country: str | None = None
    identifiers: dict[str, str] = field(default_factory=dict)  # crm_id, npi, orcid, email as given
    as_of: dt.date = field(default_factory=dt.date.today)
    period: tuple[dt.date, dt.date] | None = None  # --period; None: fiscal.default_plan_period(as_of)


@dataclass
class Written:
    path: str  # repo-relative
    period: tuple[dt.date, dt.date]
    fiscal_year: int  # the fiscal year the period ends in
    duplicates_overridden: list[str]
    # folders under plans/ that could not be read: the duplicate check did not see their plans
    unchecked: list[str] = field(default_factory=list)
    period_note: str = ""  # "fiscal year 2027", "to the end of fiscal year 2027", "ends in fiscal year 2027"


# -- checks on the request (exit 2) -------------------------------------------------------
def check_plan_id(plan_id: str) -> None:
    """A plan id is a slug: lowercase letters, digits, single hyphens; at most 64 characters."""
    if SLUG_RE.fullmatch(plan_id) and len(plan_id) <= SLUG_MAX:
        return
    guess = slugify(plan_id)
    hint = f" (did you mean '{guess}'?)" if guess and guess != plan_id else ""
    if len(plan_id) > SLUG_MAX and SLUG_RE.fullmatch(plan_id):
        raise UsageError(f"plan id '{plan_id[:20]}…' is {len(plan_id)} characters long; the limit is {SLUG_MAX}: "
                         "use a shorter id, e.g. the KOL's first and last name")
    raise UsageError(f"plan id '{plan_id}' is not valid{hint}: use lowercase letters, digits and single hyphens, "
                     f"at most {SLUG_MAX} characters (e.g. jane-okafor); it is also the file name plans/<id>.yaml")


_PERIOD: Final = re.compile(r"\s*([0-9]{4}-[0-9]{2}-[0-9]{2})\s*\.\.\s*([0-9]{4}-[0-9]{2}-[0-9]{2})\s*")


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``--period 2026-04-01..2027-03-31`` -> the two dates (exit 2 with one line if not)."""
    example = "e.g. --period 2026-04-01..2027-03-31"
    m = _PERIOD.fullmatch(text)
    if m is None:
        raise UsageError(f"--period {text}: write it as START..END (YYYY-MM-DD..YYYY-MM-DD), {example}")
    dates: list[dt.date] = []
    for value in m.groups():
        try:
            dates.append(dt.date.fromisoformat(value))
        except ValueError:
            raise UsageError(f"--period {text}: {value} is not a date; {example}") from None
    start, end = dates
    if end < start:
        raise UsageError(f"--period {text}: the end {end} is before the start {start}; {example}")
    return start, end


def slugify(text: str) -> str:
    """``Jane Okafor`` -> ``jane-okafor`` (a suggestion only)."""
    return "-".join(normalize_institution(text).replace("_", " ").split())[:SLUG_MAX].strip("-")


def check_request(repo: Repo, req: NewPlan) -> None:
    """Every value given on the command line, checked before anything is read or written."""
    check_plan_id(req.plan_id)
    for text in (req.name, req.institution or "", *req.therapeutic_areas, *req.identifiers.values()):
        check_text(text)
    if not req.name.strip():
        raise UsageError("--name is empty: give the KOL's name, e.g. --name \"Jane Okafor\"")
    check_person(repo, req.lead, "--lead")
    if req.tier is not None and req.tier not in TIERS:
        guess = difflib.get_close_matches(req.tier.lower(), TIERS, n=1, cutoff=0.5)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        raise UsageError(f"--tier {req.tier}: not a tier; {hint}choose one of {', '.join(TIERS)}")
    if req.country is not None:
        req.country = check_country(req.country)
    checks = {"npi": npi_problem, "orcid": orcid_problem, "email": email_problem}
    for kind, value in req.identifiers.items():
        if not value.strip():
            raise UsageError(f"--{kind.replace('_', '-')} is empty: leave the option out or give a value")
        problem = checks.get(kind)
        why = problem(value) if problem else None
        if why:
            raise UsageError(f"--{kind.replace('_', '-')}: {why}")
    if any(not ta.strip() for ta in req.therapeutic_areas):
        raise UsageError("--ta is empty: give a therapeutic area, e.g. --ta oncology")


def check_person(repo: Repo, handle: str, flag: str) -> None:
    """``handle`` must be in kolplan.yaml ``people:`` (exit 2, with a suggestion)."""
    people = list(repo.config.people)
    if handle in repo.config.people:
        return
    guess = difflib.get_close_matches(handle, people, n=1, cutoff=0.6)
    if guess:
        hint = f"did you mean '{guess[0]}'?"
    elif people:
        hint = f"people are: {', '.join(people[:12])}{' …' if len(people) > 12 else ''}"
    else:
        hint = "kolplan.yaml has no people yet"
    raise UsageError(f"{flag} {handle}: not a person in kolplan.yaml people ({hint}); "
                     "add them under people: first if they are new")


def check_country(country: str) -> str:
    code = country.strip().upper()
    if code in ISO_3166_ALPHA2:
        return code
    fix = ALIASES.get(code)
    hint = f"write {fix}" if fix else "use the two-letter ISO 3166-1 code, e.g. GB, DE, US"
    raise UsageError(f"--country {country}: not an ISO 3166-1 alpha-2 country code: {hint}")


# -- checks on the repository (exit 1) ------------------------------------------------------
def check_no_file(repo: Repo, plan_id: str) -> str:
    """The repo-relative path to write; refuses if a plan with this id exists anywhere under plans/."""
    rel = plan_rel(plan_id)
    if (repo.root / rel).exists() or (repo.root / rel).is_symlink():
        raise RefusedError(f"{rel} already exists: kolplan new does not overwrite plans; edit it, or choose "
                           "another id")
    for other in look_up(repo, plan_id).matches:
        raise RefusedError(f"{other} already uses the id '{plan_id}': edit that plan, or choose another id")
    return rel


def find_duplicates(repo: Repo, req: NewPlan, unreadable: list[Diagnostic] | None = None) -> tuple[list[str], bool]:
    """Plans that already hold this KOL (one line each naming the file, its lead and department, and
    why), and whether one of them is certain (a shared identifier). Folders that could not be
    read are added to ``unreadable``."""
    # lazy: log, score and feedback import this module for its checks, and never lint
    from kolplan.lint.engine import portfolio_facts

    index = KolIndex(portfolio_facts(repo, req.as_of, unreadable=unreadable))
    ids = {kind: normalize_identifier(kind, value) for kind, value in req.identifiers.items()}
    candidate = Candidate(normalize_name(req.name), normalize_institution(req.institution or ""), ids)
    same, maybe = index.lookup(candidate)
    lines = []
    for f in same:
        shared = [k for k, v in ids.items() if f.identifiers.get(k) == v]
        why = "shares the " + " and ".join(IDENTIFIER_LABELS[k] + f" {req.identifiers[k]}" for k in shared)
        lines.append(f"{f.path} ({lead_of(repo, f.leads)}) {why}")
    for f in maybe:
        lines.append(f"{f.path} ({lead_of(repo, f.leads)}) has the same name and institution "
                     f"({f.name}, {f.institution})")
    return lines, bool(same)


def lead_of(repo: Repo, leads: list[str]) -> str:
    """``lead a.chen, Field Medical (MSL)``: how a message names a plan's lead(s)."""
    if not leads:
        return "no lead"
    out = []
    for h in leads:
        dept = repo.view.department_of(h) or "unknown department"
        out.append(f"lead {h}, {repo.view.department_name(dept)}")
    return "; ".join(out)


# -- writing ----------------------------------------------------------------------------------
PLAN_SCHEMA: Final = "schema/plan.schema.json"  # where kolplan init writes it, from the repository's root


def plan_rel(plan_id: str) -> str:
    """Where ``kolplan new`` writes the plan ``plan_id``, from the repository's root."""
    return f"plans/{plan_id}.yaml"


def schema_path_from(rel: str) -> str:
    """The plan schema as a plan at ``rel`` names it in its ``# yaml-language-server: $schema=``
    line: yaml-language-server resolves a relative path from the plan's own folder."""
    return posixpath.relpath(PLAN_SCHEMA, posixpath.dirname(rel) or ".")


def render_plan(repo: Repo, req: NewPlan) -> tuple[str, dict[str, Any]]:
    """The plan text from ``plan.yaml.j2`` (the repository's own ``templates/`` first)."""
    # lazy: jinja2 and the views: of the commands that import this module, only `new` and `import` render
    from kolplan.views.render import render_template

    ctx = plan_context(repo, req)
    return render_template(scaffold_environment(repo), TEMPLATE, ctx), ctx


def scaffold_environment(repo: Repo) -> Any:
    """The template environment ``plan.yaml.j2`` renders in, with its YAML filters."""
    # lazy: jinja2 and the views: of the commands that import this module, only `new` and `import` render
    from kolplan.views.render import make_environment

    env = make_environment(repo.root)
    env.filters["yaml_str"] = quoted
    env.filters["yaml_plain"] = plain_or_quoted
    env.filters["yaml_list"] = flow_list
    return env


def plan_context(repo: Repo, req: NewPlan) -> dict[str, Any]:
    """What ``plan.yaml.j2`` is given for ``req``: the KOL's values, the period, the next review."""
    # lazy: the fiscal calendar: of the commands that import this module, only `new` and `import` render
    from kolplan.views.fiscal import default_plan_period, fiscal_year_bounds, fiscal_year_of, next_fiscal_quarter_start

    config = repo.config
    start, end = req.period or default_plan_period(req.as_of, config.fiscal_year_start)
    fy = fiscal_year_of(end, config.fiscal_year_start)
    fy_start, fy_end = fiscal_year_bounds(fy, config.fiscal_year_start)
    # the next quarter start after the later of today and the period's start, within the period
    next_review = max(start, min(next_fiscal_quarter_start(max(req.as_of, start), config.fiscal_year_start), end))
    if (start, end) == (fy_start, fy_end):
        period_note = f"fiscal year {fy}"
    elif end == fy_end:
        period_note = f"to the end of fiscal year {fy}"
    else:
        period_note = f"ends in fiscal year {fy}"
    lead_dept = config.people[req.lead].department
    contributor = next((h for h, p in config.people.items() if p.department != lead_dept), None)
    return {
        "plan_id": req.plan_id,
        "schema_path": schema_path_from(plan_rel(req.plan_id)),
        "name": req.name,
        "institution": req.institution,
        "country": req.country,
        "gdpr": req.country in GDPR_COUNTRIES,
        "identifiers": {k: req.identifiers[k] for k, _ in IDENTIFIER_EXAMPLES if k in req.identifiers},
        "missing_identifiers": [(k, ex) for k, ex in IDENTIFIER_EXAMPLES if k not in req.identifiers],
        "tier": req.tier or DEFAULT_TIER,
        "tier_given": req.tier is not None,
        "therapeutic_areas": req.therapeutic_areas,
        "lead": req.lead,
        "contributor_example": plain_or_quoted(contributor) if contributor else None,
        "organization": config.organization,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "fiscal_year": fy,
        "period_note": period_note,
        "next_review": next_review.isoformat(),
        "today": req.as_of.isoformat(),
    }


def flow_list(values: list[str]) -> str:
    """``["a", "b"]``: a one-line YAML list of double-quoted strings."""
    return "[" + ", ".join(quoted(v) for v in values) + "]"


def check_rendered(repo: Repo, rel: str, text: str, as_of: dt.date) -> None:
    """The file about to be written must pass validate with no errors; a broken template is exit 2."""
    result = check_bytes(CheckEnv(repo.root, repo.config, as_of), rel, text.encode("utf-8"))
    errors = [d for d in result.diagnostics if d.severity == Severity.ERROR]
    if errors:
        source = "templates/plan.yaml.j2" if (repo.root / "templates" / TEMPLATE).is_file() else "the built-in " \
            "plan.yaml.j2"
        raise TemplateError(f"{source} produced a plan with {len(errors)} error(s), so nothing was written: fix "
                            "the template (the diagnostics above point into the plan it produced)",
                            diagnostics=errors)


def new_plan(repo: Repo, req: NewPlan, force: bool = False) -> Written:
    """Check, render and write ``plans/<id>.yaml``; nothing is written if any check fails."""
    check_request(repo, req)
    rel = check_no_file(repo, req.plan_id)
    unreadable: list[Diagnostic] = []
    duplicates, certain = find_duplicates(repo, req, unreadable)
    if duplicates and not force:
        listed = "; ".join(duplicates)
        has = "already has" if certain else "may already have"
        raise RefusedError(f"{req.name} {has} a plan: {listed}. One KOL, one plan: ask that plan's lead to add "
                           "you as a contributor (owners: role: contributor). If these are two different people, "
                           "run again with --force.")
    text, ctx = render_plan(repo, req)
    check_rendered(repo, rel, text, req.as_of)
    atomic_write(repo.root / rel, text, root=repo.root, exclusive=True)
    period = (dt.date.fromisoformat(ctx["period_start"]), dt.date.fromisoformat(ctx["period_end"]))
    return Written(rel, period, ctx["fiscal_year"], duplicates, [d.path for d in unreadable], ctx["period_note"])
