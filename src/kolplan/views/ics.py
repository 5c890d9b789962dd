"""The calendar as an iCalendar file (RFC 5545) that Outlook or Google Calendar can subscribe to.

Written with the ``icalendar`` library (imported only here, only for ``--format ics``).
One all-day event per item (``DTSTART;VALUE=DATE`` and ``DTEND`` the next day). The
output is the same bytes for the same plans and ``--as-of``, so a subscribed calendar
sees no change where there is none and a committed file diffs cleanly:

- each ``UID`` comes from the plan id and the activity id (``review`` for the plan's
  review), so an event keeps its identity when its date or title changes; under
  ``--redact`` it is a digest of the two, so the file names no activity;
- ``DTSTAMP`` (required: when the event's description was made) is midnight UTC of
  ``--as-of``, not the clock, which would make every run differ;
- ``PRODID`` carries no version.

``--redact`` applies here too: the summary is the KOL, the activity type and the
department; no description, no title, no owner.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Final

from kolplan.errors import UsageError

if TYPE_CHECKING:
    from kolplan.views.calendar import Item

PRODID: Final = "-//kolplan//KOL engagement calendar//EN"
UID_DOMAIN: Final = "kolplan.invalid"  # .invalid (RFC 2606) can be no one's host: the UIDs clash with none


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
             "Plan review with the stakeholders (governance.next_review)" if item.is_review
             else f"Activity: {item.id} ({item.type}), {item.status}",
             f"Owner: {item.owner_name} ({item.department_name})"]
    lines += [f"Collision (KP306): {c.id} on {c.date}, {c.owner_name} ({c.department_name})"
              for c in item.collisions]
    return "\n".join(lines)


def ics(items: list[Item], as_of: dt.date, name: str, redact: bool = False) -> str:
    """The calendar file's text (CRLF line ends, as RFC 5545 has them)."""
    try:
        # lazy: the iCalendar library only for --format ics
        from icalendar import Calendar, Event
    except ImportError:
        raise UsageError("--format ics needs the icalendar package, which kolplan depends on: reinstall kolplan "
                         "(pip install kolplan) or run pip install icalendar") from None
    stamp = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name + (" (redacted)" if redact else ""))
    for item in items:
        event = Event()
        event.add("uid", uid(item, redact))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.date)
        event.add("dtend", item.date + dt.timedelta(days=1))
        event.add("summary", summary(item, redact))
        event.add("categories", [item.department_name])
        event.add("transp", "TRANSPARENT")  # an engagement to coordinate, not time the reader is busy
        if not redact:
            event.add("description", description(item))
            event.add("status", "CONFIRMED" if item.status == "done" else "TENTATIVE")
        cal.add_component(event)
    text: str = cal.to_ical().decode("utf-8")
    return text
