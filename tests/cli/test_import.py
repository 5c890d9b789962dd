"""`kolplan import FILE.csv` end to end (SPEC 11): new plans as `new` writes them, completion
that never overwrites, conflicts and possible duplicates reported, all or nothing, every
refusal with its exit code, its message and the tree byte for byte as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import VALID_PLAN, data_of, diagnostics, make_repo, run, snapshot

AS_OF = "2026-06-15"
HEADER = "name,institution,country,npi,email,orcid,crm_id,tier,therapeutic_areas,lead\n"
# Jane Okafor of VALID_PLAN (tests/helpers.py) without her ORCID and email: an import may add them.
JANE_PARTIAL = VALID_PLAN.replace("    orcid: 0000-0002-1825-0097\n", "").replace(
    "    email: j.okafor@example.org\n", "")
# ... and with no identifiers at all: only her name and institution can find her.
JANE_IDS = VALID_PLAN[VALID_PLAN.index("    crm_id:"):VALID_PLAN.index("  tier:")]
JANE_NO_IDS = VALID_PLAN[:VALID_PLAN.index("  identifiers:\n")] + VALID_PLAN[VALID_PLAN.index("  tier:"):]
NEW_ROWS = ("Amara Balogun,Northgate University Hospital,GB,,a.balogun@northgate.example.org,,,national,"
            "oncology,a.chen\n"
            "Hugo Lindgren,Fjordvik University Hospital,Norway,,,,V-9001,Regional,cardiology;nephrology,r.patel\n")


def csv_file(tmp_path: Path, content: str | bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def imp(root: Path, path: Path, *args: str, as_of: str = AS_OF) -> tuple[int, str, str]:
    res = run("import", str(path), *args, "--as-of", as_of, "--repo", str(root))
    assert "Traceback" not in res.err
    return res.code, res.out, res.err


def errors(root: Path) -> list[dict[str, object]]:
    return [d for d in diagnostics(root) if d["severity"] == "error"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"jane-okafor.yaml": VALID_PLAN})


# -- new plans ----------------------------------------------------------------------------------
def test_new_rows_become_plans_that_validate(root: Path, tmp_path: Path) -> None:
    code, out, err = imp(root, csv_file(tmp_path, HEADER + NEW_ROWS))
    assert code == 0, (out, err)
    assert "row 2: created plans/amara-balogun.yaml (lead a.chen)" in out
    assert "row 3: created plans/hugo-lindgren.yaml (lead r.patel)" in out
    assert out.endswith("summary: 2 created, 0 refused\n")
    hugo = data_of(root / "plans" / "hugo-lindgren.yaml")["kol"]
    assert hugo["country"] == "NO" and hugo["tier"] == "regional"  # an English name, a tier in any case
    assert hugo["therapeutic_areas"] == ["cardiology", "nephrology"] and hugo["identifiers"] == {"crm_id": "V-9001"}
    assert errors(root) == []


def test_a_new_plan_is_written_as_new_writes_it(root: Path, tmp_path: Path) -> None:
    code, _, _ = imp(root, csv_file(tmp_path, HEADER + NEW_ROWS))
    assert code == 0
    other = make_repo(tmp_path / "other")
    res = run("new", "amara-balogun", "--name", "Amara Balogun", "--lead", "a.chen", "--institution",
              "Northgate University Hospital", "--country", "GB", "--email", "a.balogun@northgate.example.org",
              "--tier", "national", "--ta", "oncology", "--as-of", AS_OF, "--repo", str(other))
    assert res.code == 0, res.err
    assert (root / "plans" / "amara-balogun.yaml").read_bytes() == (other / "plans" / "amara-balogun.yaml").read_bytes()


def test_ids_are_made_unique_against_plans_and_other_rows(root: Path, tmp_path: Path) -> None:
    # Jane Okafor at two other institutions, with identifiers of their own: two more people, so
    # jane-okafor (taken by the plan) becomes jane-okafor-2 and jane-okafor-3.
    rows = ("Dr. Jane Okafor,Riverside Medical Center,US,,jane@riverside.example.org,,,,,a.chen\n"
            "\"Okafor, Jane\",Lakeview Cancer Institute,US,,jokafor@lakeview.example.org,,,,,a.chen\n")
    code, out, _ = imp(root, csv_file(tmp_path, HEADER + rows))
    assert code == 0, out
    assert "row 2: created plans/jane-okafor-2.yaml" in out and "row 3: created plans/jane-okafor-3.yaml" in out
    assert data_of(root / "plans" / "jane-okafor-3.yaml")["kol"]["name"] == "Jane Okafor"  # "Last, First"
    assert errors(root) == []


def test_a_formula_is_text_written_quoted_never_evaluated(root: Path, tmp_path: Path) -> None:
    formula = "=cmd|' /C calc'!A0"
    rows = f"\"{formula}\",Formula Hospital,GB,,,,\"=HYPERLINK(\"\"x\"\")\",,,a.chen\n"
    code, out, _ = imp(root, csv_file(tmp_path, HEADER + rows))
    assert code == 0, out
    plan = root / "plans" / "cmd-calc-a0.yaml"
    assert '  name: "=cmd|\' /C calc\'!A0"\n' in plan.read_text(encoding="utf-8")
    kol = data_of(plan)["kol"]
    assert kol["name"] == formula and kol["identifiers"]["crm_id"] == '=HYPERLINK("x")'
    assert errors(root) == []


# -- completing a plan -------------------------------------------------------------------------------
def test_a_shared_identifier_completes_the_plan_and_keeps_every_other_byte(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": JANE_PARTIAL})
    row = "Jane Okafor,University Hospital Example,US,,j.okafor@example.org,0000-0002-1825-0097,V-248113,,,\n"
    code, out, err = imp(root, csv_file(tmp_path, HEADER + row))
    assert code == 0, (out, err)
    assert ("row 2: completed plans/jane-okafor.yaml: added orcid 0000-0002-1825-0097, email "
            "j.okafor@example.org") in out
    assert out.endswith("summary: 0 created, 1 completed, 0 refused\n")
    npi = '    npi: "1234567893"\n'
    want = JANE_PARTIAL.replace(npi, npi + '    orcid: "0000-0002-1825-0097"\n    email: "j.okafor@example.org"\n')
    assert (root / "plans" / "jane-okafor.yaml").read_text(encoding="utf-8") == want
    assert errors(root) == []


def test_missing_profile_fields_are_added_after_the_kol_keys(tmp_path: Path) -> None:
    plan = VALID_PLAN.replace("  institution: University Hospital Example\n", "").replace("  country: US\n", "")
    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": plan})
    row = "Jane Okafor,University Hospital Example,United States,1234567893,,,,,,\n"
    code, out, _ = imp(root, csv_file(tmp_path, HEADER + row))
    assert code == 0, out
    assert "added institution University Hospital Example, country US" in out
    expectations = '  relationship_expectations: [early data access]\n'
    assert (root / "plans" / "jane-okafor.yaml").read_text(encoding="utf-8") == plan.replace(
        expectations, expectations + '  institution: "University Hospital Example"\n  country: US\n')
    assert errors(root) == []


def test_a_row_that_says_what_the_plan_says_is_up_to_date(root: Path, tmp_path: Path) -> None:
    before = snapshot(root)
    row = ("\"Okafor, Jane\",University Hospital Example,US,1234567893,J.Okafor@example.org,,V-248113,national,"
           "oncology,a.chen\n")
    code, out, err = imp(root, csv_file(tmp_path, HEADER + row))
    assert code == 0, (out, err)
    assert "row 2: up to date: plans/jane-okafor.yaml" in out
    assert out.endswith("summary: 0 created, 1 up to date, 0 refused\n")
    assert snapshot(root) == before


def test_a_disagreeing_value_is_a_conflict_left_alone(root: Path, tmp_path: Path) -> None:
    before = snapshot(root)
    row = "Jane Okafor,University Hospital Example,GB,,jane.okafor@elsewhere.example.org,,V-248113,global,,r.patel\n"
    code, out, err = imp(root, csv_file(tmp_path, HEADER + row))
    assert code == 1
    line = next(x for x in out.splitlines() if x.startswith("row 2:"))
    assert line.startswith("row 2: conflict with plans/jane-okafor.yaml: email: the plan has j.okafor@example.org, "
                           "the file jane.okafor@elsewhere.example.org; country: the plan has US, the file GB; "
                           "tier: the plan has national, the file global; lead: the plan's lead is a.chen, the "
                           "file says r.patel: left alone")
    assert "1 conflict left alone" in err
    assert snapshot(root) == before


def test_same_name_and_institution_without_a_shared_identifier_is_a_possible_duplicate(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": JANE_NO_IDS})
    before = snapshot(root)
    row = "Prof. Jane Okafor,University Hospital Example,,,,,V-1,,,a.chen\n"
    code, out, err = imp(root, csv_file(tmp_path, HEADER + row))
    assert code == 1
    assert ("row 2: possible duplicate: may already have a plan: plans/jane-okafor.yaml (lead a.chen, Field "
            "Medical) has the same name and institution and no shared identifier: not written") in out
    assert "1 possible duplicate not written" in err
    assert snapshot(root) == before


def test_a_row_matching_two_plans_is_reported_not_written(root: Path, tmp_path: Path) -> None:
    other = VALID_PLAN.replace("id: jane-okafor", "id: j-okafor").replace('    crm_id: "V-248113"\n', "").replace(
        '    npi: "1234567893"\n', "").replace("    orcid: 0000-0002-1825-0097\n", "").replace(
        "j.okafor@example.org", "jane@other.example.org")
    (root / "plans" / "j-okafor.yaml").write_text(other, encoding="utf-8")
    before = snapshot(root)
    row = "Jane Okafor,University Hospital Example,,,jane@other.example.org,,V-248113,,,\n"
    code, out, _ = imp(root, csv_file(tmp_path, HEADER + row))
    assert code == 1
    assert ("row 2: possible duplicate: matches 2 plans: plans/jane-okafor.yaml (lead a.chen, Field Medical) shares "
            "the CRM id; plans/j-okafor.yaml (lead a.chen, Field Medical) shares the email") in out
    assert snapshot(root) == before


# -- rows against each other -----------------------------------------------------------------------
def test_a_repeated_row_is_skipped(root: Path, tmp_path: Path) -> None:
    first = NEW_ROWS.splitlines()[0] + "\n"
    code, out, _ = imp(root, csv_file(tmp_path, HEADER + first + first))
    assert code == 0, out
    assert "row 3: repeated: repeats row 2: skipped" in out
    assert out.endswith("summary: 1 created, 1 repeated, 0 refused\n")


def test_two_rows_for_one_kol_that_disagree_are_bad(root: Path, tmp_path: Path) -> None:
    before = snapshot(root)
    rows = ("Amara Balogun,Northgate University Hospital,GB,,a.balogun@northgate.example.org,,,national,,a.chen\n"
            "Amara Balogun,Northgate University Hospital,GB,,A.Balogun@northgate.example.org,,,global,,a.chen\n")
    code, out, err = imp(root, csv_file(tmp_path, HEADER + rows))
    assert code == 1
    assert ("row 2: refused: rows 2 and 3 are one KOL (a shared email) but say different things: keep one row for "
            "each KOL") in out
    assert "2 rows refused, so nothing was written" in err
    assert snapshot(root) == before


def test_two_rows_that_may_be_one_kol_are_reported(root: Path, tmp_path: Path) -> None:
    rows = ("Amara Balogun,Northgate University Hospital,GB,,,,V-1,,,a.chen\n"
            "Amara Balogun,Northgate University Hospital,GB,,,0000-0002-1825-0097,,,,a.chen\n")
    code, out, _ = imp(root, csv_file(tmp_path, HEADER + rows))
    assert code == 1
    assert "row 2: possible duplicate: may be the same KOL as row 3 (same name and institution" in out
    assert "row 3: possible duplicate: may be the same KOL as row 2" in out
    assert not (root / "plans" / "amara-balogun.yaml").exists()


def test_two_rows_completing_one_plan_are_bad(root: Path, tmp_path: Path) -> None:
    rows = ("Jane Okafor,,,,,,V-248113,,,\n" "Jane Okafor,,,1234567893,,,,,,\n")
    code, out, _ = imp(root, csv_file(tmp_path, HEADER + rows))
    assert code == 1
    assert "row 2: refused: rows 2 and 3 all match plans/jane-okafor.yaml: they are one KOL" in out


# -- all or nothing, --skip-bad, --dry-run ---------------------------------------------------------------
BAD_ROWS = {
    "no-name": (",Somewhere,,,x@example.org,,,,,a.chen\n", "no name"),
    "unknown-lead": ("Ana Lopez,Somewhere,,,,,V-7,,,p.jonse\n", "lead p.jonse: not a person in kolplan.yaml people"),
    "bad-npi": ("Ana Lopez,Somewhere,US,1234567890,,,,,,a.chen\n",
                "NPI '1234567890' has a wrong check digit (expected 3 last)"),
    "bad-orcid": ("Ana Lopez,Somewhere,,,,0000-0002-1825-0096,,,,a.chen\n",
                  "ORCID '0000-0002-1825-0096' has a wrong check character (expected 7 last)"),
    "bad-email": ("Ana Lopez,Somewhere,,,ana.example.org,,,,,a.chen\n", "email 'ana.example.org' is not a valid"),
    "unknown-country": ("Ana Lopez,Somewhere,Narnia,,,,,,,a.chen\n", "country 'Narnia' is not a country kolplan knows"),
    "unknown-tier": ("Ana Lopez,Somewhere,,,,,,nationl,,a.chen\n", "tier 'nationl' is not a tier; did you mean "
                     "'national'?"),
    "no-lead": ("Ana Lopez,Somewhere,,,,,,,,\n", "no lead for the new plan: give one in a lead column, or run "
                "with --lead HANDLE"),
    "nothing-to-match-on": ("Ana Lopez,,,,,,,,,a.chen\n", "no institution and no identifier"),
    "too-long": ("Ana Lopez," + "x" * 300 + ",,,,,,,,a.chen\n", "the institution is 300 characters long"),
    "ragged": ("Ana Lopez,Somewhere,,,,,,,,a.chen,extra\n", "it has 11 cells, the header 10 columns"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_row_writes_nothing(root: Path, tmp_path: Path, case: str) -> None:
    bad, reason = BAD_ROWS[case]
    before = snapshot(root)
    code, out, err = imp(root, csv_file(tmp_path, HEADER + NEW_ROWS + bad))
    assert code == 1
    assert f"row 4: refused: {reason}" in out
    assert err == ("kolplan: error: 1 row refused, so nothing was written: fix it and import again, or run with "
                   "--skip-bad to write the other rows\n")
    assert snapshot(root) == before


def test_skip_bad_writes_the_good_rows_and_lists_the_rest(root: Path, tmp_path: Path) -> None:
    code, out, err = imp(root, csv_file(tmp_path, HEADER + NEW_ROWS + BAD_ROWS["bad-npi"][0]), "--skip-bad")
    assert code == 1
    assert "row 4: refused: NPI '1234567890'" in out and out.endswith("summary: 2 created, 1 refused\n")
    assert err == "kolplan: error: 1 row refused (not written)\n"
    assert (root / "plans" / "amara-balogun.yaml").is_file() and (root / "plans" / "hugo-lindgren.yaml").is_file()
    assert errors(root) == []


def test_lead_option_leads_rows_without_one(root: Path, tmp_path: Path) -> None:
    code, out, _ = imp(root, csv_file(tmp_path, HEADER + BAD_ROWS["no-lead"][0] + NEW_ROWS), "--lead", "m.diaz")
    assert code == 0, out
    assert "row 2: created plans/ana-lopez.yaml (lead m.diaz)" in out
    assert "row 3: created plans/amara-balogun.yaml (lead a.chen)" in out  # the row's own lead first
    assert errors(root) == []


def test_dry_run_writes_nothing_and_says_what_would_happen(root: Path, tmp_path: Path) -> None:
    before = snapshot(root)
    code, out, err = imp(root, csv_file(tmp_path, HEADER + NEW_ROWS), "--dry-run")
    assert code == 0
    assert "row 2: would create plans/amara-balogun.yaml (lead a.chen)" in out
    assert out.endswith("summary (nothing written): 2 to create, 0 refused\n")
    assert err == "kolplan: note: dry run: nothing was written\n"
    assert snapshot(root) == before


def test_summary_counts_every_kind(tmp_path: Path) -> None:
    # Hand count: row 2 completes Jane (adds her ORCID); row 3 is new; row 4 repeats row 3; row 5 is a
    # new KOL whose email is bad (refused); row 6 is Olu Ade, whose plan has another country (conflict);
    # row 7 has Jane Doe's name and institution but no shared identifier (possible duplicate); row 8 is
    # Ama Osei, as her plan has her (up to date). One of each kind.
    olu = VALID_PLAN.replace("id: jane-okafor", "id: olu-ade").replace("Jane Okafor", "Olu Ade").replace(
        JANE_IDS, '    crm_id: "V-2"\n')
    doe = JANE_NO_IDS.replace("id: jane-okafor", "id: jane-doe").replace("Jane Okafor", "Jane Doe")
    ama = VALID_PLAN.replace("id: jane-okafor", "id: ama-osei").replace("Jane Okafor", "Ama Osei").replace(
        JANE_IDS, '    crm_id: "V-3"\n')
    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": JANE_PARTIAL, "olu-ade.yaml": olu, "jane-doe.yaml": doe,
                                         "ama-osei.yaml": ama})
    rows = ("Jane Okafor,,,,,0000-0002-1825-0097,V-248113,,,\n"
            + NEW_ROWS.splitlines()[0] + "\n" + NEW_ROWS.splitlines()[0] + "\n"
            + "Ana Lopez,Somewhere,,,ana.example.org,,,,,a.chen\n"
            + "Olu Ade,,DE,,,,V-2,,,\n"
            + "Jane Doe,University Hospital Example,,,,,V-4,,,a.chen\n"
            + "Ama Osei,,,,,,V-3,national,,\n")
    code, out, _ = imp(root, csv_file(tmp_path, HEADER + rows), "--skip-bad")
    assert code == 1
    assert out.endswith("summary: 1 created, 1 completed, 1 up to date, 1 repeated, 1 conflict, 1 possible duplicate, "
                        "1 refused\n")
    assert errors(root) == []


# -- files as spreadsheets write them --------------------------------------------------------------------
ENCODED = "Name;Institution;Country;Lead\nJosé Müller;Clínica São João;PT;a.chen\n"


@pytest.mark.parametrize(("encoding", "bom", "shown"), [
    ("utf-8", b"", "UTF-8"), ("utf-8", b"\xef\xbb\xbf", "UTF-8 with BOM"),
    ("utf-16-le", b"\xff\xfe", "UTF-16 with BOM"),
    ("utf-16-be", b"\xfe\xff", "UTF-16 with BOM"), ("cp1252", b"", "Windows-1252"),
])
def test_encodings(root: Path, tmp_path: Path, encoding: str, bom: bytes, shown: str) -> None:
    code, out, _ = imp(root, csv_file(tmp_path, bom + ENCODED.replace("\n", "\r\n").encode(encoding)))
    assert code == 0, out
    assert out.startswith(f"{tmp_path.as_posix()}/export.csv: 1 row of KOLs, {shown}, semicolon-separated\n")
    kol = data_of(root / "plans" / "jose-muller.yaml")["kol"]
    assert (kol["name"], kol["institution"]) == ("José Müller", "Clínica São João")


@pytest.mark.parametrize(("delimiter", "shown"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_delimiters_are_sniffed(root: Path, tmp_path: Path, delimiter: str, shown: str) -> None:
    text = ("Name|Institution|Email|Lead\n\"Okafor, Ada\"|\"Royal Infirmary; Leeds\"|ada@example.org|a.chen\n"
            .replace("|", delimiter))
    code, out, _ = imp(root, csv_file(tmp_path, text))
    assert code == 0, out
    assert f"{shown}-separated" in out.splitlines()[0]
    assert data_of(root / "plans" / "ada-okafor.yaml")["kol"]["institution"] == "Royal Infirmary; Leeds"


def test_header_aliases_and_unknown_columns(root: Path, tmp_path: Path) -> None:
    text = ("First Name,SURNAME,Primary_Parent,Country Code,VeevaID__v,KOL Tier,Specialty,Lead,Last Call,Notes\n"
            "Ada,Okafor,Royal Infirmary,gb,V-55,Rising,Oncology | Haematology,a.chen,2026-01-01,hello\n")
    code, out, _ = imp(root, csv_file(tmp_path, text))
    assert code == 0, out
    assert "ignored columns (not fields kolplan imports): Last Call, Notes" in out
    kol = data_of(root / "plans" / "ada-okafor.yaml")["kol"]
    assert (kol["name"], kol["institution"], kol["country"], kol["identifiers"], kol["tier"],
            kol["therapeutic_areas"]) == ("Ada Okafor", "Royal Infirmary", "GB", {"crm_id": "V-55"}, "rising",
                                          ["oncology", "haematology"])


def test_a_mapping_file_names_other_headers(root: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("Account Name: name\nHospital Name: institution\nEmail: ignore\nOwner: lead\n", encoding="utf-8")
    text = "Account Name,Hospital Name,Email,Owner\nAda Okafor,Royal Infirmary,not-an-email,a.chen\n"
    code, out, _ = imp(root, csv_file(tmp_path, text), "--mapping", str(mapping))
    assert code == 0, out
    assert "ignored columns (not fields kolplan imports): Email" in out
    assert data_of(root / "plans" / "ada-okafor.yaml")["kol"]["institution"] == "Royal Infirmary"


def test_a_quoted_line_break_is_one_row_as_a_spreadsheet_numbers_it(root: Path, tmp_path: Path) -> None:
    # The record of row 2 takes three lines of the file; the next record is row 3 (line 5).
    text = (HEADER.replace("\n", "\r\n") + "\"Ada\r\nOkafor\",\"Royal\r\nInfirmary\",,,,,,,,a.chen\r\n"
            + BAD_ROWS["bad-npi"][0].replace("\n", "\r\n"))
    code, out, _ = imp(root, csv_file(tmp_path, text), "--skip-bad")
    assert code == 1
    assert "row 3: refused: NPI" in out
    kol = data_of(root / "plans" / "ada-okafor.yaml")["kol"]
    assert (kol["name"], kol["institution"]) == ("Ada Okafor", "Royal Infirmary")


# -- bad requests: exit 2, nothing written ----------------------------------------------------------------
def _requests(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    good = csv_file(tmp_path, HEADER + NEW_ROWS, "good.csv")
    (tmp_path / "folder.csv").mkdir()
    return {
        "missing": ([str(tmp_path / "nope.csv")], "nope.csv: no such file"),
        "folder": ([str(tmp_path / "folder.csv")], "is a folder, not a file"),
        "unknown-lead": ([str(good), "--lead", "p.jonse"], "--lead p.jonse: not a person in kolplan.yaml people"),
        "empty": ([str(csv_file(tmp_path, "", "empty.csv"))], "has no header row"),
        "xlsx": ([str(csv_file(tmp_path, b"PK\x03\x04rest", "book.csv"))], "is a spreadsheet workbook (.xlsx)"),
        "binary": ([str(csv_file(tmp_path, b"name\n\x81\x8d\x00\x01", "bin.csv"))], "is not text kolplan can read"),
        "no-name-column": ([str(csv_file(tmp_path, "who,where\nA,B\n", "noname.csv"))],
                           "no column holds the KOL's name"),
        "two-columns-one-field": ([str(csv_file(tmp_path, "name,email,e-mail address\n", "two.csv"))],
                                  "columns 'email' and 'e-mail address' both hold email"),
        "mapping-missing": ([str(good), "--mapping", str(tmp_path / "nope.yaml")], "--mapping"),
        "mapping-not-a-mapping": ([str(good), "--mapping", str(csv_file(tmp_path, "- a\n", "m1.yaml"))],
                                  "write a YAML mapping from column headers to field names"),
        "mapping-unknown-field": ([str(good), "--mapping", str(csv_file(tmp_path, "name: nmae\n", "m2.yaml"))],
                                  "'name: nmae': not a field; did you mean 'name'?"),
        "mapping-unknown-column": ([str(good), "--mapping", str(csv_file(tmp_path, "Account: name\n", "m3.yaml"))],
                                   "--mapping names a column"),
        "mapping-broken-yaml": ([str(good), "--mapping", str(csv_file(tmp_path, "a: [\n", "m4.yaml"))], "m4.yaml:"),
    }


CASES = ["missing", "folder", "unknown-lead", "empty", "xlsx", "binary", "no-name-column", "two-columns-one-field",
         "mapping-missing", "mapping-not-a-mapping", "mapping-unknown-field", "mapping-unknown-column",
         "mapping-broken-yaml"]


@pytest.mark.parametrize("case", CASES)
def test_a_bad_request_is_exit_2_with_one_line(root: Path, tmp_path: Path, case: str) -> None:
    args, message = _requests(tmp_path)[case]
    before = snapshot(root)
    res = run("import", *args, "--as-of", AS_OF, "--repo", str(root))
    assert res.code == 2, (res.out, res.err)
    assert res.out == "" and "Traceback" not in res.err
    assert len(res.err.splitlines()) == 1 and message in res.err, res.err
    assert snapshot(root) == before


def test_a_plan_that_does_not_read_stops_the_import(root: Path, tmp_path: Path) -> None:
    (root / "plans" / "broken.yaml").write_text("schema: kolplan/v1\nid: [\n", encoding="utf-8")
    before = snapshot(root)
    code, out, err = imp(root, csv_file(tmp_path, HEADER + NEW_ROWS))
    assert code == 1 and out == ""
    assert re.search(r"plans/broken.yaml cannot be read or has schema errors: import matches every row", err)
    assert snapshot(root) == before


def test_the_example_export(tmp_path: Path) -> None:
    """examples/crm-export.csv on a copy of the sample portfolio, as the README's tour runs it."""
    import shutil

    project = Path(__file__).resolve().parents[2]
    root = tmp_path / "sample"
    root.mkdir()
    shutil.copy(project / "kolplan.yaml", root / "kolplan.yaml")
    shutil.copytree(project / "plans", root / "plans")
    export = project / "examples" / "crm-export.csv"
    before = snapshot(root)
    res = run("import", str(export), "--repo", str(root), "--as-of", "2026-11-20")
    assert res.code == 1 and snapshot(root) == before
    assert "2 rows refused, so nothing was written" in res.err
    res = run("import", str(export), "--repo", str(root), "--as-of", "2026-11-20", "--skip-bad", "--lead", "a.chen")
    assert res.code == 1
    assert res.out.endswith("summary: 296 created, 1 completed, 1 up to date, 1 repeated, 1 conflict, 1 refused\n")
    report = run("validate", "--repo", str(root), "--as-of", "2026-11-20", "--format", "json").json()
    assert report["summary"]["error"] == 0


