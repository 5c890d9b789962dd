"""`kolplan new`: a plan that validates as written, and every refusal leaves the tree as it was."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from pathlib import Path

import pytest

from tests.helpers import CONFIG, VALID_PLAN, data_of, diagnostics, make_repo, run, snapshot

AS_OF = "2026-06-15"
QUESTIONS = {
    "preferred_channels": "How do they prefer to be engaged?",
    "scientific_interests": "What are their scientific interests?",
    "professional_objectives": "What are their professional objectives?",
    "relationships": "What are the existing relationships they have with your organization and other organizations?",
    "share_of_scientific_voice": "What is their Share of Scientific Voice?",
    "desires": "What do they desire?",
    "relationship_expectations": "What do they want out of a good relationship?",
}


def new(root: Path, *args: str, plan: str = "hans-muller", as_of: str = AS_OF) -> tuple[int, str, str]:
    res = run("new", plan, *args, "--as-of", as_of, "--repo", str(root))
    assert "Traceback" not in res.err
    return res.code, res.out, res.err




def errors(root: Path, as_of: str = AS_OF) -> list[dict[str, object]]:
    return [d for d in diagnostics(root, as_of=as_of) if d["severity"] == "error"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})


# -- what it writes -------------------------------------------------------------------------------------
def test_minimal_plan_validates_with_no_errors(root: Path) -> None:
    code, out, _ = new(root, "--name", "Hans Müller", "--lead", "r.patel")
    assert code == 0
    assert "wrote plans/hans-muller.yaml: lead r.patel (medical-affairs), plan period 2026-06-15..2026-12-31 " \
        "(to the end of fiscal year 2026)" in out
    path = root / "plans" / "hans-muller.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/plan.schema.json"
    data = data_of(path)
    assert data["id"] == "hans-muller"
    assert data["kol"]["name"] == "Hans Müller"  # type: ignore[index]
    assert data["owners"] == [{"person": "r.patel", "role": "lead"}]
    assert data["plan"]["period"] == {"start": dt.date(2026, 6, 15), "end": dt.date(2026, 12, 31)}  # type: ignore[index]
    assert "  period: {start: 2026-06-15, end: 2026-12-31}  # to the end of fiscal year 2026\n" in text
    assert errors(root) == []


def test_the_commented_objective_and_activity_validate_when_uncommented(root: Path) -> None:
    """The scaffold shows an objective and a paid activity as comments (fee, expenses, paid_on,
    rationale: SPEC 4 v1.2); uncommented as they stand, they read and validate."""
    assert new(root, "--name", "Hans Müller", "--lead", "r.patel")[0] == 0
    path = root / "plans" / "hans-muller.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    inside = False
    for i, line in enumerate(lines):
        if line in ("  objectives:", "  activities:") or line.startswith(("  objectives:  ", "  activities:  ")):
            inside = True
        elif inside and line.startswith("  #   "):
            lines[i] = "  " + line[4:]  # "  #   - id: A1" -> "    - id: A1"
        else:
            inside = False
    text = "\n".join(lines) + "\n"
    assert "\n        - {kind: travel, amount: 420}" in text and "\n      rationale: " in text
    path.write_text(text, encoding="utf-8")
    data = data_of(path)
    [activity] = data["plan"]["activities"]  # type: ignore[index]
    assert activity["expenses"] == [{"kind": "travel", "amount": 420}] and "paid_on" in activity
    assert errors(root) == []


def test_every_option_validates_with_no_errors(root: Path) -> None:
    code, _, err = new(root, "--name", "Prof. Dr. Hans Müller", "--lead", "a.chen", "--institution",
                       "Charité – Universitätsmedizin Berlin", "--tier", "national", "--ta", "oncology",
                       "--ta", "haematology, rare diseases", "--country", "de", "--crm-id", "V-0001",
                       "--npi", "1245319599", "--orcid", "0000-0001-5109-3700", "--email", "h.mueller@example.de")
    assert code == 0, err
    kol = data_of(root / "plans" / "hans-muller.yaml")["kol"]
    assert kol == {
        "name": "Prof. Dr. Hans Müller", "institution": "Charité – Universitätsmedizin Berlin", "country": "DE",
        "identifiers": {"crm_id": "V-0001", "npi": "1245319599", "orcid": "0000-0001-5109-3700",
                        "email": "h.mueller@example.de"},
        "tier": "national", "therapeutic_areas": ["oncology", "haematology", "rare diseases"],
        "preferred_channels": None, "scientific_interests": None, "professional_objectives": None,
        "relationships": None, "share_of_scientific_voice": None, "desires": None, "relationship_expectations": None,
        "privacy": {"lawful_basis": None, "notice_given": None},  # DE: GDPR applies, so the keys are there to fill
    }
    assert errors(root) == []


def test_the_seven_questions_are_comments_beside_their_fields(root: Path) -> None:
    assert new(root, "--name", "Hans Müller", "--lead", "r.patel")[0] == 0
    lines = (root / "plans" / "hans-muller.yaml").read_text(encoding="utf-8").splitlines()
    for key, question in QUESTIONS.items():
        [line] = [x for x in lines if x.startswith(f"  {key}:")]
        assert "#" in line and question in line.split("#", 1)[1], line


@pytest.mark.parametrize(
    ("as_of", "fy", "start", "end"),
    [
        ("2026-06-15", 2027, "2026-06-15", "2027-03-31"),
        ("2026-04-01", 2027, "2026-04-01", "2027-03-31"),
        ("2026-01-01", 2026, "2026-01-01", "2026-03-31"),  # 90 days left in FY2026
        ("2026-01-02", 2027, "2026-01-02", "2027-03-31"),  # 89 days left: to the end of the next one
        ("2026-03-31", 2027, "2026-03-31", "2027-03-31"),
    ],
)
def test_april_fiscal_year(tmp_path: Path, as_of: str, fy: int, start: str, end: str) -> None:
    root = make_repo(tmp_path / "r", config=CONFIG.replace("fiscal_year_start: 1", "fiscal_year_start: 4"))
    code, out, _ = new(root, "--name", "Hans Müller", "--lead", "r.patel", as_of=as_of)
    assert code == 0
    note = f"fiscal year {fy}" if start == end.replace(end[:4], str(int(end[:4]) - 1)).replace("03-31", "04-01") \
        else f"to the end of fiscal year {fy}"
    assert f"plan period {start}..{end} ({note})\n" in out
    plan = data_of(root / "plans" / "hans-muller.yaml")["plan"]
    assert plan["period"] == {"start": dt.date.fromisoformat(start), "end": dt.date.fromisoformat(end)}  # type: ignore[index]
    assert errors(root, as_of) == []


def date_rules() -> set[str]:
    from kolplan.rules.registry import load_rules

    codes = {code for code, rule in load_rules().items() if rule.uses_date}
    assert {"KP105", "KP201", "KP202", "KP203", "KP204", "KP205"} <= codes
    return codes


@pytest.mark.parametrize("fiscal_year_start", [1, 4])
@pytest.mark.parametrize("as_of", ["2026-01-01", "2026-02-14", "2026-03-31", "2026-04-01", "2026-06-15",
                                   "2026-09-30", "2026-10-03", "2026-11-15", "2026-12-02", "2026-12-31",
                                   "2027-01-05", "2028-02-29", "2028-03-30"])
def test_a_new_plan_has_no_date_findings_on_the_day_it_is_written(tmp_path: Path, fiscal_year_start: int,
                                                                  as_of: str) -> None:
    """SPEC 5 `new`: the default period starts on --as-of, so nothing is overdue at once; also once the lead
    has set a cadence (the plan says nothing about contacts yet)."""
    root = make_repo(tmp_path / "r", config=CONFIG.replace("fiscal_year_start: 1",
                                                           f"fiscal_year_start: {fiscal_year_start}"))
    code, out, err = new(root, "--name", "Hans Müller", "--lead", "r.patel", as_of=as_of)
    assert code == 0, err
    path = root / "plans" / "hans-muller.yaml"
    codes = date_rules()
    assert [d for d in diagnostics(root, as_of=as_of) if d["code"] in codes] == []
    text = path.read_text(encoding="utf-8")
    for cadence in ("weekly", "monthly", "quarterly"):
        path.write_text(text.replace("  cadence: ", f"  cadence: {cadence}", 1), encoding="utf-8")
        assert [d for d in diagnostics(root, as_of=as_of) if d["code"] in codes] == [], cadence
    period = data_of(path)["plan"]["period"]  # type: ignore[index]
    day = dt.date.fromisoformat(as_of)
    assert period["start"] == day and (period["end"] - day).days + 1 >= 90  # type: ignore[index]
    assert re.search(rf"plan period {as_of}\.\.{period['end']} \((to the end of )?fiscal year \d{{4}}\)\n", out)


@pytest.mark.parametrize(("fiscal_year_start", "as_of", "end"), [
    (1, "2026-10-02", "2026-12-31"),  # 91 days left
    (1, "2026-10-03", "2026-12-31"),  # 90 days left
    (1, "2026-10-04", "2027-12-31"),  # 89 days left: the next fiscal year too
    (4, "2027-01-01", "2027-03-31"),  # 90 days left
    (4, "2027-01-02", "2028-03-31"),  # 89 days left
    (4, "2028-02-29", "2029-03-31"),
    (1, "2028-02-29", "2028-12-31"),
])
def test_the_default_period_runs_on_when_fewer_than_90_days_remain(tmp_path: Path, fiscal_year_start: int,
                                                                   as_of: str, end: str) -> None:
    root = make_repo(tmp_path / "r", config=CONFIG.replace("fiscal_year_start: 1",
                                                           f"fiscal_year_start: {fiscal_year_start}"))
    code, out, err = new(root, "--name", "Hans Müller", "--lead", "r.patel", as_of=as_of)
    assert code == 0, err
    assert re.search(rf"plan period {as_of}\.\.{end} \((to the end of )?fiscal year {end[:4]}\)\n", out)
    period = data_of(root / "plans" / "hans-muller.yaml")["plan"]["period"]  # type: ignore[index]
    assert period == {"start": dt.date.fromisoformat(as_of), "end": dt.date.fromisoformat(end)}


@pytest.mark.parametrize(("period", "note"), [
    ("2026-04-01..2027-03-31", "ends in fiscal year 2027"),
    ("2026-01-01..2026-12-31", "fiscal year 2026"),
    ("2026-06-15..2026-06-15", "ends in fiscal year 2026"),
    (" 2026-07-01 .. 2027-06-30 ", "ends in fiscal year 2027"),
])
def test_period_option(root: Path, period: str, note: str) -> None:
    code, out, err = new(root, "--name", "Hans Müller", "--lead", "r.patel", "--period", period)
    assert code == 0, err
    start, end = (dt.date.fromisoformat(p.strip()) for p in period.split(".."))
    assert f"plan period {start}..{end} ({note})\n" in out
    data = data_of(root / "plans" / "hans-muller.yaml")
    assert data["plan"]["period"] == {"start": start, "end": end}  # type: ignore[index]
    review = data["plan"]["governance"]["next_review"]  # type: ignore[index]
    assert start <= review <= end
    assert errors(root) == []


@pytest.mark.parametrize(("period", "words"), [
    ("2026", "--period 2026: write it as START..END (YYYY-MM-DD..YYYY-MM-DD), e.g. --period 2026-04-01..2027-03-31"),
    ("2026-04-01", "write it as START..END"),
    ("2026-04-01..", "write it as START..END"),
    ("2026-04-01-2027-03-31", "write it as START..END"),
    ("2026/04/01..2027/03/31", "write it as START..END"),
    ("2026-04-01..2027-02-30", "--period 2026-04-01..2027-02-30: 2027-02-30 is not a date"),
    ("2026-13-01..2027-03-31", "2026-13-01 is not a date"),
    ("2027-03-31..2026-04-01", "--period 2027-03-31..2026-04-01: the end 2026-04-01 is before the start 2026-04-01"
                               .replace("start 2026-04-01", "start 2027-03-31")),
])
def test_a_bad_period_is_exit_2_with_one_line(root: Path, period: str, words: str) -> None:
    before = snapshot(root)
    code, out, err = new(root, "--name", "Hans Müller", "--lead", "r.patel", "--period", period)
    assert code == 2
    assert words in err and err.count("\n") == 1 and out == ""
    assert snapshot(root) == before


@pytest.mark.parametrize(
    "name",
    ['Jane "JJ" O\'Kafor', "Okafor: Jane", "Jane #1 Okafor", "Łukasz Żółć", "山田 太郎", "- Jane", "null", "123",
     "Jane\nOkafor", "  Jane  ", "Jane\\Okafor", "{Jane}", "Jane & Co *x !y %z @w `q`"],
)
def test_names_are_written_as_safe_scalars(root: Path, name: str) -> None:
    code, _, err = new(root, "--name", name, "--lead", "r.patel", "--institution", name)
    assert code == 0, err
    kol = data_of(root / "plans" / "hans-muller.yaml")["kol"]
    assert kol["name"] == name.strip() and kol["institution"] == name.strip()  # type: ignore[index]
    assert errors(root) == []


def test_numeric_id_is_quoted(root: Path) -> None:
    assert new(root, "--name", "A", "--lead", "r.patel", plan="123")[0] == 0
    assert 'id: "123"' in (root / "plans" / "123.yaml").read_text()
    assert errors(root) == []


def test_repository_template_overrides_the_built_in(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "plan.yaml.j2").write_text(
        "schema: kolplan/v1\nid: {{ plan_id | yaml_plain }}\nkol:\n  name: {{ name | yaml_str }}\n"
        "  tier: {{ tier }}\nowners:\n  - {person: {{ lead }}, role: lead}\n"
        "plan:\n  period: {start: {{ period_start }}, end: {{ period_end }}}\ncustom: {team: oncology}\n")
    assert new(root, "--name", "A", "--lead", "r.patel")[0] == 0
    assert data_of(root / "plans" / "hans-muller.yaml")["custom"] == {"team": "oncology"}


def test_a_template_that_produces_errors_writes_nothing(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "plan.yaml.j2").write_text("schema: kolplan/v1\nid: {{ plan_id }}\nkol: {name: x}\n")
    before = snapshot(root)
    code, _, err = new(root, "--name", "A", "--lead", "r.patel")
    assert code == 2
    assert "templates/plan.yaml.j2 produced a plan with" in err and "KP010" in err
    assert snapshot(root) == before


# -- refusals: each leaves every file as it was -------------------------------------------------------
@pytest.mark.parametrize(
    ("plan", "args", "code", "words"),
    [
        ("../../x", (), 2, "plan id '../../x' is not valid"),
        ("Hans-Muller", (), 2, "did you mean 'hans-muller'?"),
        ("a" * 65, (), 2, "the limit is 64"),
        ("hans--muller", (), 2, "not valid"),
        ("hans-muller\n", (), 2, "not valid"),
        ("hans-muller", ("--lead", "r.patle"), 2, "did you mean 'r.patel'?"),
        ("hans-muller", ("--lead", "nobody"), 2, "not a person in kolplan.yaml people"),
        ("hans-muller", ("--npi", "1234567890"), 2, "wrong check digit"),
        ("hans-muller", ("--orcid", "0000-0002-1825-0098"), 2, "wrong check character"),
        ("hans-muller", ("--email", "not-an-email"), 2, "not a valid address"),
        ("hans-muller", ("--tier", "superstar"), 2, "choose one of global"),
        ("hans-muller", ("--tier", "Nationl"), 2, "did you mean 'national'?"),
        ("hans-muller", ("--country", "UK"), 2, "write GB"),
        ("hans-muller", ("--country", "Germany"), 2, "ISO 3166-1"),
        ("hans-muller", ("--name", " "), 2, "--name is empty"),
        ("jane-okafor", (), 1, "plans/jane-okafor.yaml already exists"),
        ("jane-okafor", ("--force",), 1, "already exists"),  # --force skips only the duplicate check
        ("hans-muller", ("--npi", "1234567893"), 1, "already has a plan: plans/jane-okafor.yaml (lead a.chen, "
                                                    "Field Medical) shares the NPI 1234567893"),
        ("hans-muller", ("--email", "J.Okafor@Example.org"), 1, "shares the email"),
        ("hans-muller", ("--name", "Dr. Jane A. Okafor", "--institution", "University Hospital Example"), 1,
         "may already have a plan: plans/jane-okafor.yaml (lead a.chen, Field Medical) has the same name and "
         "institution"),
    ],
)
def test_refusals(root: Path, plan: str, args: tuple[str, ...], code: int, words: str) -> None:
    base = {"--name": "Hans Müller", "--lead": "r.patel"}
    extra = list(args)
    for flag, value in base.items():
        if flag not in extra:
            extra += [flag, value]
    before = snapshot(root)
    got, _, err = new(root, *extra, plan=plan)
    assert got == code, err
    assert words in err
    assert snapshot(root) == before


@pytest.mark.parametrize("institution", ["King's College Hospital", "King’s College Hospital",
                                         "Kings' College Hospital"])
def test_the_same_institution_written_with_an_apostrophe_is_a_possible_duplicate(tmp_path: Path,
                                                                                  institution: str) -> None:
    """Issue 15: the apostrophe is deleted (SPEC 7 KP303), not turned into a space."""
    existing = VALID_PLAN.replace("  institution: University Hospital Example", "  institution: Kings College Hospital")
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": existing})
    before = snapshot(root)
    code, _, err = new(root, "--name", "Jane Okafor", "--institution", institution, "--lead", "r.patel")
    assert code == 1, err
    assert "may already have a plan: plans/jane-okafor.yaml (lead a.chen, Field Medical) has the same name and " \
           "institution (Jane Okafor, Kings College Hospital)" in err
    assert snapshot(root) == before


def test_an_id_used_in_a_subfolder_is_refused(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"oncology/jane-okafor.yaml": VALID_PLAN})
    before = snapshot(root)
    code, _, err = new(root, "--name", "X", "--lead", "r.patel", plan="jane-okafor")
    assert code == 1 and "plans/oncology/jane-okafor.yaml already uses the id" in err
    assert snapshot(root) == before


def test_force_writes_a_second_plan_for_a_shared_identifier(root: Path) -> None:
    code, _, err = new(root, "--name", "Jane Okafor", "--lead", "c.jones", "--npi", "1234567893", "--force")
    assert code == 0
    assert "written despite plans/jane-okafor.yaml" in err
    assert (root / "plans" / "hans-muller.yaml").is_file()


def test_different_people_with_the_same_name_are_not_duplicates(root: Path) -> None:
    # the same name and institution, but a different NPI: two people (SPEC: KP303)
    code, _, _ = new(root, "--name", "Jane Okafor", "--lead", "r.patel", "--institution",
                     "University Hospital Example", "--npi", "1245319599")
    assert code == 0


# -- prompting ------------------------------------------------------------------------------------------
class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("missing", "flag"), [(("--lead", "r.patel"), "--name"), (("--name", "X"), "--lead")])
def test_no_prompt_without_a_terminal(root: Path, monkeypatch: pytest.MonkeyPatch, missing: tuple[str, str],
                                      flag: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Jane\nr.patel\n"))  # not a terminal: must not be read
    before = snapshot(root)
    code, _, err = new(root, *missing)
    assert code == 2
    assert f"missing {flag}" in err
    assert snapshot(root) == before


def test_prompts_on_a_terminal(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("Hans Müller\nr.patel\n"))
    code, out, err = new(root)
    assert code == 0, err
    assert "KOL name" in out and "Lead" in out
    data = data_of(root / "plans" / "hans-muller.yaml")
    assert data["kol"]["name"] == "Hans Müller" and data["owners"][0]["person"] == "r.patel"  # type: ignore[index]


def test_prompted_unknown_lead_asks_again(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 15: a typo at the prompt re-asks, with a suggestion as the default, and keeps the name typed
    monkeypatch.setattr(sys, "stdin", Terminal("Hans Müller\nr.patle\n\n"))
    code, out, err = new(root)
    assert code == 0, err
    assert "lead r.patle: not a person in kolplan.yaml people (did you mean 'r.patel'?)" in err
    assert out.count("Lead (a handle") == 2 and "[r.patel]" in out
    data = data_of(root / "plans" / "hans-muller.yaml")
    assert data["kol"]["name"] == "Hans Müller" and data["owners"][0]["person"] == "r.patel"  # type: ignore[index]


def test_prompted_unknown_lead_then_end_of_input_writes_nothing(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("r.patle\n"))
    before = snapshot(root)
    code, _, err = new(root, "--name", "X")
    assert code == 130 and "did you mean 'r.patel'?" in err and err.endswith("kolplan: interrupted\n")
    assert "Aborted" not in err
    assert snapshot(root) == before


def test_unknown_lead_on_the_command_line_is_exit_2(root: Path) -> None:
    before = snapshot(root)
    code, _, err = new(root, "--name", "X", "--lead", "r.patle")
    assert code == 2 and "did you mean 'r.patel'?" in err
    assert snapshot(root) == before


class InterruptedTerminal(Terminal):
    """Ctrl-C after the lines given: the terminal's read raises KeyboardInterrupt."""

    def readline(self, size: int | None = -1) -> str:
        line = super().readline()
        if not line:
            raise KeyboardInterrupt
        return line


