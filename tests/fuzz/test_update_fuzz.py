"""Fuzzing ``kolplan update``: valid plans with their activities, objectives and governance written
many ways, times random updates: the file reads back as the old data with exactly the intended
change, and every byte outside the changed values and the added keys is kept (SPEC 10)."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import AS_OF, VALID_PLAN, data_of, run

REL = "plans/jane-okafor.yaml"
_ACTS = VALID_PLAN[VALID_PLAN.index("  activities:\n"):VALID_PLAN.index("  governance:\n")]
_OBJS = VALID_PLAN[VALID_PLAN.index("  objectives:\n"):VALID_PLAN.index("  activities:\n")]
_GOV = VALID_PLAN[VALID_PLAN.index("  governance:\n"):VALID_PLAN.index("  satisfaction:\n")]
_ACT_KEYS = ("id", "type", "title", "objectives", "owner", "date", "status", "hours", "compensation")
_ACTIVITY = {"id": "A{n}", "type": "consulting", "title": "Call {n}", "objectives": "[O1]", "owner": "a.chen"}
_STATUSES = ("planned", "done", "cancelled")
_OBJ_STATUSES = ("not-started", "on-track", "at-risk", "achieved", "missed", "dropped")
_dates = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date.fromisoformat(AS_OF))


def _value(draw: st.DrawFn, text: str, plain_only: bool = False) -> str:
    """``text`` as a value, maybe quoted (strings only), maybe with a comment after it."""
    if not plain_only and draw(st.booleans()):
        q = draw(st.sampled_from(["'", '"']))
        text = f"{q}{text}{q}"
    return text


@st.composite
def _activity(draw: st.DrawFn, n: int, indent: int, dash_gap: int) -> str:
    status = draw(st.sampled_from(_STATUSES))
    fields: list[tuple[str, str]] = [(k, v.format(n=n)) for k, v in _ACTIVITY.items()]
    if status != "planned" or draw(st.booleans()):
        fields.append(("date", draw(_dates).isoformat()))
    fields.append(("status", _value(draw, status)))
    if draw(st.booleans()):
        fields.append(("hours", str(draw(st.integers(0, 40)))))
    if draw(st.booleans()):
        fields.append(("compensation", draw(st.sampled_from(["0", "1600", "1250.5"]))))
    if draw(st.booleans()):
        fields = [fields[0], *draw(st.permutations(fields[1:]))]
    pad = " " * indent
    if draw(st.booleans()):  # flow: `- {id: A1, ...}`, maybe with a comment after it
        comment = draw(st.sampled_from(["", "  # flow"]))
        return f"{pad}-{' ' * dash_gap}{{" + ", ".join(f"{k}: {v}" for k, v in fields) + "}" + comment + "\n"
    body = " " * (indent + 1 + dash_gap)
    lines = []
    for i, (k, v) in enumerate(fields):
        comment = draw(st.sampled_from(["", "", "   # note", "  # x: y"]))
        lead = f"{pad}-{' ' * dash_gap}" if i == 0 else body
        lines.append(f"{lead}{k}: {v}{comment}\n")
    return "".join(lines)


@st.composite
def valid_plan_files(draw: st.DrawFn) -> bytes:
    """VALID_PLAN with random activities, objectives' statuses quoted or not, governance written
    or missing, in many layouts; all valid plans as of AS_OF."""
    indent = draw(st.sampled_from([2, 4]))
    dash_gap = draw(st.sampled_from([1, 3]))
    acts = "".join(draw(_activity(n, indent, dash_gap)) for n in range(1, draw(st.integers(1, 4)) + 1))
    text = VALID_PLAN.replace(_ACTS, "  activities:\n" + acts)
    if draw(st.booleans()):
        text = text.replace("      status: on-track\n", "      status: \"on-track\"  # as of May\n")
    gov = draw(st.sampled_from(["as-is", "missing", "no-next-review", "flow", "flow-no-next-review"]))
    if gov == "missing":
        text = text.replace(_GOV, "")
    elif gov == "no-next-review":
        text = text.replace("    next_review: 2026-07-01\n", "")
    elif gov == "flow":
        text = text.replace(_GOV, "  governance: {review_cadence: quarterly, next_review: 2026-07-01}\n")
    elif gov == "flow-no-next-review":
        text = text.replace(_GOV, "  governance: {review_cadence: quarterly}  # reviewed with Medical\n")
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if draw(st.booleans()) else data


@st.composite
def updates(draw: st.DrawFn) -> list[str]:
    kind = draw(st.sampled_from(["activity", "objective", "review"]))
    if kind == "objective":
        return ["--objective", "O1", "--status", draw(st.sampled_from(_OBJ_STATUSES))]
    if kind == "review":
        return ["--next-review", draw(st.dates(dt.date(2026, 1, 1), dt.date(2028, 1, 1))).isoformat()]
    args = ["--activity", f"A{draw(st.integers(1, 4))}"]
    if draw(st.booleans()):
        args += ["--status", draw(st.sampled_from(_STATUSES))]
    if draw(st.booleans()):
        args += ["--date", draw(_dates).isoformat()]
    if draw(st.booleans()):
        args += ["--hours", draw(st.sampled_from(["0", "3", "2.5"]))]
    if draw(st.booleans()) or len(args) == 2:
        args += ["--compensation", draw(st.sampled_from(["0", "900", "1750.25"]))]
    return args


def _intended(before: dict[str, Any], args: list[str]) -> tuple[dict[str, Any] | None, tuple[Any, ...]]:
    """The data the file must read back as (None: the update must be refused), and the changed mapping's path."""
    want = copy.deepcopy(before)
    opts = dict(zip(args[::2], args[1::2], strict=True))
    plan = want["plan"]
    if "--next-review" in opts:
        plan.setdefault("governance", {})["next_review"] = dt.date.fromisoformat(opts["--next-review"])
        return want, ("plan", "governance")
    if "--objective" in opts:
        plan["objectives"][0]["status"] = opts["--status"]
        return want, ("plan", "objectives", 0)
    ids = [a["id"] for a in plan["activities"]]
    if opts["--activity"] not in ids:
        return None, ()
    i = ids.index(opts["--activity"])
    act = plan["activities"][i]
    if "--status" in opts:
        act["status"] = opts["--status"]
    if "--date" in opts:
        act["date"] = dt.date.fromisoformat(opts["--date"])
    elif act["status"] != "planned" and act.get("date") is None:
        act["date"] = dt.date.fromisoformat(AS_OF)
    for opt, key in (("--hours", "hours"), ("--compensation", "compensation")):
        if opt in opts:
            act[key] = float(opts[opt]) if "." in opts[opt] else int(opts[opt])
    return want, ("plan", "activities", i)


