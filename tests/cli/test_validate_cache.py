"""``validate`` with its cache (SPEC 5): same diagnostics, never stale, never an error."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import kolplan.lint.check
import kolplan.lint.crossplan
import kolplan.lint.runner
from kolplan.lint import cache as cache_mod
from kolplan.lint import cachefiles
from tests.helpers import AS_OF, VALID_PLAN, make_repo, run

# A portfolio with plan findings, a cross-plan finding (KP302: two plans share an NPI),
# a used suppression, an unused one (KP901), and a file that does not parse.
DUPLICATE = VALID_PLAN.replace("id: jane-okafor", "id: okafor-speaker").replace(
    "    crm_id: \"V-248113\"\n", "").replace("    orcid: 0000-0002-1825-0097\n", "").replace(
    "    email: j.okafor@example.org\n", "").replace("  - person: a.chen\n    role: lead\n  - person: r.patel\n"
                                                     "    role: contributor",
                                                     "  - person: c.jones\n    role: lead")
FINDINGS = VALID_PLAN.replace("id: jane-okafor", "id: lars-berg").replace("Jane Okafor", "Lars Berg").replace(
    "    npi: \"1234567893\"\n", "").replace("V-248113", "V-1").replace("0000-0002-1825-0097", "0000-0001-5109-3700") \
    .replace("j.okafor@", "l.berg@").replace("      objectives: [O1]\n      owner: a.chen", "      owner: a.chen") \
    .replace("co_developed_with_kol: true", "co_developed_with_kol: false  # kolplan: ignore[KP106]") \
    .replace("custom: {}", "custom: {}  # kolplan: ignore[KP104]")
PLANS = {"jane-okafor.yaml": VALID_PLAN, "okafor-speaker.yaml": DUPLICATE, "lars-berg.yaml": FINDINGS,
         "broken.yaml": "id: [unclosed\n"}


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", PLANS)


def validate(root: Path, *extra: str, fmt: str = "json", as_of: str = AS_OF) -> tuple[int, str]:
    res = run("validate", "--repo", str(root), "--as-of", as_of, "--format", fmt, *extra)
    assert res.code in (0, 1), res.err
    assert res.err == "" or "Traceback" not in res.err
    return res.code, res.out


def cache_files(root: Path) -> list[Path]:
    return sorted((root / cachefiles.CACHE_DIR).glob("validate-*.json"))


def _kind_and_key(path: Path) -> tuple[str, str]:
    kind, _, key = path.stem.partition("-")
    return kind, key


def read_cache(path: Path) -> Any:
    """A cache file's content, its header and digest checked."""
    content = cachefiles.unseal(path.read_bytes(), *_kind_and_key(path))
    assert content is not None, path
    return content


def write_cache(path: Path, content: Any) -> None:
    """Replace a cache file's content, with a header and digest that match it: what only a
    writer who recomputes the digest could do, so that the shape checks behind it are tested."""
    path.write_bytes(cachefiles.seal(*_kind_and_key(path), content))


