"""`kolplan schema` and `validate` judge a plan alike (SPEC 4, v1.2), checked with the real
`check-jsonschema` (the JSON Schema tool editors' checks are modelled on).

Each mutation of a valid plan is valid for both or invalid for both: `validate`'s verdict is
"no KP0xx error" (reading and schema; the later rules are no business of a JSON Schema).
What a JSON Schema cannot express is left out on purpose and listed in NOT_EXPRESSIBLE.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kolplan.schema.jsonschema import json_schema
from tests.helpers import CONFIG, VALID_PLAN, make_repo, run


def _check_jsonschema() -> str | None:
    """The check-jsonschema command: on PATH, beside this Python (the test extra), or in /tmp/tools."""
    for candidate in (shutil.which("check-jsonschema"), str(Path(sys.executable).parent / "check-jsonschema"),
                      "/tmp/tools/bin/check-jsonschema"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


CHECK_JSONSCHEMA = _check_jsonschema()
pytestmark = pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason="check-jsonschema is not installed "
                                "(pip install check-jsonschema, or the test extra)")
AS_OF = "2026-12-02"
PROJECT = Path(__file__).resolve().parents[2]

# Not in the mutations, because a JSON Schema cannot say them; `validate` reports them:
NOT_EXPRESSIBLE = (
    "id differs from the file's stem (KP011)",
    "a handle not in kolplan.yaml people: (KP012)",
    "a duplicate objective or activity id, a link to an unknown objective (KP013)",
    "period end before start; a done activity dated in the future (KP014)",
    "an NPI or ORCID with a wrong check digit (KP015; the schema checks their shape)",
    "the YAML specials .inf and .nan where a number is meant (JSON has neither)",
)

PAY = "      compensation: 1600\n"  # A1's fee: the new activity keys go after it

# (name, text in VALID_PLAN, its replacement wherever it occurs, valid?)
MUTATIONS: list[tuple[str, str, str, bool]] = [
    ("unchanged", "", "", True),
    ("no credentials", "  credentials: MD, PhD\n", "", True),
    ("null list", "  preferred_channels: [in-person, virtual]", "  preferred_channels:", True),
    ("planned without date", "      date: 2026-09-01\n", "", True),
    ("no status, no date", "      date: 2026-09-01\n      status: planned\n", "", True),
    ("target as text", "      target: 1\n", "      target: one manuscript\n", True),
    ("custom free-form", "custom: {}", "custom: {anything: 1, nested: {x: [1, true]}}", True),
    ("quoted crm id with zeros", 'crm_id: "V-248113"', 'crm_id: "0012345"', True),
    ("quoted numeric objective id", "O1", '"1"', True),  # the id and the two links to it
    ("quoted numeric activity id", "    - id: A1\n", '    - id: "1"\n', True),
    ("share of voice 1", "share_of_scientific_voice: 0.18", "share_of_scientific_voice: 1", True),
    ("zero hours", "      hours: 4\n", "      hours: 0\n", True),
    ("country NO is Norway", "country: US", "country: NO", True),
    ("empty response", "response: Revised deck with balanced safety data.", 'response: ""', True),
    ("no response", "    response: Revised deck with balanced safety data.\n", "", True),
    ("date where text is meant", "summary: Slides too promotional.", "summary: 2026-03-02", True),
    ("whole score as 9.0", "      score: 9\n", "      score: 9.0\n", True),
    ("cancelled with date", "      status: planned\n", "      status: cancelled\n", True),
    ("privacy given", "  relationship_expectations: [early data access]\n",
     "  relationship_expectations: [early data access]\n  privacy:\n    lawful_basis: consent\n"
     "    notice_given: 2025-12-01\n    tov_disclosure_consent: true\n", True),
    # numbers where text is meant
    ("npi as a number", 'npi: "1234567893"', "npi: 1927350847", False),
    ("crm id as a number", 'crm_id: "V-248113"', "crm_id: 1104420", False),
    ("crm id with leading zeros", 'crm_id: "V-248113"', "crm_id: 0012345", False),
    ("objective id as a number", "    - id: O1\n", "    - id: 1\n", False),
    ("activity id as a number", "    - id: A1\n", "    - id: 1\n", False),
    ("linked objective as a number", "      objectives: [O1]\n      owner: r.patel", "      objectives: [1]\n"
     "      owner: r.patel", False),
    ("name as a number", "  name: Jane Okafor", "  name: 2024", False),
    ("institution as a float", "institution: University Hospital Example", "institution: 12.5", False),
    ("therapeutic area as a number", "therapeutic_areas: [oncology, haematology]", "therapeutic_areas: [2024]",
     False),
    ("metric as a number", "metric: manuscript submitted", "metric: 5", False),
    ("response as a number", "response: Revised deck with balanced safety data.", "response: 42", False),
    ("stakeholder as a number", "stakeholders: [a.chen, r.patel]", "stakeholders: [3]", False),
    # required by status
    ("done without date", "      date: 2026-04-15\n", "", False),
    ("cancelled without date", "      date: 2026-09-01\n      status: planned\n", "      status: cancelled\n", False),
    ("done with an empty date", "      date: 2026-04-15\n", "      date:\n", False),
    # shapes, ranges, enums, required keys, unknown keys
    ("unknown tier", "tier: national", "tier: famous", False),
    ("unknown key", "  tier: national", "  tier: national\n  tierr: national", False),
    ("missing name", "  name: Jane Okafor\n", "", False),
    ("score above 10", "      score: 9\n", "      score: 11\n", False),
    ("score not whole", "      score: 9\n", "      score: 9.5\n", False),
    ("share of voice above 1", "share_of_scientific_voice: 0.18", "share_of_scientific_voice: 1.5", False),
    ("negative hours", "      hours: 4\n", "      hours: -1\n", False),
    ("compensation as text", "compensation: 1600", 'compensation: "1600"', False),
    ("country not ISO", "country: US", "country: XX", False),
    ("country in lowercase", "country: US", "country: us", False),
    ("npi too short", 'npi: "1234567893"', 'npi: "12345"', False),
    ("orcid malformed", "orcid: 0000-0002-1825-0097", "orcid: 0000-0002-1825-009", False),
    ("email malformed", "email: j.okafor@example.org", "email: not-an-email", False),
    ("not a real date", "due: 2026-09-30", "due: 2026-02-30", False),
    ("date as words", "next_review: 2026-07-01", "next_review: soon", False),
    ("period without end", "period: {start: 2026-01-01, end: 2026-12-31}", "period: {start: 2026-01-01}", False),
    ("owner without role", "  - person: r.patel\n    role: contributor\n", "  - person: r.patel\n", False),
    ("unknown role", "role: contributor", "role: owner", False),
    ("unknown channel", "channel: in-person", "channel: fax", False),
    ("wrong schema", "schema: kolplan/v1", "schema: kolplan/v2", False),
    ("yes/no as text", "co_developed_with_kol: true", 'co_developed_with_kol: "yes"', False),
    ("consent as a number", "  relationship_expectations: [early data access]\n",
     "  relationship_expectations: [early data access]\n  privacy:\n    tov_disclosure_consent: 1\n", False),
    ("unknown relationship kind", "kind: advisory-board", "kind: friend", False),
    ("interaction without summary", "    summary: Discussed MRD assay variability.\n", "", False),
    ("empty feedback summary", "summary: Slides too promotional.", 'summary: ""', False),
    ("satisfaction without date", "    - date: 2026-03-30\n      score: 9", "    - score: 9", False),
    ("custom as a list", "custom: {}", "custom: []", False),
    ("unknown activity type", "type: publication", "type: webinar", False),
    ("target as yes/no", "      target: 1\n", "      target: true\n", False),
    ("id too long", "    - id: A1\n", "    - id: " + "A" * 33 + "\n", False),
    ("empty text list item", "insights: [wants data on older patients]", 'insights: [""]', False),
    # transfers of value (SPEC 4 v1.2): expenses, paid_on, rationale
    ("expenses", PAY, PAY + "      expenses:\n        - {kind: travel, amount: 420}\n"
     "        - kind: meals\n          amount: 12.5\n", True),
    ("expenses null", PAY, PAY + "      expenses:\n", True),
    ("expense of zero", PAY, PAY + "      expenses: [{kind: other, amount: 0}]\n", True),
    ("paid_on", PAY, PAY + "      paid_on: 2027-01-08\n", True),
    ("rationale", PAY, PAY + "      rationale: Leads the only EU MRD registry.\n", True),
    ("negative expense", PAY, PAY + "      expenses: [{kind: travel, amount: -5}]\n", False),
    ("expense as words", PAY, PAY + "      expenses: [{kind: travel, amount: lots}]\n", False),
    ("expense as quoted number", PAY, PAY + '      expenses: [{kind: travel, amount: "420"}]\n', False),
    ("unknown expense kind", PAY, PAY + "      expenses: [{kind: taxi, amount: 20}]\n", False),
    ("expense without amount", PAY, PAY + "      expenses: [{kind: travel}]\n", False),
    ("expense without kind", PAY, PAY + "      expenses: [{amount: 20}]\n", False),
    ("expense unknown key", PAY, PAY + "      expenses: [{kind: travel, amount: 20, note: taxi}]\n", False),
    ("expenses as a mapping", PAY, PAY + "      expenses: {kind: travel, amount: 20}\n", False),
    ("paid_on not a date", PAY, PAY + "      paid_on: 2026-02-30\n", False),
    ("paid_on as words", PAY, PAY + "      paid_on: end of April\n", False),
    ("rationale as a number", PAY, PAY + "      rationale: 42\n", False),
    ("empty rationale", PAY, PAY + '      rationale: ""\n', False),
]


def _mutant(i: int, old: str, new: str) -> str:
    assert old in VALID_PLAN, old
    text = VALID_PLAN.replace(old, new) if old else VALID_PLAN
    return text.replace("id: jane-okafor", f"id: m{i:02d}", 1)


def _schema_verdicts(schema: Path, files: list[Path]) -> dict[str, bool]:
    """check-jsonschema on every file in one run: file name -> valid."""
    assert CHECK_JSONSCHEMA is not None
    proc = subprocess.run([CHECK_JSONSCHEMA, "--output-format", "json", "--schemafile", str(schema),
                           *map(str, files)], capture_output=True, text=True, timeout=120, check=False)
    report = json.loads(proc.stdout)
    bad = {Path(e["filename"]).name for e in report.get("errors", []) + report.get("parse_errors", [])}
    return {f.name: f.name not in bad for f in files}


def test_schema_and_validate_agree_on_every_mutation(tmp_path: Path) -> None:
    assert len(MUTATIONS) >= 40
    plans = {f"m{i:02d}.yaml": _mutant(i, old, new) for i, (_, old, new, _) in enumerate(MUTATIONS)}
    root = make_repo(tmp_path / "r", plans)
    schema = tmp_path / "plan.schema.json"
    schema.write_text(json_schema("plan"), encoding="utf-8")
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json", "--no-cache")
    assert res.code in (0, 1) and "Traceback" not in res.err, res.err
    kp0 = {Path(d["path"]).name for d in res.json()["diagnostics"]
           if d["code"].startswith("KP0") and d["severity"] == "error"}
    by_schema = _schema_verdicts(schema, sorted((root / "plans").glob("*.yaml")))
    wrong = []
    assert sum(not m[3] for m in MUTATIONS) >= 30 and sum(m[3] for m in MUTATIONS) >= 15
    for i, (name, _, _, expected) in enumerate(MUTATIONS):
        file = f"m{i:02d}.yaml"
        by_validate = file not in kp0
        if not by_validate == by_schema[file] == expected:
            wrong.append(f"{file} {name}: validate {'valid' if by_validate else 'invalid'}, "
                         f"schema {'valid' if by_schema[file] else 'invalid'}, expected "
                         f"{'valid' if expected else 'invalid'}")
    assert not wrong, "\n".join(wrong)


def test_every_sample_plan_passes_check_jsonschema() -> None:
    plans = sorted((PROJECT / "plans").rglob("*.yaml"))
    if not plans:
        pytest.skip("the project's sample plans are not beside this checkout")
    verdicts = _schema_verdicts(PROJECT / "schema" / "plan.schema.json", plans)
    assert all(verdicts.values()), [name for name, ok in verdicts.items() if not ok]


def test_the_config_schema_accepts_the_sample_config() -> None:
    config = PROJECT / "kolplan.yaml"
    if not config.is_file():
        pytest.skip("the project's sample kolplan.yaml is not beside this checkout")
    assert _schema_verdicts(PROJECT / "schema" / "config.schema.json", [config]) == {"kolplan.yaml": True}


# kolplan.yaml: the disclosure: block and the new compliance keys (SPEC 3 v1.2), judged alike.
DISCLOSURE_CONFIG = CONFIG + """\
compliance:
  currency: EUR
  require_rationale: [advisory-board]