def test_an_import_stopped_half_way_is_finished_by_running_it_again(root: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C after the first of the two new plans: that plan is complete and valid, the other
    absent; the same import run again leaves the first alone (up to date) and writes the second."""
    import kolplan.authoring.csvimport.importer as importer
    from kolplan.yamlio.atomic import write_new_files

    def first_then_interrupted(files: list[tuple[Path, bytes | str]], *, root: Path) -> int:
        write_new_files(files[:1], root=root)
        raise KeyboardInterrupt

    export = csv_file(tmp_path, HEADER + NEW_ROWS)
    monkeypatch.setattr(importer, "write_new_files", first_then_interrupted)
    code, _, _ = imp(root, export)
    assert code == 130  # "kolplan: interrupted" goes to the process's stderr itself
    assert (root / "plans" / "amara-balogun.yaml").is_file() and not (root / "plans" / "hugo-lindgren.yaml").exists()
    assert not [p for p in (root / "plans").iterdir() if p.name.startswith(".")]  # no temporary file left
    assert errors(root) == []
    monkeypatch.undo()
    code, out, _ = imp(root, export)
    assert code == 0
    assert "row 2: up to date: plans/amara-balogun.yaml" in out and "row 3: created plans/hugo-lindgren.yaml" in out
    assert errors(root) == []


def test_a_crlf_plan_with_a_bom_is_completed_in_its_own_line_endings(tmp_path: Path) -> None:
    plan = ("\ufeff" + JANE_PARTIAL).replace("\n", "\r\n").encode("utf-8")
    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": plan})
    code, out, _ = imp(root, csv_file(tmp_path, HEADER + "Jane Okafor,,,,,0000-0002-1825-0097,V-248113,,,\n"))
    assert code == 0, out
    npi = b'    npi: "1234567893"\r\n'
    assert (root / "plans" / "jane-okafor.yaml").read_bytes() == plan.replace(
        npi, npi + b'    orcid: "0000-0002-1825-0097"\r\n')