class CountChecks:
    """Counts files actually checked (not taken from the cache)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = kolplan.lint.check.check_bytes

        def counting(env: Any, rel: str, data: bytes, in_portfolio: bool = True) -> Any:
            self.paths.append(rel)
            return real(env, rel, data, in_portfolio)

        monkeypatch.setattr(kolplan.lint.check, "check_bytes", counting)


def test_same_diagnostics_with_and_without_the_cache(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    codes_seen = {d["code"] for d in json.loads(validate(portfolio, "--no-cache")[1])["diagnostics"]}
    assert {"KP001", "KP101", "KP302", "KP901"} <= codes_seen  # the portfolio exercises what it should
    assert "KP106" not in codes_seen and "KP104" not in codes_seen  # suppressed
    for fmt in ("json", "text", "sarif", "github"):
        shutil_cache(portfolio)
        without = validate(portfolio, "--no-cache", fmt=fmt)
        assert not (portfolio / ".kolplan").exists()  # --no-cache writes nothing
        cold = validate(portfolio, fmt=fmt)
        assert cache_files(portfolio)
        checks = CountChecks(monkeypatch)
        warm = validate(portfolio, fmt=fmt)
        assert checks.paths == []  # every file came from the cache, the broken one too
        monkeypatch.undo()
        assert without == cold == warm, fmt
        # one file named: cross-plan rules still compare it with every plan
        one = [portfolio / "plans" / "okafor-speaker.yaml"]
        assert validate(portfolio, "--no-cache", *map(str, one), fmt=fmt) == validate(portfolio, *map(str, one),
                                                                                       fmt=fmt)


def shutil_cache(root: Path) -> None:
    import shutil

    shutil.rmtree(root / ".kolplan", ignore_errors=True)


def test_an_edited_plan_is_checked_again(portfolio: Path) -> None:
    validate(portfolio)
    validate(portfolio)
    plan = portfolio / "plans" / "jane-okafor.yaml"
    plan.write_text(VALID_PLAN.replace("owner: a.chen", "owner: a.chne"), encoding="utf-8")
    _, out = validate(portfolio)
    assert "a.chne" in out
    assert validate(portfolio) == validate(portfolio, "--no-cache")


def test_a_changed_config_invalidates_the_cache(portfolio: Path) -> None:
    validate(portfolio)
    config = portfolio / "kolplan.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  r.patel: {name: Raj Patel, department: medical-affairs}\n", ""), encoding="utf-8")
    code, out = validate(portfolio)
    assert code == 1 and "'r.patel' is not in kolplan.yaml people" in out
    assert (code, out) == validate(portfolio, "--no-cache")


def test_a_changed_as_of_is_not_served_from_the_cache(portfolio: Path) -> None:
    validate(portfolio)
    later = "2027-03-01"  # after the plans' period: KP205 plan-expired
    _, out = validate(portfolio, as_of=later)
    assert "KP205" in out and "KP205" not in validate(portfolio)[1]
    assert validate(portfolio, as_of=later) == validate(portfolio, "--no-cache", as_of=later)


def test_a_new_kolplan_version_does_not_use_the_old_cache(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validate(portfolio)
    monkeypatch.setattr(cachefiles, "__version__", "99.0.0")
    cachefiles.code_fingerprint.cache_clear()
    try:
        checks = CountChecks(monkeypatch)
        validate(portfolio)
        assert len(checks.paths) == len(PLANS)
    finally:
        monkeypatch.undo()
        cachefiles.code_fingerprint.cache_clear()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong-shape", "folder-is-a-file", "entry-is-a-dir"])
def test_a_corrupt_or_unwritable_cache_is_ignored(portfolio: Path, damage: str) -> None:
    expected = validate(portfolio, "--no-cache")
    validate(portfolio)
    folder = portfolio / cachefiles.CACHE_DIR
    target = cache_files(portfolio)[0]
    if damage == "garbage":
        target.write_bytes(os.urandom(2000))
    elif damage == "truncated":
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    elif damage == "wrong-shape":
        raw = read_cache(target)
        for entry in raw["files"].values():
            entry[2:] = [[["x"]], {"id": 1}, None]
        write_cache(target, raw)
    elif damage == "folder-is-a-file":
        shutil_cache(portfolio)
        (portfolio / ".kolplan").write_text("not a folder", encoding="utf-8")
    else:
        target.unlink()
        target.mkdir()
    res = run("validate", "--repo", str(portfolio), "--as-of", AS_OF, "--format", "json")
    assert (res.code, res.out) == expected
    assert res.err == ""
    assert (res.code, res.out) == validate(portfolio)  # and again, over whatever the first run left
    if damage != "folder-is-a-file":
        assert not [p for p in folder.iterdir() if p.name.endswith("tmp")]


def facts_file(root: Path) -> Path:
    (path,) = (root / cachefiles.CACHE_DIR).glob("facts-*.json")
    return path


class NoCrossPlan:
    """Fails the run if the cross-plan rules run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def boom(*_a: object, **_k: object) -> None:
            raise AssertionError("cross-plan rules ran although nothing changed")

        monkeypatch.setattr(kolplan.lint.crossplan, "cross_plan", boom)


