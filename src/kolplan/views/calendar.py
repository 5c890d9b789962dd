"""``kolplan calendar`` as plain data: every dated engagement and governance review across
the portfolio, in one window, with the KP306 collisions each is part of (SPEC 12).

One ``validate`` run (:func:`kolplan.views.loader.load_plans`); in the worker that parsed a
plan, :func:`plan_items` turns it into :class:`Item` records through the engagement
package (the computation KP306 reads), filtered to the window and the asked departments
and KOLs. The CLI orders nothing and decides nothing: it prints :func:`rows` (table),
:func:`markdown`, :func:`json_doc` or :func:`kolplan.views.ics.ics`.

``--redact`` is the firewall-safe view another function may see: the KOL, the date, the
department and the activity type, nothing else (:data:`REDACTED_KEYS`).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from kolplan.engagement.collisions import collisions
from kolplan.engagement.items import by_date, engagements
from kolplan.errors import UsageError

if TYPE_CHECKING:
    from kolplan.repo.root import Repo
    from kolplan.schema import Config, Plan
    from kolplan.views.loader import Loaded

DEFAULT_DAYS: Final = 90  # --to defaults to --from plus this many days (SPEC 12)
REVIEW: Final = "review"  # the type of a governance review item (not an activity type)
REVIEW_INDEX: Final = 1_000_000  # a review sorts after its plan's activities of the same day
# What --redact keeps of an item: the KOL, the date, the department and the activity type.
REDACTED_KEYS: Final = ("date", "kol", "kol_name", "department", "department_name", "type")


@dataclass(frozen=True, slots=True)
class CollisionRef:
    """The other side of a KP306 collision: the other activity, its date, owner and department."""

    id: str
    date: dt.date
    owner_name: str
    department_name: str
    days: int  # between the two dates


@dataclass(frozen=True, slots=True)
class Item:
    """One calendar entry: a ``planned`` or ``done`` activity, or a governance review."""

    date: dt.date
    kol: str  # the plan id
    kol_name: str
    tier: str
    index: int  # the activity's place in the plan; REVIEW_INDEX for the review
    id: str  # the activity id; "review" for the review
    type: str  # the activity type; "review" for the review
    title: str
    owner: str  # handle (the plan's lead for a review)
    owner_name: str
    department: str
    department_name: str
    status: str  # planned | done (activities); planned (a review)
    collisions: tuple[CollisionRef, ...] = ()

    @property
    def is_review(self) -> bool:
        return self.type == REVIEW


@dataclass(frozen=True)
class Window:
    """What to show: the dates (both included), and the departments and KOLs asked for (empty: all)."""

    start: dt.date
    end: dt.date
    departments: frozenset[str] = field(default_factory=frozenset)
    kols: frozenset[str] = field(default_factory=frozenset)

    def keeps(self, day: dt.date, department: str) -> bool:
        return self.start <= day <= self.end and (not self.departments or department in self.departments)


def window(repo: Repo, as_of: dt.date, start: dt.date | None, end: dt.date | None,
           departments: list[str], kols: list[str]) -> Window:
    """The checked request: ``--from`` (default ``as_of``) to ``--to`` (default 90 days
    later); an unknown department or KOL, or ``--from`` after ``--to``, is exit 2."""
    first = start or as_of
    last = end or first + dt.timedelta(days=DEFAULT_DAYS)
    if first > last:
        raise UsageError(f"--from {first} is after --to {last}: the window would be empty; swap them")
    depts = _split(departments)
    for d in depts:
        repo.view.require_department(d, "--department")
    ids = _split(kols)
    if ids:
        # lazy: the plan look-up only when --kol is given
        from kolplan.repo.discovery import look_up

        lookup = look_up(repo, ids[0])
        known_ids = set(lookup.ids)
        for k in ids:
            if k not in known_ids:
                guess = difflib.get_close_matches(k, lookup.ids, n=1, cutoff=0.6)
                hint = f"did you mean '{guess[0]}'?" if guess else "`kolplan list` shows the plans"
                raise UsageError(f"--kol {k}: no plan with this id under plans/ ({hint})")
    return Window(first, last, frozenset(depts), frozenset(ids))


def _split(values: list[str]) -> list[str]:
    """Repeated or comma-separated values, in order, once each."""
    return list(dict.fromkeys(t.strip() for v in values for t in v.split(",") if t.strip()))


# -- in the worker: one plan's items ---------------------------------------------------------------
def plan_items(config: Config, win: Window, path: str, plan: Plan) -> list[Item] | None:
    """The plan's dated ``planned``/``done`` activities and its next review that fall in the
    window, each with the KP306 collisions it is part of (computed on every activity of the
    plan, so a collision with one just outside the window still shows)."""
    if win.kols and plan.id not in win.kols:
        return None
    view = config.view
    items = engagements(plan, view)
    coord = config.coordination
    partners: dict[int, list[CollisionRef]] = {}
    if coord is not None and coord.window_days is not None:
        for c in collisions(items, coord.window_days):
            for this, other in ((c.later, c.earlier), (c.earlier, c.later)):
                assert other.date is not None
                partners.setdefault(this.index, []).append(CollisionRef(
                    other.id, other.date, _name(config, other.owner), _dept_name(config, other.department),
                    c.days))
    kol = (plan.id, plan.kol.name, plan.kol.tier)
    out: list[Item] = []
    for e in by_date(items):
        assert e.date is not None
        dept = e.department or ""
        if not win.keeps(e.date, dept):
            continue
        out.append(Item(e.date, *kol, e.index, e.id, e.type, e.title, e.owner, _name(config, e.owner), dept,
                        _dept_name(config, e.department), e.status,
                        tuple(sorted(partners.get(e.index, ()), key=lambda r: (r.date, r.id)))))
    gov = plan.plan.governance
    if gov is not None and gov.next_review is not None:
        leads = [o.person for o in plan.owners if o.role == "lead"]
        lead = leads[0] if leads else (plan.owners[0].person if plan.owners else "")
        dept = view.department_of(lead) or ""
        if win.keeps(gov.next_review, dept):
            out.append(Item(gov.next_review, *kol, REVIEW_INDEX, REVIEW, REVIEW, "Plan review", lead,
                            _name(config, lead), dept, _dept_name(config, dept or None), "planned"))
    return out


def _name(config: Config, handle: str) -> str:
    person = config.view.people.get(handle)
    return person.name if person else handle


def _dept_name(config: Config, dept: str | None) -> str:
    return config.view.department_name(dept) if dept else "unknown department"


# -- across the portfolio ----------------------------------------------------------------------
def sort_key(item: Item) -> tuple[dt.date, str, str, int]:
    """The calendar's order: by date, then KOL, then place in the plan (the review last)."""
    return item.date, item.kol_name.casefold(), item.kol, item.index


