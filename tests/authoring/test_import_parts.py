"""The parts of `kolplan import` one by one: decoding and sniffing, header recognition, row
values, country names, plan ids, and writing many new files at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kolplan.authoring.csvimport.columns import ALIASES, FIELDS, header_key, resolve
from kolplan.authoring.csvimport.reading import decode, read_table, sniff_delimiter
from kolplan.authoring.csvimport.rows import full_name
from kolplan.authoring.csvimport.writing import plan_id_for
from kolplan.errors import RefusedError, UsageError
from kolplan.schema.countries import country_code
from kolplan.yamlio.atomic import write_new_files


# -- reading ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("data", "text", "name"), [
    (b"name\nJos\xc3\xa9\n", "name\nJosé\n", "UTF-8"),
    (b"\xef\xbb\xbfname\n", "name\n", "UTF-8 with BOM"),
    ("name\nJosé\n".encode("utf-16"), "name\nJosé\n", "UTF-16 with BOM"),
    (b"name\nJos\xe9 \x80\n", "name\nJosé €\n", "Windows-1252"),  # not UTF-8: é and € as Windows writes them
])
def test_decode(data: bytes, text: str, name: str) -> None:
    assert decode(data, "f.csv") == (text, name)


@pytest.mark.parametrize("data", [b"name\n\x81\x8d", "name".encode("utf-16-le"), b"\xef\xbb\xbfname\xff"])
def test_not_text_is_refused(data: bytes) -> None:
    # 0x81 and 0x8D are not Windows-1252; UTF-16 without a BOM has NULs; a BOM then bytes that are not UTF-8
    with pytest.raises(UsageError, match="is not text kolplan can read"):
        decode(data, "f.csv")


@pytest.mark.parametrize(("text", "delimiter"), [
    ("name,email\nA,b\n", ","), ("name;email\n\"Okafor, Jane\";b\n", ";"), ("name\temail\nA,B\tc\n", "\t"),
    ("name\nJane\n", ","),  # one column: no delimiter to find
    ("name;institution\n\"A, B\";\"C, D\"\n", ";"),  # commas inside quotes are not the delimiter
])
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"name,note\r\n\"A\",\"two\r\nlines\"\r\n\r\nB,x\r\n")
    table = read_table(path)
    assert table.rows == [(1, ["name", "note"]), (2, ["A", "two\r\nlines"]), (3, []), (4, ["B", "x"])]


def test_a_field_over_the_csv_modules_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name,note\nA," + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    assert len(read_table(path).rows[1][1][1]) == 1024 * 1024


# -- columns ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("header", "field"), [
    ("Name", "name"), ("first_name", "first_name"), ("Given Name", "first_name"), ("SURNAME", "last_name"),
    ("Primary Parent", "institution"), ("Organisation", "institution"), ("Affiliation", "institution"),
    ("VeevaID__v", "crm_id"), ("Veeva ID", "crm_id"), ("OneKey ID", "crm_id"), ("CRM-ID", "crm_id"),
    ("E-mail Address", "email"), ("ORCID iD", "orcid"), ("Therapeutic Areas", "therapeutic_areas"),
    ("Specialty", "therapeutic_areas"), ("KOL Tier", "tier"), ("Lead", "lead"), ("NPI", "npi"),
])
def test_header_aliases(header: str, field: str) -> None:
    assert ALIASES[header_key(header)] == field


def test_every_field_is_its_own_alias() -> None:
    assert all(ALIASES[header_key(f)] == f for f in FIELDS)


def test_resolve_lists_unknown_columns() -> None:
    columns = resolve(["Name", "Notes", "", "Email"], {}, "f.csv")
    assert columns.index == {"name": 0, "email": 3} and columns.ignored == ["Notes"]


def test_first_and_last_name_are_a_name() -> None:
    assert resolve(["Surname", "Forename"], {}, "f.csv").index == {"last_name": 0, "first_name": 1}
    with pytest.raises(UsageError, match="no column holds the KOL's name"):
        resolve(["Surname", "Email"], {}, "f.csv")


# -- rows -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("cells", "name"), [
    ({"name": "Okafor, Jane"}, "Jane Okafor"),
    ({"name": "Okafor, Jane, MD"}, "Jane Okafor, MD"),
    ({"name": "  Jane \n Okafor "}, "Jane Okafor"),
    ({"name": "", "first_name": "Jane", "last_name": "Okafor"}, "Jane Okafor"),
    ({"first_name": "Jane", "last_name": ""}, "Jane"),
    ({"name": ", Jane"}, ", Jane"),  # no last name before the comma: kept as written
])
def test_full_name(cells: dict[str, str], name: str) -> None:
    assert full_name(cells) == name


@pytest.mark.parametrize(("text", "code"), [
    ("GB", "GB"), ("gb", "GB"), ("UK", "GB"), ("United Kingdom", "GB"), ("united states of america", "US"),
    ("Korea, Republic of", "KR"), ("Republic of Korea", "KR"), ("South Korea", "KR"), ("Côte d'Ivoire", "CI"),
    ("Deutschland", "DE"), ("Narnia", None), ("", None),
])
def test_country_code(text: str, code: str | None) -> None:
    assert country_code(text) == code


# -- plan ids ---------------------------------------------------------------------------------------
def test_plan_ids_from_names_are_unique() -> None:
    taken = {"jane-okafor"}
    assert plan_id_for("Prof. Dr. Jane Okafor", taken) == "jane-okafor-2"
    assert plan_id_for("Jane Okafor", taken) == "jane-okafor-3"
    assert plan_id_for("José Martínez-Ruiz", taken) == "jose-martinez-ruiz"
    assert plan_id_for("李明", taken) == "kol"  # nothing a slug can hold
    assert plan_id_for("=cmd|' /C calc'!A0", taken) == "cmd-calc-a0"
    long = plan_id_for("a" * 100, taken)
    assert len(long) == 64 and plan_id_for("a" * 100, taken) == "a" * 62 + "-2"


# -- writing many new files ---------------------------------------------------------------------------
def test_write_new_files(tmp_path: Path) -> None:
    files: list[tuple[Path, bytes | str]] = [(tmp_path / "plans" / f"p{i}.yaml", f"id: p{i}\n") for i in range(3)]
    assert write_new_files(files, root=tmp_path) == 3
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["p0.yaml", "p1.yaml", "p2.yaml"]


def test_write_new_files_never_overwrites_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "p1.yaml").write_text("mine\n", encoding="utf-8")
    files: list[tuple[Path, bytes | str]] = [(tmp_path / "plans" / f"p{i}.yaml", "new\n") for i in range(3)]
    with pytest.raises(RefusedError) as exc:
        write_new_files(files, root=tmp_path)
    assert exc.value.message.endswith("p1.yaml already exists: kolplan does not overwrite it; 0 of 3 new files "
                                      "were written")
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["p1.yaml"]
    assert (tmp_path / "plans" / "p1.yaml").read_text(encoding="utf-8") == "mine\n"


def test_write_new_files_stays_inside_the_root(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="outside the repository"):
        write_new_files([(tmp_path / ".." / "x.yaml", "x\n")], root=tmp_path)


def test_plans_rendered_together_are_the_plans_rendered_one_by_one(tmp_path: Path) -> None:
    """render_many (one bounded child for a batch) gives what render_template gives for each."""
    import datetime as dt

    from kolplan.authoring.csvimport.writing import render_new
    from kolplan.authoring.scaffold import NewPlan, render_plan
    from kolplan.repo.root import open_repo
    from tests.helpers import make_repo

    repo = open_repo(make_repo(tmp_path / "repo"))
    day = dt.date(2026, 6, 15)
    requests = [NewPlan("ada-obi", "Ada Obi", "a.chen", "Royal Infirmary", "rising", ["oncology"], "GB",
                        {"email": "ada@example.org"}, day),
                NewPlan("li-wei", "Li Wei", "r.patel", as_of=day)]
    assert render_new(repo, requests) == [render_plan(repo, r)[0] for r in requests]