def test_an_unchanged_portfolio_reuses_the_cross_plan_findings(portfolio: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    one = str(portfolio / "plans" / "jane-okafor.yaml")
    expected, expected_one = validate(portfolio, "--no-cache"), validate(portfolio, "--no-cache", one)
    assert "KP302" in expected_one[1]
    validate(portfolio)
    facts_file(portfolio).unlink()  # not even read: the findings of the last run are kept
    NoCrossPlan(monkeypatch)
    assert validate(portfolio) == expected
    assert validate(portfolio, one) == expected_one


def test_an_edit_reruns_the_cross_plan_rules_over_cached_facts(portfolio: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    validate(portfolio)
    speaker = portfolio / "plans" / "okafor-speaker.yaml"
    speaker.write_text(DUPLICATE.replace('    npi: "1234567893"\n', '    npi: "1245319599"\n'), encoding="utf-8")
    checks = CountChecks(monkeypatch)
    code, out = validate(portfolio)
    assert checks.paths == ["plans/okafor-speaker.yaml"]  # the others' facts come from the cache
    monkeypatch.undo()
    assert "KP302" not in out
    assert (code, out) == validate(portfolio, "--no-cache")


@pytest.mark.parametrize("edit", ["interaction logged", "comment at the end", "broken plan still broken"])
def test_an_edit_that_leaves_the_facts_reuses_the_cross_plan_findings(portfolio: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      edit: str) -> None:
    """The pre-commit case: a plan was just edited, below its KOL and owners."""
    validate(portfolio)
    jane = portfolio / "plans" / "jane-okafor.yaml"
    if edit == "interaction logged":
        jane.write_text(VALID_PLAN.replace("feedback:\n", "  - date: 2026-06-10\n    by: a.chen\n    channel: email\n"
                                           "    summary: Sent the MRD paper.\nfeedback:\n"), encoding="utf-8")
    elif edit == "comment at the end":
        jane.write_text(VALID_PLAN + "# reviewed\n", encoding="utf-8")
    else:
        (portfolio / "plans" / "broken.yaml").write_text("id: [still unclosed\n", encoding="utf-8")
    facts_file(portfolio).unlink()  # not even read
    NoCrossPlan(monkeypatch)
    checks = CountChecks(monkeypatch)
    code, out = validate(portfolio)
    one = validate(portfolio, str(jane))
    assert checks.paths == ["plans/broken.yaml" if edit.startswith("broken") else "plans/jane-okafor.yaml"]
    monkeypatch.undo()
    assert "KP302" in out
    assert (code, out) == validate(portfolio, "--no-cache")
    assert one == validate(portfolio, "--no-cache", str(jane))


def test_an_edit_that_moves_a_fact_reruns_the_cross_plan_rules(portfolio: Path) -> None:
    """A line added above the identifiers moves the position KP302 reports."""
    validate(portfolio)
    (portfolio / "plans" / "jane-okafor.yaml").write_text("# Jane's plan\n" + VALID_PLAN, encoding="utf-8")
    code, out = validate(portfolio)
    assert (code, out) == validate(portfolio, "--no-cache")
    kp302 = [d for d in json.loads(out)["diagnostics"] if d["code"] == "KP302" and "jane" in d["path"]]
    assert kp302 and kp302[0]["line"] == VALID_PLAN.splitlines().index('    npi: "1234567893"') + 2


@pytest.mark.parametrize("change", ["removed", "added"])
def test_a_plan_removed_or_added_reruns_the_cross_plan_rules(portfolio: Path, change: str) -> None:
    validate(portfolio)
    if change == "removed":
        (portfolio / "plans" / "okafor-speaker.yaml").unlink()
    else:
        (portfolio / "plans" / "okafor-again.yaml").write_text(
            DUPLICATE.replace("id: okafor-speaker", "id: okafor-again"), encoding="utf-8")
    code, out = validate(portfolio)
    assert ("KP302" in out) == (change == "added")
    assert (code, out) == validate(portfolio, "--no-cache")


@pytest.mark.parametrize("damage", ["facts-deleted", "facts-garbage", "facts-wrong-shape", "facts-other-digest"])
def test_lost_facts_have_their_files_checked_again(portfolio: Path, monkeypatch: pytest.MonkeyPatch,
                                                   damage: str) -> None:
    validate(portfolio)
    target = facts_file(portfolio)
    if damage == "facts-deleted":
        target.unlink()
    elif damage == "facts-garbage":
        target.write_bytes(os.urandom(500))
    else:
        raw = read_cache(target)
        for entry in raw["facts"].values():
            if damage == "facts-wrong-shape":
                entry[1] = {"id": 1}
            else:
                entry[0] = "0" * 32
        write_cache(target, raw)
    lars = portfolio / "plans" / "lars-berg.yaml"  # a changed fact: the cross-plan rules must run again
    lars.write_text(FINDINGS.replace("name: Lars Berg", "name: Lars Berg-Holm"), encoding="utf-8")
    checks = CountChecks(monkeypatch)
    result = validate(portfolio)
    monkeypatch.undo()
    # the edited plan, and the plans whose facts are lost; not the broken one, which has none
    assert sorted(checks.paths) == ["plans/jane-okafor.yaml", "plans/lars-berg.yaml", "plans/okafor-speaker.yaml"]
    assert result == validate(portfolio, "--no-cache")
    checks = CountChecks(monkeypatch)
    assert validate(portfolio) == result
    assert checks.paths == []  # and the facts are back


def test_a_damaged_cross_plan_memo_is_recomputed(portfolio: Path) -> None:
    expected = validate(portfolio, "--no-cache")
    validate(portfolio)
    target = cache_files(portfolio)[0]
    raw = read_cache(target)
    assert raw["cross"][1]  # KP302 is kept
    for bad in ([raw["cross"][0], [["plans/x.yaml", 0, 1, "error", "KP302", "r", "m"]]],
                [raw["cross"][0], "nope"], ["other-inputs", []], None):
        raw["cross"] = bad
        write_cache(target, raw)
        assert validate(portfolio) == expected, bad


def test_writes_are_atomic(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kolplan.yamlio.atomic as atomic

    written: list[Path] = []
    real = atomic.atomic_write

    def spy(path: Path, data: bytes | str, **kw: Any) -> None:
        written.append(path)
        real(path, data, **kw)

    monkeypatch.setattr(atomic, "atomic_write", spy)
    validate(portfolio)
    assert cache_files(portfolio)[0] in written
    assert all(p.is_relative_to(portfolio / ".kolplan") for p in written)


def test_a_half_written_cache_from_a_crashed_writer_is_not_read(portfolio: Path) -> None:
    """A writer killed mid-way leaves only its temp file; the cache file is whole or absent."""
    validate(portfolio)
    target = cache_files(portfolio)[0]
    (target.parent / f".{target.name}.abc.kolplan-tmp").write_bytes(target.read_bytes()[:100])
    assert validate(portfolio) == validate(portfolio, "--no-cache")


def test_no_cache_neither_reads_nor_writes(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("the cache was opened")

    monkeypatch.setattr(cache_mod.ResultCache, "open", boom)
    monkeypatch.setattr(cachefiles, "config_snapshot", boom)
    validate(portfolio, "--no-cache")
    assert not (portfolio / ".kolplan").exists()


def test_a_warm_run_needs_no_models(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every plan and kolplan.yaml from the cache: no plan is parsed, no config validated."""
    (portfolio / "plans" / "broken.yaml").unlink()
    expected = validate(portfolio)
    import kolplan.repo.config

    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(kolplan.repo.config, "load_config", boom)
    monkeypatch.setattr(kolplan.lint.check, "parse_plan", boom)
    assert validate(portfolio) == expected


def test_the_cache_folder_ignores_itself_in_git(portfolio: Path) -> None:
    validate(portfolio)
    assert (portfolio / ".kolplan" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