@pytest.mark.parametrize("stdin", [InterruptedTerminal(""), InterruptedTerminal("Hans Müller\n"),
                                   Terminal(""), Terminal("Hans Müller\n")],
                         ids=["ctrl-c-at-name", "ctrl-c-at-lead", "eof-at-name", "eof-at-lead"])
def test_ctrl_c_or_end_of_input_at_a_prompt_is_exit_130(root: Path, monkeypatch: pytest.MonkeyPatch,
                                                         stdin: Terminal) -> None:
    monkeypatch.setattr(sys, "stdin", stdin)
    before = snapshot(root)
    code, _, err = new(root)
    assert code == 130, err
    assert err.strip() == "kolplan: interrupted"
    assert snapshot(root) == before


def test_help_has_an_example() -> None:
    res = run("new", "--help")
    assert res.code == 0 and "kolplan new jane-okafor --name" in res.out


# -- the duplicate check reads the portfolio through the cache (issue 13.9) -----------------------------
def test_a_warm_new_parses_no_plan_and_still_finds_the_duplicate(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("validate", "--repo", str(root), "--as-of", AS_OF).code == 0  # warms the cache
    import kolplan.lint.runner

    def no_parsing(*args: object) -> None:
        raise AssertionError("a warm `new` checked a plan again instead of reading its facts from the cache")

    monkeypatch.setattr(kolplan.lint.runner, "check_one", no_parsing)
    code, _, err = new(root, "--name", "Hans Müller", "--lead", "r.patel", "--npi", "1234567893")
    assert code == 1 and "already has a plan: plans/jane-okafor.yaml" in err
    code, _, err = new(root, "--name", "Hans Müller", "--lead", "r.patel")
    assert code == 0, err


def test_new_sees_an_edit_the_cache_has_not_seen(root: Path) -> None:
    assert new(root, "--name", "Hans Müller", "--lead", "r.patel", plan="hans-muller")[0] == 0  # warms the cache
    plan = root / "plans" / "hans-muller.yaml"
    plan.write_text(plan.read_text().replace('  name: "Hans Müller"\n', '  name: "Hans Müller"\n  identifiers: {npi: '
                                             '"1245319599"}\n', 1))
    assert errors(root) == []
    code, _, err = new(root, "--name", "Someone Else", "--lead", "a.chen", "--npi", "1245319599", plan="someone-else")
    assert code == 1 and "plans/hans-muller.yaml (lead r.patel, Medical Affairs) shares the NPI 1245319599" in err


def test_new_with_a_damaged_cache_answers_as_without_one(root: Path) -> None:
    assert run("validate", "--repo", str(root), "--as-of", AS_OF).code == 0
    for f in (root / ".kolplan" / "cache").glob("facts-*.json"):
        f.write_text('{"format": 3, "facts": {"plans/jane-okafor.yaml": ["x", {}]}}')
    code, _, err = new(root, "--name", "Hans Müller", "--lead", "r.patel", "--npi", "1234567893")
    assert code == 1 and "already has a plan: plans/jane-okafor.yaml" in err
