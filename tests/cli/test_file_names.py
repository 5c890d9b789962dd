"""File names from outside (SPEC 9): a name that is not valid UTF-8 is shown escaped in
every format, never an internal error, and the cache keeps working; control characters
in a name (ESC, BEL) are shown, not sent to the terminal or the CI log."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import AS_OF, VALID_PLAN, make_repo, run

# A plan in a folder whose name is Latin-1 (b"caf\xe9"): valid, with one warning, so
# validate exits 0 and shows the name.
FOLDER = os.fsdecode(b"caf\xe9")
WARNED = VALID_PLAN.replace("      objectives: [O1]\n      owner: a.chen", "      owner: a.chen")  # KP101 on A2
SHOWN = "plans/caf\\xe9/jane-okafor.yaml"
# A plan file named in Latin-1: its id cannot match its name (KP011, exit 1).
FILE = os.fsdecode(b"b\xe9b\xe9.yaml")
# ESC and BEL in a name: a terminal would obey them
EVIL = "evil\x1b]0;pwned\x07\x1b[2J.yaml"

FORMATS = ["text", "json", "github", "sarif"]


def assert_no_raw_controls(text: str) -> None:
    raw = re.findall(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)
    assert raw == [], (raw, text[:2000])


def _repo(tmp_path: Path, *extra: str) -> Path:
    """The plan in ``plans/caf\\xe9/``, and another KOL's plan under each name in ``extra``."""
    root = make_repo(tmp_path / "r", {f"{FOLDER}/jane-okafor.yaml": WARNED})
    other = (VALID_PLAN.replace("  name: Jane Okafor", "  name: Other One")
             .replace('crm_id: "V-248113"', 'crm_id: "V-1"').replace("j.okafor@", "o.one@")
             .replace('    npi: "1234567893"\n', "").replace("    orcid: 0000-0002-1825-0097\n", ""))
    for name in extra:
        (root / "plans" / name).write_text(other, encoding="utf-8")
    return root


