"""``kolplan disclose`` end to end on the hand-counted portfolio of tests/engagement/tov_portfolio.py
(its docstring has the counts): each format written with -o, parsed back with the csv module and
compared with the expected rows; exit codes; bad input that writes nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kolplan.engagement.disclosure import record_id
from tests.engagement.tov_portfolio import AS_OF, BROKEN, NPIS, TOV_CONFIG, TOV_PLANS
from tests.helpers import Result, make_repo, run


@pytest.fixture
def tov(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "tov", TOV_PLANS, TOV_CONFIG)


def disclose(root: Path, *args: str, year: str = "2026") -> Result:
    res = run("disclose", "--year", year, "--repo", str(root), "--as-of", AS_OF, *args)
    assert "Traceback" not in res.err, res.err
    return res


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def written(root: Path, tmp_path: Path, fmt: str, year: str = "2026") -> tuple[Result, list[dict[str, str]]]:
    out = tmp_path / f"{fmt}.csv"
    res = disclose(root, "--format", fmt, "-o", str(out), year=year)
    assert res.out == "" and f"kolplan: wrote {out}" in res.err
    return res, rows_of(out)


S = ("Compensation for services other than consulting, including serving as faculty or as a speaker at a venue "
     "other than a continuing education program")
US_DM = "a US KOL; {} USD is at or above the 13.82 USD single-payment threshold"


def test_ledger(tov: Path, tmp_path: Path) -> None:
    res, rows = written(tov, tmp_path, "ledger")
    assert res.code == 0
    got = [(r["plan"][6:-5], r["activity"], r["paid_on"], r["kind"], r["amount"], r["currency"], r["amount_usd"],
            r["reportable_in"], r["reportable"]) for r in rows]
    assert got == [
        ("ann-lee", "A1", "2026-03-01", "meals", "12.00", "EUR", "13.20", "neither", "no"),
        ("ann-lee", "A2", "2026-05-01", "meals", "12.56", "EUR", "13.82", "Open Payments", "yes"),
        ("ben-carter", "A1", "2026-02-10", "fee", "1000.00", "EUR", "1100.00", "Open Payments", "yes"),
        ("ben-carter", "A1", "2026-02-10", "meals", "10.00", "EUR", "11.00", "Open Payments", "yes"),
        ("ben-carter", "A3", "2026-01-10", "fee", "800.00", "EUR", "880.00", "Open Payments", "yes"),
        ("ben-carter", "A5", "2026-06-01", "fee", "2000.00", "EUR", "2200.00", "Open Payments", "yes"),
        ("cara-diaz", "A1", "2026-03-15", "fee", "113.18", "EUR", "124.50", "Open Payments", "yes"),
        ("cara-diaz", "A1", "2026-03-15", "meals", "12.39", "EUR", "13.63", "neither", "no"),
        ("dan-evans", "A1", "2026-04-01", "fee", "200.00", "EUR", "220.00", "Open Payments", "yes"),
        ("eve-martin", "A1", "2026-03-10", "fee", "1500.00", "EUR", "", "EFPIA", "yes"),
        ("eve-martin", "A1", "2026-03-10", "travel", "300.00", "EUR", "", "EFPIA", "yes"),
        ("eve-martin", "A1", "2026-03-10", "lodging", "200.00", "EUR", "", "EFPIA", "yes"),
        ("eve-martin", "A1", "2026-03-10", "meals", "50.00", "EUR", "", "neither", "no"),
        ("eve-martin", "A2", "2026-06-10", "registration", "400.00", "EUR", "", "EFPIA", "yes"),
        ("eve-martin", "A2", "2026-06-10", "travel", "150.00", "EUR", "", "EFPIA", "yes"),
        ("eve-martin", "A3", "2026-07-01", "fee", "1000.00", "EUR", "", "EFPIA", "yes"),
        ("felix-braun", "A1", "2026-05-05", "fee", "700.00", "EUR", "", "EFPIA", "yes"),
        ("felix-braun", "A1", "2026-05-05", "travel", "100.00", "EUR", "", "EFPIA", "yes"),
        ("greta-hoffmann", "A1", "2026-09-09", "fee", "400.00", "EUR", "", "EFPIA", "yes"),
        ("hugo-petit", "A1", "2026-10-10", "registration", "250.00", "EUR", "", "EFPIA", "yes"),
        ("ichiro-sato", "A1", "2026-03-03", "fee", "500.00", "EUR", "", "neither", "no"),
        ("jo-noland", "A1", "2026-03-04", "fee", "100.00", "EUR", "", "neither", "no"),
    ]
    why = {(r["plan"][6:-5], r["activity"], r["kind"]): r["why"] for r in rows}
    assert why[("ann-lee", "A1", "meals")] == ("below the de minimis: 13.20 USD is under 13.82 USD and the year's "
                                               "total of 27.02 USD does not exceed 138.13 USD")
    assert why[("ben-carter", "A1", "meals")] == ("a US KOL; 11.00 USD is below 13.82 USD, but the year's total of "
                                                  "1991.00 USD exceeds 138.13 USD")
    assert why[("cara-diaz", "A1", "meals")].endswith("the year's total of 138.13 USD does not exceed 138.13 USD")
    assert why[("dan-evans", "A1", "fee")] == (US_DM.format("220.00") + "; no NPI: add kol.identifiers.npi before "
                                               "filing (KP407)")
    assert why[("eve-martin", "A1", "lodging")] == "related expenses; individual disclosure (consent recorded)"
    assert why[("eve-martin", "A1", "meals")] == "meals and drinks are not disclosed under the EFPIA code"
    assert why[("ben-carter", "A5", "fee")].startswith("a research payment (clinical-trial)")
    assert why[("jo-noland", "A1", "fee")] == "no kol.country: neither Open Payments (US) nor EFPIA (EEA, UK, CH)"
    assert rows[2]["kol"] == "Ben Carter" and rows[4]["activity_date"] == "2025-12-15"  # paid_on across the year
    assert "Dan Evans is in the US but has no NPI" in res.err  # listed, not dropped
    assert "2 KOLs in the EEA, the UK or Switzerland have no recorded consent" in res.err


def test_open_payments(tov: Path, tmp_path: Path) -> None:
    res, rows = written(tov, tmp_path, "open-payments")
    assert res.code == 0
    assert list(rows[0]) == ["Record_ID", "Covered_Recipient_NPI", "Covered_Recipient_First_Name",
                             "Covered_Recipient_Last_Name", "Recipient_Country", "Total_Amount_of_Payment_USDollars",
                             "Date_of_Payment", "Number_of_Payments_Included_in_Total_Amount",
                             "Form_of_Payment_or_Transfer_of_Value", "Nature_of_Payment_or_Transfer_of_Value"]
    cash, kind = "Cash or cash equivalent", "In-kind items and services"
    expected = [
        ("ann-lee", "A2", 1, NPIS["ann-lee"], "Ann", "Lee", "13.82", "05/01/2026", kind, "Food and Beverage"),
        ("ben-carter", "A1", 0, NPIS["ben-carter"], "Ben", "Carter", "1100.00", "02/10/2026", cash, "Consulting Fee"),
        ("ben-carter", "A1", 1, NPIS["ben-carter"], "Ben", "Carter", "11.00", "02/10/2026", kind, "Food and Beverage"),
        ("ben-carter", "A3", 0, NPIS["ben-carter"], "Ben", "Carter", "880.00", "01/10/2026", cash, "Consulting Fee"),
        ("cara-diaz", "A1", 0, NPIS["cara-diaz"], "Cara", "Diaz", "124.50", "03/15/2026", cash, "Consulting Fee"),
        ("dan-evans", "A1", 0, "", "Dan", "Evans", "220.00", "04/01/2026", cash, "Consulting Fee"),
    ]
    assert [list(r.values()) for r in rows] == [
        [record_id(p, a, pos), npi, first, last, "United States", amount, day, "1", form, nature]
        for p, a, pos, npi, first, last, amount, day, form, nature in expected]
    assert "1 research payment to US KOLs is not in General Payments" in res.err
    assert "plans/dan-evans.yaml: Dan Evans is in the US but has no NPI" in res.err
    assert "consent" not in res.err  # the EFPIA note is efpia's and the ledger's


def test_record_ids_are_the_same_across_runs(tov: Path) -> None:
    first = disclose(tov, "--format", "open-payments").out
    assert first == disclose(tov, "--format", "open-payments").out
    ids = [r["Record_ID"] for r in csv.DictReader(io.StringIO(first))]
    assert len(set(ids)) == len(ids) == 6


def test_efpia(tov: Path, tmp_path: Path) -> None:
    res, rows = written(tov, tmp_path, "efpia")
    assert res.code == 0
    assert [list(r.values()) for r in rows] == [
        # disclosure, country, plan, name, recipients, registration, travel+acc., fees, related, total, share, cur
        ["individual", "DE", "eve-martin", "Eve Martin", "1", "400.00", "150.00", "1500.00", "500.00", "2550.00", "",
         "EUR"],
        ["aggregate", "DE", "", "", "2", "0.00", "0.00", "1100.00", "100.00", "1200.00", "66.7", "EUR"],
        ["aggregate", "FR", "", "", "1", "250.00", "0.00", "0.00", "0.00", "250.00", "100.0", "EUR"],
        ["research and development", "", "", "", "1", "", "", "", "", "1000.00", "", "EUR"],
    ]
    assert res.err.count("\n") == 2  # wrote, and the consent count
    assert ("2 KOLs in the EEA, the UK or Switzerland have no recorded consent to individual disclosure "
            "(privacy.tov_disclosure_consent): aggregated; ask them (KP406)") in res.err


def test_json_has_everything(tov: Path) -> None:
    res = disclose(tov, "--format", "json")
    assert res.code == 0
    doc = json.loads(res.out)
    assert doc["year"] == 2026 and doc["currency"] == "EUR" and doc["usd_rate"] == "1.1"
    assert doc["open_payments_thresholds"] == {"single": "13.82", "annual": "138.13"}
    assert (len(doc["ledger"]), len(doc["open_payments"]), len(doc["efpia"])) == (22, 6, 4)
    assert doc["skipped"] == [] and len(doc["notes"]) == 3


def test_the_next_year_gets_what_was_paid_in_january(tov: Path) -> None:
    # ben-carter A4: done 2026-12-20, paid 2027-01-05; 2027 has no built-in thresholds, but the ledger needs none
    res = disclose(tov, year="2027")
    assert res.code == 0
    rows = list(csv.DictReader(io.StringIO(res.out)))
    assert [(r["plan"], r["activity"], r["amount_usd"]) for r in rows] == [("plans/ben-carter.yaml", "A4", "330.00")]
    assert "de minimis not checked: no thresholds for 2027" in rows[0]["why"]


def test_a_plan_with_a_schema_error_is_named_and_exit_1(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**TOV_PLANS, **BROKEN}, TOV_CONFIG)
    out = tmp_path / "op.csv"
    res = disclose(root, "--format", "open-payments", "-o", str(out))
    assert res.code == 1
    assert ("kolplan: warning: skipped plans/zz-broken.yaml: 1 reading or schema error; run `kolplan validate "
            "plans/zz-broken.yaml` to see it") in res.err
    assert "the filing is incomplete: 1 plan with reading or schema errors was left out" in res.err
    assert len(rows_of(out)) == 6  # the valid plans' rows are all there


@pytest.mark.parametrize("bad", ["      expenses: [{kind: travel, amount: -5}]\n",
                                 "      expenses: [{kind: travel, amount: lots}]\n",
                                 "      expenses: [{kind: taxi, amount: 5}]\n"])
def test_bad_expenses_leave_the_plan_out(tmp_path: Path, bad: str) -> None:
    text = TOV_PLANS["dan-evans.yaml"] + bad
    root = make_repo(tmp_path / "r", {**TOV_PLANS, "dan-evans.yaml": text}, TOV_CONFIG)
    res = disclose(root)
    assert res.code == 1 and "skipped plans/dan-evans.yaml: 1 reading or schema error" in res.err
    assert "dan-evans" not in res.out
    check = run("validate", str(root / "plans" / "dan-evans.yaml"), "--repo", str(root), "--as-of", AS_OF,
                "--no-cache")
    last = len(text.splitlines())  # the bad expense is the plan's last line
    assert check.code == 1 and f"plans/dan-evans.yaml:{last}:" in check.out and " error KP010 " in check.out


# -- bad requests: exit 2, nothing written ---------------------------------------------------------------------
def refused(root: Path, tmp_path: Path, *args: str, year: str = "2026") -> str:
    out = tmp_path / "filing.csv"
    out.write_text("the old filing\n", encoding="utf-8")
    res = disclose(root, *args, "-o", str(out), year=year)
    assert res.code == 2, (res.code, res.err)
    assert out.read_text(encoding="utf-8") == "the old filing\n"  # untouched: never a partial file
    assert list(tmp_path.glob("*.kolplan-tmp")) == []
    return res.err


def test_a_year_without_thresholds(tov: Path, tmp_path: Path) -> None:
    err = refused(tov, tmp_path, "--format", "open-payments", year="2027")
    assert err == ("kolplan: error: --year 2027: no Open Payments de minimis thresholds for 2027: add them to "
                   "kolplan.yaml as disclosure.open_payments_thresholds: {2027: [SINGLE, ANNUAL]} in USD, as CMS "
                   "publishes them (known years: 2025, 2026)\n")


def test_thresholds_from_kolplan_yaml(tmp_path: Path) -> None:
    config = TOV_CONFIG + "  open_payments_thresholds:\n    2027: [14.10, 141.00]\n"
    root = make_repo(tmp_path / "r", TOV_PLANS, config)
    res = disclose(root, "--format", "open-payments", year="2027")
    assert res.code == 0
    [row] = list(csv.DictReader(io.StringIO(res.out)))
    assert (row["Total_Amount_of_Payment_USDollars"], row["Date_of_Payment"]) == ("330.00", "01/05/2027")


def test_a_missing_usd_rate(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", TOV_PLANS, TOV_CONFIG.replace("  usd_rate: 1.10\n", "  nature_of_payment: {}\n"))
    err = refused(root, tmp_path, "--format", "open-payments")
    assert err == ("kolplan: error: disclosure.usd_rate is needed: the plans' amounts are in EUR (compliance.currency) "
                   "and Open Payments reports US dollars; add disclosure: {usd_rate: RATE} to kolplan.yaml (US dollars "
                   "per 1 EUR)\n")
    refused(root, tmp_path, "--format", "json")
    assert disclose(root, "--format", "efpia").code == 0  # EFPIA needs no rate
    ledger = disclose(root)
    assert ledger.code == 0 and "de minimis not checked: no disclosure.usd_rate to convert EUR to USD" in ledger.out


def test_usd_needs_no_rate(tmp_path: Path) -> None:
    config = TOV_CONFIG.replace("currency: EUR", "currency: USD").replace("  usd_rate: 1.10\n", "  {}\n")
    root = make_repo(tmp_path / "r", TOV_PLANS, config.replace("disclosure:\n  {}\n", "disclosure: {}\n"))
    res = disclose(root, "--format", "open-payments")
    assert res.code == 0 and ",1000.00,02/10/2026," in res.out  # 1,000 USD as it is


@pytest.mark.parametrize(("args", "message"), [
    (("--format", "pdf"), "--format pdf: unknown format; choose one of ledger, open-payments, efpia, json"),
    (("--year", "26"), "--year 26: give a calendar year from 2000 to 2100, e.g. --year 2026"),
])
def test_bad_options(tov: Path, args: tuple[str, ...], message: str) -> None:
    res = run("disclose", "--year", "2026", "--repo", str(tov), *args)
    assert res.code == 2 and res.err == f"kolplan: error: {message}\n"


def test_o_never_overwrites_a_plan(tov: Path) -> None:
    plan = tov / "plans" / "ann-lee.yaml"
    before = plan.read_bytes()
    res = disclose(tov, "-o", str(plan))
    assert res.code == 2 and "is a plan file" in res.err and plan.read_bytes() == before
