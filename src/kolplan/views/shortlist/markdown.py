"""The shortlist as a record a compliance reviewer can file (SPEC 14): the request and its
date, the list with every reason, the KOLs not eligible with their rules, what was not
checked, and the weights. Plan text goes through :func:`~kolplan.formats.escape.clean`
(control characters shown, not obeyed) and the ``md`` filter (no text breaks a table)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kolplan.formats.escape import clean
from kolplan.views.filters import md
from kolplan.views.shortlist.request import WEIGHTS

if TYPE_CHECKING:
    from kolplan.views.shortlist.build import Shortlist


def _t(text: object) -> str:
    return md(clean(str(text), keep_layout=True))


def signed(points: int) -> str:
    return f"+{points}" if points > 0 else str(points)


def render(s: Shortlist) -> str:
    r = s.request
    out = [f"# Shortlist: {_t(r.type)} on “{_t(r.topic)}”", ""]
    out += [f"- **Engagement:** {_t(s.engagement())}",
            f"- **Topic:** {_t(r.topic)}",
            f"- **As of:** {r.as_of}",
            f"- **Filters:** {_t(s.filters()) or 'none'}",
            f"- **Command:** `{_command(s)}`", "",
            "kolplan does not choose: it lists who is eligible by the compliance and ownership rules "
            "(the same rules `kolplan validate` runs, with this engagement added to each plan) and the "
            "reasons for and against each, with the points of the weights below.", ""]
    eligible = len(s.listed) + s.more
    out += [f"## Shortlist ({len(s.listed)} of {eligible} eligible)", ""]
    if not s.listed:
        out += ["No KOL is eligible.", ""]
    else:
        out += ["| # | KOL | tier | country | lead | points |", "| --- | --- | --- | --- | --- | --- |"]
        for i, c in enumerate(s.listed, 1):
            out.append(f"| {i} | {_t(c.name)} (`{_t(c.id)}`) | {c.tier} | {_t(c.country or '')} | {_t(c.lead)} "
                       f"| {signed(c.points)} |")
        out.append("")
        for i, c in enumerate(s.listed, 1):
            unit = "point" if abs(c.points) == 1 else "points"
            out += [f"### {i}. {_t(c.name)} ({_t(c.id)}): {signed(c.points)} {unit}", ""]
            out += [f"- {signed(x.points)} {_t(x.text)}" for x in c.reasons] or ["- No reason for or against."]
            out.append("")
        if s.more:
            out += [f"{s.more} more eligible KOL{'' if s.more == 1 else 's'} not shown (--size {r.size}).", ""]
    out += [f"## Not eligible ({len(s.ineligible)})", ""]
    if not s.ineligible:
        out += ["None.", ""]
    else:
        out += ["| KOL | rule | why |", "| --- | --- | --- |"]
        for c in s.ineligible:
            for e in c.exclusions:
                rule = e.code if e.rule == "filter" else f"{e.code} {e.rule}"
                out.append(f"| {_t(c.name)} (`{_t(c.id)}`) | {_t(rule)} | {_t(e.message)} |")
        out.append("")
    if s.notes:
        out += ["## Not checked", ""] + [f"- {_t(n)}" for n in s.notes] + [""]
    if s.skipped:
        out += ["## Plans left out", ""]
        out += [f"- `{_t(p.path)}`: {p.errors} reading or schema error{'' if p.errors == 1 else 's'} "
                f"({', '.join(p.codes)})" for p in s.skipped] + [""]
    out += ["## Weights", "", "| reason | points | when |", "| --- | --- | --- |"]
    out += [f"| {k} | {signed(w.points)} | {_t(w.why)} |" for k, w in WEIGHTS.items()]
    return "\n".join(out) + "\n"


def _command(s: Shortlist) -> str:
    """The command that gives this list again (the same portfolio and ``--as-of``)."""
    r = s.request
    parts = ["kolplan shortlist", "--for", r.type, "--topic", _quote(r.topic)]
    for flag, vals in (("--ta", r.tas), ("--tier", r.tiers), ("--country", r.countries)):
        for v in vals:
            parts += [flag, _quote(v)]
    parts += ["--date", r.date.isoformat()]
    if r.hours is not None:
        parts += ["--hours", f"{r.hours:g}"]
    if r.compensation is not None:
        parts += ["--compensation", f"{r.compensation:g}"]
    if r.by:
        parts += ["--by", r.by]
    parts += ["--size", str(r.size), "--as-of", r.as_of.isoformat()]
    return clean(" ".join(parts)).replace("`", "'")


def _quote(text: str) -> str:
    if text and all(c.isalnum() or c in "-_.,/" for c in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"
