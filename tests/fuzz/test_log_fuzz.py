"""Fuzzing ``kolplan log``: any valid plan file plus any interaction round-trips byte for
byte, except for the appended entry (SPEC 5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.strategies import free_text
from tests.helpers import AS_OF, VALID_PLAN, data_of, run

REL = "plans/jane-okafor.yaml"
_INTERACTIONS = VALID_PLAN[VALID_PLAN.index("interactions:\n"):VALID_PLAN.index("feedback:\n")]
_ITEMS = _INTERACTIONS.removeprefix("interactions:\n")


@st.composite
def valid_plan_files(draw: st.DrawFn) -> bytes:
    """VALID_PLAN written the many ways people write YAML, all of them valid plans."""
    text = VALID_PLAN
    where = draw(st.sampled_from(["as-is", "missing", "empty-list", "null", "at-end", "indent-0", "indent-4",
                                  "comment-after", "blank-lines-after", "two-items"]))
    if where == "missing":
        text = text.replace(_INTERACTIONS, "")
    elif where == "empty-list":
        text = text.replace(_INTERACTIONS, "interactions: []\n")
    elif where == "null":
        text = text.replace(_INTERACTIONS, "interactions:\n")
    elif where == "at-end":
        text = text.replace(_INTERACTIONS, "") + _INTERACTIONS
    elif where == "indent-0":
        text = text.replace(_ITEMS, "".join(line[2:] + "\n" for line in _ITEMS.splitlines()))
    elif where == "indent-4":
        text = text.replace(_ITEMS, "".join("  " + line + "\n" for line in _ITEMS.splitlines()))
    elif where == "comment-after":
        text = text.replace(_INTERACTIONS, _INTERACTIONS + "  # more to come\n")
    elif where == "blank-lines-after":
        text = text.replace(_INTERACTIONS, _INTERACTIONS + "\n\n")
    elif where == "two-items":
        text = text.replace(_INTERACTIONS, _INTERACTIONS + _ITEMS.replace("2026-06-01", "2026-06-02"))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no final line break
    if draw(st.booleans()):
        text = text + ("\r\n" if "\r\n" in text else "\n") + "# end of plan"
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if draw(st.booleans()) else data


@given(valid_plan_files(), st.sampled_from(["a.chen", "r.patel", "c.jones", "m.diaz"]),
       st.sampled_from(["in-person", "virtual", "phone", "email", "congress", "other"]), free_text,
       st.lists(free_text, max_size=3),
       st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date.fromisoformat(AS_OF)))
def test_log_round_trips(fuzz_repo: Path, old: bytes, by: str, channel: str, summary: str, insights: list[str],
                         when: dt.date) -> None:
    path = fuzz_repo / REL
    path.write_bytes(old)
    args = ["log", "jane-okafor", f"--by={by}", f"--channel={channel}", f"--summary={summary}",
            f"--date={when.isoformat()}", *(f"--insight={i}" for i in insights)]
    res = run(*args, "--repo", str(fuzz_repo), "--as-of", AS_OF)
    assert res.code == 0, (res.code, res.err)
    new = path.read_bytes()

    # Every byte of the old file is still there, in order: the change is one insertion
    # (after dropping an empty `[]`, the one value a block item cannot follow).
    kept = old.replace(b"interactions: []", b"interactions:", 1)
    head = 0
    while head < len(kept) and kept[head] == new[head]:
        head += 1
    assert new.endswith(kept[head:]), (kept, new)
    inserted = new[head:len(new) - (len(kept) - head)]
    endings = b"\r\n" if b"\r\n" in old else b"\n"
    assert inserted.count(endings) >= 4  # one line per field, in the file's own line endings
    assert b"\r" not in inserted.replace(endings, b"") and b"\n" not in inserted.replace(endings, b"")

    # Reading it back gives the old data plus exactly the new entry.
    before, after = data_of(old), data_of(new)
    entry = after["interactions"][-1]
    expected: dict[str, Any] = {"date": when, "by": by, "channel": channel, "summary": summary}
    if insights:
        expected["insights"] = insights
    assert entry == expected
    after["interactions"] = after["interactions"][:-1]
    if before.get("interactions") is None:  # the key was missing, or empty: it holds only the new entry
        assert after["interactions"] == []
        if "interactions" in before:
            after["interactions"] = None
        else:
            del after["interactions"]
    assert after == before
