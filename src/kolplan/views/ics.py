"""The calendar as an iCalendar file (RFC 5545) that Outlook or Google Calendar can subscribe to.

Written with the ``icalendar`` library (imported only for ``--format ics``). One all-day
event per item (``DTSTART;VALUE=DATE`` and ``DTEND`` the next day). Each event is
serialised where its plan was parsed (:func:`plan_events`, in the workers, beside the
rest of the plan's check), and :func:`ics` puts them, in the calendar's order, into the
``VCALENDAR`` the library writes. The output is the same bytes for the same plans and
``--as-of``, so a subscribed calendar sees no change where there is none and a committed
file diffs cleanly:

- each ``UID`` comes from the plan id and the activity id (``review`` for the plan's
  review), so an event keeps its identity when its date or title changes; under
  ``--redact`` it is a digest of the two, so the file names no activity;
- ``DTSTAMP`` (required: when the event's description was made) is midnight UTC of
  ``--as-of``, not the clock, which would make every run differ;
- ``PRODID`` carries no version.

``--redact`` applies here too: the summary is the KOL, the activity type and the
department; no description, no title, no owner, no status.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Final

from kolplan.errors import UsageError
from kolplan.views.calendar import Item, Window, plan_items, sort_key

if TYPE_CHECKING:
    from kolplan.schema import Config, Plan

PRODID: Final = "-//kolplan//KOL engagement calendar//EN"
UID_DOMAIN: Final = "kolplan.invalid"  # .invalid (RFC 2606) can be no one's host: the UIDs clash with none
_END: Final = "END:VCALENDAR\r\n"


def require_library() -> None:
    """Exit 2 with what to install when the iCalendar library is missing (before any work)."""
    try:
        # lazy: the iCalendar library only for --format ics
        import icalendar  # noqa: F401
    except ImportError:
        raise UsageError("--format ics needs the icalendar package, which kolplan depends on: reinstall kolplan "
                         "or run pip install icalendar") from None


def uid(item: Item, redact: bool = False) -> str:
    """``jane-okafor.A3@kolplan.invalid``, ``jane-okafor.review@...``; a digest of the two under ``--redact``."""
    local = f"{item.kol}.{item.id}"
    if redact:
        local = hashlib.sha256(local.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{local}@{UID_DOMAIN}"


def summary(item: Item, redact: bool = False) -> str:
    """``Jane Okafor: EU advisory board (Medical Affairs)``; redacted, the type instead of the title."""
    what = "plan review" if item.is_review else (item.type if redact else item.title)
    return f"{item.kol_name}: {what} ({item.department_name})"


def description(item: Item) -> str:
    lines = [f"KOL: {item.kol_name} ({item.tier}), plan {item.kol}",
             "Plan review with the stakeholders" if item.is_review
             else f"Activity: {item.id} ({item.type}), {item.status}",
             f"Owner: {item.owner_name} ({item.department_name})"]
    lines += [f"Collision (KP306): {c.id} on {c.date}, {c.owner_name} ({c.department_name})"
              for c in item.collisions]
    return "\n".join(lines)


def event_text(item: Item, as_of: dt.date, redact: bool = False) -> str:
    """One ``VEVENT`` as the library writes it (CRLF line ends, long lines folded)."""
    # lazy: the iCalendar library only for --format ics (imported by require_library first)
    from icalendar import Event, vDDDTypes, vText

    event = Event()
    # values made here, not by the library's type guessing: half the time, the same text
    event.add("uid", vText(uid(item, redact)), encode=False)
    event.add("dtstamp", vDDDTypes(dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)), encode=False)
    event.add("dtstart", vDDDTypes(item.date), encode=False)
    event.add("dtend", vDDDTypes(item.date + dt.timedelta(days=1)), encode=False)
    event.add("summary", vText(summary(item, redact)), encode=False)
    if not redact:
        event.add("description", vText(description(item)), encode=False)
        event.add("status", vText("CONFIRMED" if item.status == "done" else "TENTATIVE"), encode=False)
    text: str = event.to_ical().decode("utf-8")
    return text


def plan_events(config: Config, win: Window, as_of: dt.date, redact: bool, path: str,
                plan: Plan) -> list[tuple[Item, str]] | None:
    """In the worker: the plan's calendar items (:func:`~kolplan.views.calendar.plan_items`),
    each with its ``VEVENT``."""
    items = plan_items(config, win, path, plan)
    return None if items is None else [(i, event_text(i, as_of, redact)) for i in items]


def ics(events: list[tuple[Item, str]], name: str, redact: bool = False) -> str:
    """The calendar file: the library's ``VCALENDAR`` with every event, in the calendar's order."""
    # lazy: the iCalendar library only for --format ics
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name + (" (redacted)" if redact else ""))
    head: str = cal.to_ical().decode("utf-8")
    assert head.endswith(_END)
    body = "".join(text for _, text in sorted(events, key=lambda e: sort_key(e[0])))
    return head[:-len(_END)] + body + _END