def items_of(loaded: Loaded[list[Item]]) -> list[Item]:
    """Every plan's items, in the calendar's order (:func:`sort_key`)."""
    out = [i for part in loaded.parts.values() for i in part]
    out.sort(key=sort_key)
    return out


def collision_text(item: Item) -> str:
    """``A5 2026-12-02 (Commercial)``: the other activity of each collision; empty when none."""
    return "; ".join(f"{c.id} {c.date} ({c.department_name})" for c in item.collisions)


def record(item: Item, redact: bool = False) -> dict[str, Any]:
    """An item as JSON-ready data; with ``redact``, only :data:`REDACTED_KEYS`."""
    full: dict[str, Any] = {
        "date": item.date.isoformat(), "kol": item.kol, "kol_name": item.kol_name, "tier": item.tier,
        "kind": "review" if item.is_review else "activity", "id": item.id, "type": item.type,
        "title": item.title, "owner": item.owner, "owner_name": item.owner_name, "department": item.department,
        "department_name": item.department_name, "status": item.status,
        "collisions": [{"id": c.id, "date": c.date.isoformat(), "owner_name": c.owner_name,
                        "department_name": c.department_name, "days": c.days} for c in item.collisions],
    }
    if redact:
        return {k: full[k] for k in REDACTED_KEYS}
    return full


def json_doc(items: list[Item], win: Window, as_of: dt.date, skipped: list[str], redact: bool) -> dict[str, Any]:
    return {"version": 1, "as_of": as_of.isoformat(), "from": win.start.isoformat(), "to": win.end.isoformat(),
            "redacted": redact, "items": [record(i, redact) for i in items], "skipped": skipped}


# The table's and the Markdown's columns: (header, what of an item), full and redacted.
def columns(redact: bool) -> list[tuple[str, Any]]:
    if redact:
        return [("date", lambda i: i.date.isoformat()), ("KOL", lambda i: i.kol_name),
                ("department", lambda i: i.department_name), ("type", lambda i: i.type)]
    return [("date", lambda i: i.date.isoformat()), ("KOL", lambda i: f"{i.kol_name} ({i.tier})"),
            ("activity", lambda i: i.id if i.is_review else f"{i.id} {i.type}"), ("title", lambda i: i.title),
            ("owner", lambda i: f"{i.owner_name} ({i.department_name})"), ("status", lambda i: i.status),
            ("collision", collision_text)]


def rows(items: list[Item], redact: bool) -> tuple[list[str], list[list[str]]]:
    cols = columns(redact)
    return [h for h, _ in cols], [[str(f(i)) for _, f in cols] for i in items]


def markdown(items: list[Item], win: Window, as_of: dt.date, skipped: list[str], redact: bool) -> str:
    # lazy: the Markdown cell escaping only for --format md
    from kolplan.formats.escape import clean, undecodable
    from kolplan.views.filters import md

    title = "KOL engagement calendar" + (" (redacted)" if redact else "")
    out = [f"# {title}, {win.start} to {win.end}", "", f"As of {as_of}. {summary(items, redact)}", ""]
    if items:
        headers, body = rows(items, redact)
        out += ["| " + " | ".join(h.capitalize() if h != "KOL" else h for h in headers) + " |",
                "|" + "---|" * len(headers)]
        out += ["| " + " | ".join(md(c) if c else "—" for c in r) + " |" for r in body]
    if skipped:
        out += ["", "## Skipped", "", "Plans with reading or schema errors (run `kolplan validate` on them):", ""]
        out += [f"- `{clean(p)}`" for p in skipped]
    return undecodable("\n".join(out) + "\n")


def summary(items: list[Item], redact: bool = False) -> str:
    """``12 engagements and 3 reviews for 7 KOLs; 2 in a collision.`` (no collisions when redacted)."""
    acts = sum(1 for i in items if not i.is_review)
    reviews = len(items) - acts
    kols = len({i.kol for i in items})
    clash = sum(1 for i in items if i.collisions)
    text = (f"{acts} engagement{'' if acts == 1 else 's'} and {reviews} review{'' if reviews == 1 else 's'} "
            f"for {kols} KOL{'' if kols == 1 else 's'}")
    return text + (f"; {clash} in a collision." if clash and not redact else ".")
