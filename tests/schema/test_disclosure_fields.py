"""KP010 for the transfer-of-value fields (SPEC 3 and 4, v1.2): an activity's ``expenses``,
``paid_on`` and ``rationale``, and kolplan.yaml's ``disclosure:`` block and new compliance keys.
Each bad value: its exact position and a message that says what to write; the good ones pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CONFIG, VALID_PLAN, col_of, line_of, make_repo, run
from tests.rules.support import lint, only, sub

PAY = "      compensation: 1600\n"  # A1's fee (line 53): the new keys go after it


def with_a1(extra: str) -> str:
    return sub(VALID_PLAN, PAY, PAY + extra)


def test_good_values_pass(tmp_path: Path) -> None:
    text = with_a1("      expenses:\n        - {kind: travel, amount: 420}\n        - kind: meals\n"
                   "          amount: 12.5\n        - {kind: other, amount: 0}\n      paid_on: 2026-04-30\n"
                   "      rationale: Leads the only EU MRD registry.\n")
    assert lint(tmp_path, text) == []


@pytest.mark.parametrize(("extra", "needle", "message"), [
    ("      expenses: [{kind: travel, amount: -5}]\n", "-5",
     "plan.activities[A1].expenses[#1].amount: must not be negative (got -5)"),
    ("      expenses: [{kind: travel, amount: lots}]\n", "lots",
     "plan.activities[A1].expenses[#1].amount: expected a number, not text"),
    ('      expenses: [{kind: travel, amount: "420"}]\n', '"420"',
     "plan.activities[A1].expenses[#1].amount: expected a number, not text"),
    ("      expenses: [{kind: taxi, amount: 20}]\n", "taxi",
     "plan.activities[A1].expenses[#1].kind 'taxi' is not one of: travel, lodging, meals, registration, other"),
    ("      expenses: [{kind: lodgings, amount: 20}]\n", "lodgings",
     "plan.activities[A1].expenses[#1].kind 'lodgings' is not one of: travel, lodging, meals, registration, "
     "other (did you mean 'lodging'?)"),
    ("      paid_on: 2026-02-30\n", "2026-02-30",
     "plan.activities[A1].paid_on: '2026-02-30' is not a real date (check the month and day)"),
    ("      rationale: 42\n", "42",
     'plan.activities[A1].rationale: 42 is a number in YAML; rationale is text: write rationale: "42"'),
])
def test_bad_values_point_at_the_value(tmp_path: Path, extra: str, needle: str, message: str) -> None:
    text = with_a1(extra)
    d = only(lint(tmp_path, text), "KP010")
    assert (d["line"], d["column"]) == (line_of(text, needle), col_of(text, needle)), d
    assert d["message"] == message


def test_an_expense_without_amount_points_at_the_expense(tmp_path: Path) -> None:
    text = with_a1("      expenses:\n        - kind: travel\n")
    d = only(lint(tmp_path, text), "KP010")
    assert (d["line"], d["column"]) == (line_of(text, "- kind: travel"), 11)
    assert d["message"] == "plan.activities[A1].expenses[#1] is missing the required key 'amount': add amount: …"


# -- kolplan.yaml -------------------------------------------------------------------------------------------
DISCLOSURE = """\
compliance:
  currency: EUR
disclosure:
  usd_rate: 1.08
  open_payments_thresholds:
    2027: [14.10, 141.00]
"""


def config_errors(tmp_path: Path, block: str) -> list[str]:
    """``kolplan validate`` with CONFIG + ``block`` as kolplan.yaml: it must refuse (exit 2); the error lines."""
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN}, config=CONFIG + block)
    res = run("validate", "--repo", str(root), "--as-of", "2026-06-15", "--no-cache")
    assert res.code == 2 and "Traceback" not in res.err, (res.code, res.err)
    return [line for line in res.err.splitlines() if " KP010 " in line]


def test_a_good_disclosure_block_passes(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN}, config=CONFIG + DISCLOSURE)
    assert run("validate", "--repo", str(root), "--as-of", "2026-06-15", "--no-cache").code == 0


@pytest.mark.parametrize(("old", "new", "needle", "message"), [
    ("usd_rate: 1.08", "usd_rate: 0", "0",
     "disclosure.usd_rate should be greater than 0 (got '0')"),
    ("usd_rate: 1.08", "usd_rate: -1.08", "-1.08",
     "disclosure.usd_rate: must not be negative (got -1.08)"),
    ("usd_rate: 1.08", "usd_rate: about one", "about one",
     "disclosure.usd_rate: expected a number, not text"),
    ("    2027: [14.10, 141.00]", "    next year: [14.10, 141.00]", "next year",
     "key 'next year' in disclosure.open_payments_thresholds is not a year: write a year from 2000 to 2100, "
     "unquoted, e.g. 2027:"),
    ("    2027: [14.10, 141.00]", "    1999: [14.10, 141.00]", "1999",
     "key '1999' in disclosure.open_payments_thresholds is not a year: write a year from 2000 to 2100, "
     "unquoted, e.g. 2027:"),
    ("[14.10, 141.00]", "[14.10]", "[14.10]",
     "disclosure.open_payments_thresholds.2027 should be two amounts in USD, [single payment, annual total], "
     "e.g. [14.10, 141.00] (got 1)"),
    ("[14.10, 141.00]", "[14.10, lots]", "lots",
     "disclosure.open_payments_thresholds.2027[#2]: expected a number, not text"),
])
def test_bad_disclosure_keys(tmp_path: Path, old: str, new: str, needle: str, message: str) -> None:
    block = sub(DISCLOSURE, old, new)
    text = CONFIG + block
    # "0" and "1999" occur earlier in the file: find them on their own line
    line = line_of(text, new.strip())
    col = text.splitlines()[line - 1].index(needle) + 1
    assert config_errors(tmp_path, block) == [f"kolplan.yaml:{line}:{col}: error KP010 schema: {message}"]


def test_an_unknown_activity_type_as_a_nature_key(tmp_path: Path) -> None:
    block = DISCLOSURE + "  nature_of_payment:\n    advisory-boards: Consulting Fee\n"
    line = line_of(CONFIG + block, "advisory-boards")
    [error] = config_errors(tmp_path, block)
    assert error.startswith(f"kolplan.yaml:{line}:5: error KP010 schema: key 'advisory-boards' in "
                            "disclosure.nature_of_payment is not one of: advisory-board, speaker-program, ")
    assert error.endswith("(did you mean 'advisory-board'?)")


def test_cap_includes_expenses_is_true_or_false(tmp_path: Path) -> None:
    block = sub(DISCLOSURE, "  currency: EUR\n", "  currency: EUR\n  cap_includes_expenses: yes\n")
    line = line_of(CONFIG + block, "cap_includes_expenses")
    assert config_errors(tmp_path, block) == [
        f"kolplan.yaml:{line}:26: error KP010 schema: compliance.cap_includes_expenses should be true or false, "
        "not 'yes'"]