_CHANGED = re.compile(r"(next_review|date|status|hours|compensation|governance):( [^,}#\r\n]*)?")


def _norm(lines: list[str]) -> str:
    """Lines without the changed keys and their values, commas, braces and blanks: what must not change."""
    return re.sub(r"[\s,{}]", "", _CHANGED.sub("", "".join(lines)))


def _only_the_change(old: bytes, new: bytes, path: tuple[Any, ...]) -> None:
    """Lines are kept byte for byte (line endings included) but those of the changed mapping, and
    those differ only in the values of the changed keys and in added ``key: value`` text."""
    from kolplan.yamlio.document import Document
    from kolplan.yamlio.reader import read_bytes

    doc = read_bytes(old)
    assert isinstance(doc, Document)
    found = doc.locate(path if doc.locate(path).complete else path[:-1])
    first, last = found.node.start_mark.line, found.node.end_mark.line
    o_lines = old.decode("utf-8").splitlines(keepends=True)
    n_lines = new.decode("utf-8").splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, o_lines, n_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        assert first <= i1 and i2 <= last + 1, (op, o_lines[i1:i2], n_lines[j1:j2], first, last)
        assert _norm(o_lines[i1:i2]) == _norm(n_lines[j1:j2]), (o_lines[i1:i2], n_lines[j1:j2])


@given(valid_plan_files(), updates())
def test_update_changes_exactly_what_it_says(fuzz_repo: Path, old: bytes, args: list[str]) -> None:
    path = fuzz_repo / REL
    path.write_bytes(old)
    before = data_of(old)
    want, where = _intended(before, args)
    res = run("update", "jane-okafor", *args, "--repo", str(fuzz_repo), "--as-of", AS_OF)
    new = path.read_bytes()
    if want is None:
        assert res.code == 2 and "no activity with that id" in res.err, (res.code, res.err)
        assert new == old
        return
    assert res.code == 0, (res.code, res.err, args)
    assert data_of(new) == want
    _only_the_change(old, new, where)
    if want == before:
        assert new == old
