"""Fuzzing ``kolplan import`` (issue 17, "Bad input"): random bytes, random encodings and
delimiters, ragged rows, 1 MiB fields, formulas. Whatever the file, never a traceback: either
a clean refusal (exit 1 or 2) with the repository as it was, or files that validate with no
error, whose values are the file's text as written."""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.helpers import AS_OF, VALID_PLAN, diagnostics, run, snapshot

# Each example runs a whole import (and validate when it wrote): fewer than the other fuzz tests
# in the suite; KOLPLAN_FUZZ=long runs the profile's count.
SUITE = settings(max_examples=40) if os.environ.get("KOLPLAN_FUZZ") != "long" else settings()
HEADERS = ["name", "Full Name", "First Name", "Surname", "institution", "Affiliation", "country", "NPI", "Email",
           "orcid", "Veeva ID", "tier", "Specialty", "lead", "Notes", "", "name"]
CELLS = st.one_of(
    st.sampled_from(["Jane Okafor", "Okafor, Jane", "Ada Obi", "Dr. Åsa Lindqvist", "O'Brien, Siobhán", "x", "",
                     "University Hospital Example", "GB", "United Kingdom", "Narnia", "us", "1234567893",
                     "1234567890", "0000-0002-1825-0097", "a@example.org", "j.okafor@example.org", "V-248113",
                     "national", "Rising", "oncology|cardiology", "a.chen", "r.patel", "nobody",
                     "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3", '=HYPERLINK("x")',
                     "line one\nline two", "quote \" inside", "semi;colon", "tab\there", "\x00nul", "\u202eevil",
                     "\ufeffbom"]),
    st.text(max_size=30),
    st.just("x" * (1024 * 1024)),  # a 1 MiB field
)


GOOD: dict[str, st.SearchStrategy[str]] = {
    "Name": st.sampled_from(["Jane Okafor", "Okafor, Jane", "Ada Obi", "Dr. Åsa Lindqvist", "O'Brien, Siobhán",
                             "=cmd|' /C calc'!A0", "Zoë  \n Ng", "@SUM(1+1)"]),
    "Institution": st.sampled_from(["University Hospital Example", "Royal Infirmary", "St. Mary's", "=1+1",
                                    "Clinique\nde Valmont"]),
    "Country": st.sampled_from(["GB", "us", "Germany", "United Kingdom", "Korea, Republic of"]),
    "NPI": st.sampled_from(["1234567893", "1472583693", ""]),
    "Email": st.sampled_from(["a@example.org", "j.okafor@example.org", "B@Example.org", ""]),
    "ORCID": st.sampled_from(["0000-0002-1825-0097", "https://orcid.org/0000-0001-5109-3700", ""]),
    "Veeva ID": st.sampled_from(["V-248113", "V-1", "V-2", "0012345", "=HYPERLINK(\"x\")", ""]),
    "Tier": st.sampled_from(["national", "Rising", "GLOBAL", ""]),
    "Specialty": st.sampled_from(["oncology|cardiology", "Oncology; Haematology", "", "=A1"]),
    "Lead": st.sampled_from(["a.chen", "r.patel", "Raj Patel", ""]),
    "Notes": st.text(max_size=20),
}


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV export: mostly the columns kolplan imports with plausible values (so that plans are
    written and validated), mixed with random headers and cells, ragged rows, 1 MiB fields and
    formulas; a random delimiter, quoting, line endings and encoding."""
    known = draw(st.lists(st.sampled_from(sorted(GOOD)), max_size=8, unique=True))
    header = (["Name"] if draw(st.booleans()) or "Name" not in known else []) + known
    header += draw(st.lists(st.one_of(st.sampled_from(HEADERS), st.text(max_size=12)), max_size=2))
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = [draw(st.one_of(GOOD[h], CELLS) if draw(st.integers(0, 4)) == 0 else GOOD[h]) if h in GOOD
               else draw(CELLS) for h in header]
        if draw(st.integers(0, 5)) == 0:  # ragged
            row = row[:draw(st.integers(0, len(row)))] + draw(st.lists(CELLS, max_size=2))
        rows.append(row)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([",", ";", "\t"])),
                        lineterminator=draw(st.sampled_from(["\n", "\r\n"])),
                        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
    writer.writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return out.getvalue().encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def import_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("import-fuzz") / "repo"
    from tests.helpers import make_repo

    yield make_repo(root, {"jane-okafor.yaml": VALID_PLAN})


def _check(root: Path, data: bytes, tmp: Path, stats: bool = True) -> None:
    export = tmp / "export.csv"
    export.write_bytes(data)
    before = snapshot(root)
    try:
        res = run("import", str(export), "--skip-bad", "--lead", "a.chen", "--as-of", AS_OF, "--repo", str(root))
        assert "Traceback" not in res.err and "internal error" not in res.err, res.err
        assert res.code in (0, 1, 2), (res.code, res.err)
        if res.code == 2:
            assert snapshot(root) == before
            assert len(res.err.splitlines()) == 1
        changed = {p for p, b in snapshot(root).items() if before.get(p) != b}
        if stats:
            event(f"exit {res.code}" + (", files written" if changed else ""))
        if changed:
            errors = [d for d in diagnostics(root) if d["severity"] == "error"]
            assert errors == [], (errors, data[:300])
    finally:  # the next example starts from the same repository
        for rel in list(snapshot(root)):
            if rel.startswith("plans/") and rel != "plans/jane-okafor.yaml":
                (root / rel).unlink()
        (root / "plans" / "jane-okafor.yaml").write_text(VALID_PLAN, encoding="utf-8")
        shutil.rmtree(root / ".kolplan", ignore_errors=True)


@SUITE
@given(data=st.binary(max_size=3000))
def test_random_bytes(import_repo: Path, tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    _check(import_repo, data, tmp_path_factory.getbasetemp())


@SUITE
@given(data=csv_files())
def test_random_exports(import_repo: Path, tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    _check(import_repo, data, tmp_path_factory.getbasetemp())


def test_a_formula_reads_back_as_the_text_written(import_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    formula = "@SUM(1+1)*cmd|' /C calc'!A0"
    data = f"name,institution,crm_id\n\"{formula}\",Somewhere,\"=1+1\"\n".encode()
    export = tmp_path_factory.getbasetemp() / "formula.csv"
    export.write_bytes(data)
    res = run("import", str(export), "--lead", "a.chen", "--as-of", AS_OF, "--repo", str(import_repo))
    try:
        assert res.code == 0, res.err
        from tests.helpers import data_of

        plan = next(p for p in (import_repo / "plans").glob("*.yaml") if p.name != "jane-okafor.yaml")
        kol = data_of(plan)["kol"]
        assert kol["name"] == formula and kol["identifiers"]["crm_id"] == "=1+1"
    finally:
        _check(import_repo, b"", tmp_path_factory.getbasetemp(), stats=False)