disclosure:
  usd_rate: 1.08
  open_payments_thresholds:
    2027: [14.10, 141.00]
  nature_of_payment:
    advisory-board: Consulting Fee
"""
CONFIG_MUTATIONS: list[tuple[str, str, str, bool]] = [
    ("unchanged", "", "", True),
    ("cap includes expenses", "  currency: EUR\n", "  currency: EUR\n  cap_includes_expenses: true\n", True),
    ("no disclosure keys", DISCLOSURE_CONFIG[len(CONFIG):].split("disclosure:")[1], "\n", True),
    ("usd_rate zero", "usd_rate: 1.08", "usd_rate: 0", False),
    ("usd_rate negative", "usd_rate: 1.08", "usd_rate: -1.08", False),
    ("usd_rate as words", "usd_rate: 1.08", "usd_rate: about one", False),
    ("year key as words", "    2027: [14.10, 141.00]", "    next year: [14.10, 141.00]", False),
    ("one threshold", "[14.10, 141.00]", "[14.10]", False),
    ("three thresholds", "[14.10, 141.00]", "[14.10, 141.00, 1]", False),
    ("negative threshold", "[14.10, 141.00]", "[-14.10, 141.00]", False),
    ("threshold as words", "[14.10, 141.00]", "[14.10, lots]", False),
    ("nature of an unknown type", "    advisory-board: Consulting Fee", "    webinar: Consulting Fee", False),
    ("nature as a number", "    advisory-board: Consulting Fee", "    advisory-board: 5", False),
    ("cap_includes_expenses as text", "  currency: EUR\n", "  currency: EUR\n  cap_includes_expenses: yes\n",
     False),
    ("unknown type to require a rationale", "[advisory-board]", "[advisory-boards]", False),
    ("unknown disclosure key", "  usd_rate: 1.08\n", "  usd_rate: 1.08\n  usd_rates: 1.08\n", False),
]


def test_config_schema_and_validate_agree_on_the_disclosure_keys(tmp_path: Path) -> None:
    schema = tmp_path / "config.schema.json"
    schema.write_text(json_schema("config"), encoding="utf-8")
    wrong = []
    files = []
    for i, (name, old, new, expected) in enumerate(CONFIG_MUTATIONS):
        assert old in DISCLOSURE_CONFIG, name
        text = DISCLOSURE_CONFIG.replace(old, new) if old else DISCLOSURE_CONFIG
        root = make_repo(tmp_path / f"c{i:02d}", {"jane-okafor.yaml": VALID_PLAN}, config=text)
        res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json", "--no-cache")
        assert res.code in (0, 1, 2) and "Traceback" not in res.err, res.err
        files.append((name, root / "kolplan.yaml", res.code != 2, expected))
    copies = tmp_path / "copies"  # one check-jsonschema run: each config under a name of its own
    copies.mkdir()
    for i, (_, path, _, _) in enumerate(files):
        (copies / f"c{i:02d}.yaml").write_bytes(path.read_bytes())
    verdicts = _schema_verdicts(schema, sorted(copies.glob("*.yaml")))
    for i, (name, _, by_validate, expected) in enumerate(files):
        by_schema = verdicts[f"c{i:02d}.yaml"]
        if not by_validate == by_schema == expected:
            wrong.append(f"{name}: validate {by_validate}, schema {by_schema}, expected {expected}")
    assert not wrong, "\n".join(wrong)
