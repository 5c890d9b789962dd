"""Fuzzing ``kolplan score`` and ``kolplan feedback``: any valid plan file plus any entry
round-trips byte for byte, except for the appended entry (SPEC 10)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.strategies import free_text
from tests.helpers import AS_OF, VALID_PLAN, data_of, run

REL = "plans/jane-okafor.yaml"
_SAT = VALID_PLAN[VALID_PLAN.index("  satisfaction:\n"):VALID_PLAN.index("interactions:\n")]
_SAT_ITEMS = _SAT.removeprefix("  satisfaction:\n")
_FB = VALID_PLAN[VALID_PLAN.index("feedback:\n"):VALID_PLAN.index("custom: {}\n")]
_FB_ITEMS = _FB.removeprefix("feedback:\n")


def _variant(draw: st.DrawFn, text: str, section: str, key_line: str, items: str) -> str:
    bare = key_line.rstrip("\n")
    where = draw(st.sampled_from(["as-is", "missing", "empty-list", "null", "indent-dash-less", "indent-4",
                                  "comment-after", "blank-lines-after", "flow-items"]))
    if where == "missing":
        return text.replace(section, "")
    if where == "empty-list":
        return text.replace(section, f"{bare} []\n")
    if where == "null":
        return text.replace(section, key_line)
    if where == "indent-dash-less":
        return text.replace(items, "".join(line[2:] + "\n" for line in items.splitlines()))
    if where == "indent-4":
        return text.replace(items, "".join("  " + line + "\n" for line in items.splitlines()))
    if where == "comment-after":
        return text.replace(section, section + "  # more to come\n")
    if where == "blank-lines-after":
        return text.replace(section, section + "\n\n")
    if where == "flow-items":
        lines = [line.strip().removeprefix("- ") for line in items.splitlines()]
        dash = items[:items.index("-")]
        return text.replace(section, key_line + dash + "- {" + ", ".join(lines) + "}\n")
    return text


@st.composite
def valid_plan_files(draw: st.DrawFn) -> bytes:
    """VALID_PLAN with its satisfaction and feedback lists written many ways, all valid plans."""
    text = _variant(draw, VALID_PLAN, _SAT, "  satisfaction:\n", _SAT_ITEMS)
    text = _variant(draw, text, _FB, "feedback:\n", _FB_ITEMS)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    if draw(st.booleans()):
        text = text + ("\r\n" if "\r\n" in text else "\n") + "# end of plan"
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if draw(st.booleans()) else data


_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date.fromisoformat(AS_OF))


def _one_insertion(old: bytes, new: bytes, key: bytes) -> None:
    """Every byte of the old file is still there, in order: the change is one insertion
    (after dropping an empty ``[]``, the one value a block item cannot follow)."""
    kept = old.replace(key + b" []", key, 1)
    head = 0
    while head < len(kept) and kept[head] == new[head]:
        head += 1
    assert new.endswith(kept[head:]), (kept, new)
    inserted = new[head:len(new) - (len(kept) - head)]
    endings = b"\r\n" if b"\r\n" in old else b"\n"
    assert b"\r" not in inserted.replace(endings, b"") and b"\n" not in inserted.replace(endings, b"")


@given(valid_plan_files(), st.integers(0, 10), st.sampled_from([None, "survey", "interview", "other"]), _dates)
def test_score_round_trips(fuzz_repo: Path, old: bytes, score: int, source: str | None, when: dt.date) -> None:
    path = fuzz_repo / REL
    path.write_bytes(old)
    res = run("score", "jane-okafor", str(score), f"--date={when.isoformat()}",
              *([f"--source={source}"] if source else []), "--repo", str(fuzz_repo), "--as-of", AS_OF)
    assert res.code == 0, (res.code, res.err)
    new = path.read_bytes()
    _one_insertion(old, new, b"satisfaction:")
    before, after = data_of(old), data_of(new)
    expected: dict[str, Any] = {"date": when, "score": score}
    if source:
        expected["source"] = source
    assert after["plan"]["satisfaction"][-1] == expected
    rest = after["plan"]["satisfaction"][:-1]
    if before["plan"].get("satisfaction") is None:
        assert rest == []
        if "satisfaction" in before["plan"]:
            after["plan"]["satisfaction"] = None
        else:
            del after["plan"]["satisfaction"]
    else:
        after["plan"]["satisfaction"] = rest
    assert after == before


@given(valid_plan_files(), free_text, _dates)
def test_feedback_round_trips(fuzz_repo: Path, old: bytes, summary: str, when: dt.date) -> None:
    path = fuzz_repo / REL
    path.write_bytes(old)
    res = run("feedback", "jane-okafor", f"--summary={summary}", f"--date={when.isoformat()}",
              "--repo", str(fuzz_repo), "--as-of", AS_OF)
    assert res.code == 0, (res.code, res.err)
    new = path.read_bytes()
    _one_insertion(old, new, b"feedback:")
    before, after = data_of(old), data_of(new)
    assert after["feedback"][-1] == {"date": when, "summary": summary}
    rest = after["feedback"][:-1]
    if before.get("feedback") is None:
        assert rest == []
        if "feedback" in before:
            after["feedback"] = None
        else:
            del after["feedback"]
    else:
        after["feedback"] = rest
    assert after == before