def kolplan(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """kolplan in a process of its own, with a strict UTF-8 stdout (as under en_US.UTF-8;
    the C.UTF-8 locale would let surrogates through as raw bytes)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8:strict", NO_COLOR="1")
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "kolplan", *args, "--repo", str(root), "--as-of", AS_OF],
                          capture_output=True, env=env, timeout=60)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_name_that_is_not_utf8_is_shown_escaped_in_every_format(tmp_path: Path, fmt: str) -> None:
    root = _repo(tmp_path)
    res = kolplan(root, "validate", "--format", fmt, "--no-cache")
    assert res.returncode == 0, res.stderr
    assert res.stderr == b""
    out = res.stdout.decode("utf-8")  # strict: the output is UTF-8
    if fmt == "json":
        [d] = json.loads(out)["diagnostics"]
        assert (d["path"], d["code"]) == (SHOWN, "KP101")
    elif fmt == "sarif":
        [r] = json.loads(out)["runs"][0]["results"]
        # a URI: the name's bytes percent-encoded, so it still points at the file
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "plans/caf%E9/jane-okafor.yaml"
    else:
        assert SHOWN in out
        assert_no_raw_controls(out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_plan_file_named_in_latin1_is_an_error_not_a_bug(tmp_path: Path, fmt: str) -> None:
    root = _repo(tmp_path, FILE)
    res = kolplan(root, "validate", "--format", fmt)
    assert res.returncode == 1, res.stderr  # KP011: the id cannot match such a name
    assert res.stderr == b""
    out = res.stdout.decode("utf-8")
    assert "KP011" in out and "Traceback" not in out
    if fmt == "sarif":
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in json.loads(out)["runs"][0]["results"]}
        assert "plans/b%E9b%E9.yaml" in uris
    elif fmt == "json":
        assert "plans/b\\xe9b\\xe9.yaml" in {d["path"] for d in json.loads(out)["diagnostics"]}
    else:
        assert "plans/b\\xe9b\\xe9.yaml" in out


@pytest.mark.parametrize(("command", "shown"), [
    (["report", "--no-git"], "plans/b\\xe9b\\xe9.yaml"),  # among the plans that could not be read
    (["owners", "--format", "md"], "`plans/b\\xe9b\\xe9.yaml`"),
    (["owners", "--format", "json"], '"plans/b\\\\xe9b\\\\xe9.yaml"'),  # JSON: the backslash escaped
    (["owners"], "jane-okafor"),
    (["list"], "jane-okafor"),
    (["list", "--format", "json"], '"path": "plans/caf\\\\xe9/jane-okafor.yaml"'),
    (["list", "--format", "csv"], ",plans/caf\\xe9/jane-okafor.yaml\n"),
], ids=["report", "owners-md", "owners-json", "owners", "list", "list-json", "list-csv"])
def test_documents_and_listings_show_such_names_escaped(tmp_path: Path, command: list[str], shown: str) -> None:
    root = _repo(tmp_path, FILE, EVIL)  # those two are left out (KP011), and named on stderr
    res = kolplan(root, *command)
    assert res.returncode == 0, res.stderr
    out, err = res.stdout.decode("utf-8"), res.stderr.decode("utf-8")
    assert "Traceback" not in err and "internal error" not in err
    assert "plans/b\\xe9b\\xe9.yaml" in err and "plans/evil\\x1b]0;pwned\\x07" in err
    assert shown in out
    assert_no_raw_controls(out)
    assert_no_raw_controls(err)
    if command[0] == "report" or "md" in command:  # Markdown: ESC and BEL shown too
        assert "evil\\x1b]0;pwned\\x07" in out


def test_report_written_to_a_file_is_utf8(tmp_path: Path) -> None:
    root = _repo(tmp_path, FILE)
    res = kolplan(root, "report", "--no-git", "-o", str(root / "review.md"))
    assert res.returncode == 0, res.stderr
    text = (root / "review.md").read_bytes().decode("utf-8")
    assert "plans/b\\xe9b\\xe9.yaml" in text


def test_the_cache_keeps_working_with_such_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It used to give up silently: its JSON could not be written as UTF-8."""
    root = _repo(tmp_path, FILE)
    first = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
    assert first.code == 1
    entries = {}
    from kolplan.lint.cachefiles import unseal

    for path in (root / ".kolplan" / "cache").glob("validate-*.json"):
        content = unseal(path.read_bytes(), "validate", path.stem.removeprefix("validate-"))
        assert content is not None, "the cache file does not verify"
        entries.update(content["files"])
    assert set(entries) == {f"plans/{FOLDER}/jane-okafor.yaml", f"plans/{FILE}"}

    import kolplan.lint.check
    import kolplan.lint.runner

    def no_check(*args: object, **kwargs: object) -> object:
        raise AssertionError("a plan was checked again: the cache was not used")

    monkeypatch.setattr(kolplan.lint.check, "check_bytes", no_check)
    monkeypatch.setattr(kolplan.lint.runner, "read_plan_bytes", no_check)
    second = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
    assert (second.code, second.out, second.err) == (first.code, first.out, first.err)


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_esc_and_bel_in_a_name_are_shown_not_obeyed(tmp_path: Path, fmt: str) -> None:
    root = _repo(tmp_path, EVIL)
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", fmt)
    assert res.code == 1, res.err  # KP011
    assert_no_raw_controls(res.out)
    assert "evil\\x1b]0;pwned\\x07\\x1b[2J" in res.out
    if fmt == "github":
        assert "::error file=plans/evil\\x1b]0;pwned\\x07\\x1b[2J.yaml,line=" in res.out


def test_json_keeps_such_a_name_exact_but_for_what_json_escapes(tmp_path: Path) -> None:
    """JSON escapes control characters itself (\\u001b): tools get the name as it is."""
    root = _repo(tmp_path, EVIL)
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
    assert res.code == 1
    assert_no_raw_controls(res.out)
    assert f"plans/{EVIL}" in {d["path"] for d in res.json()["diagnostics"]}
