"""What reaches the terminal (SPEC 9): no raw control characters from plan text, one line
for an internal error (exit 3), the traceback only with --debug, plan text never run as Jinja."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import AS_OF, CONFIG, VALID_PLAN, make_repo, run

# Escapes a terminal obeys: clear screen, set the window title (OSC ... BEL), C1 CSI, backspace.
CLEAR = "\x1b[2J"
TITLE = "\x1b]0;pwned\x07"
C1 = "\x9b31m"
EVIL = (CLEAR, TITLE, C1, "\b\b\b")


def assert_no_raw_controls(text: str) -> None:
    raw = re.findall(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)
    assert raw == [], (raw, text[:2000])


def y(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (where control characters must be escaped)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in out) + '"'


PLACES = {
    # where plan text ends up in a diagnostic's message
    "kol-name (KP501)": lambda e: VALID_PLAN.replace("name: Jane Okafor", f"name: {y('Jane ' + e)}").replace(
        "country: US", "country: DE"),
    "owner-handle (KP012)": lambda e: VALID_PLAN.replace("  - person: a.chen", f"  - person: {y('a.chen' + e)}"),
    "tier (KP010)": lambda e: VALID_PLAN.replace("tier: national", f"tier: {y('national' + e)}"),
    "unknown-key (KP010)": lambda e: VALID_PLAN + f"{y('colour' + e)}: red\n",
    "id (KP010)": lambda e: VALID_PLAN.replace("id: jane-okafor", f"id: {y('jane' + e)}"),
    "duplicate-key (KP002)": lambda e: VALID_PLAN + f"{y('x' + e)}: 1\n{y('x' + e)}: 2\n",
    "objective-link (KP013)": lambda e: VALID_PLAN.replace("objectives: [O1]", f"objectives: [{y('O9' + e)}]", 1),
}


@pytest.mark.parametrize("escape", EVIL, ids=["clear-screen", "window-title", "c1-csi", "backspace"])
@pytest.mark.parametrize("place", list(PLACES))
@pytest.mark.parametrize("colour", [False, True], ids=["plain", "forced-colour"])
def test_validate_text_output_shows_control_characters_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, place: str, escape: str, colour: bool
) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": PLACES[place](escape)})
    if colour:
        monkeypatch.setenv("FORCE_COLOR", "1")
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--strict")  # KP501 is a warning
    assert res.code == 1, (res.out, res.err)
    out = res.out
    if colour:  # rich's own styling is allowed; nothing else
        out = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert_no_raw_controls(out)
    shown = "\\x" + f"{ord(escape[0]):02x}"
    assert shown in out, out  # shown, so the reader can find and fix it


def test_json_keeps_the_text_exact_for_tools(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": PLACES["owner-handle (KP012)"](CLEAR)})
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
    assert res.code == 1
    assert_no_raw_controls(res.out)  # JSON escapes them: \u001b
    assert any(CLEAR in d["message"] for d in res.json()["diagnostics"])


@pytest.mark.parametrize(
    ("args", "config"),
    [
        (["validate", f"plans/nope{CLEAR}.yaml"], CONFIG),
        (["validate", "--select", f"KP1{TITLE}"], CONFIG),
        (["validate"], CONFIG.replace("department: commercial}", f"department: {y('commercial' + CLEAR)}}}")),
        (["validate"], CONFIG + f"{y('colour' + TITLE)}: red\n"),
    ],
    ids=["missing-path", "unknown-rule", "config-department", "config-unknown-key"],
)
def test_error_messages_show_control_characters_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], config: str
) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN}, config=config)
    monkeypatch.chdir(root)
    res = run(*args, "--as-of", AS_OF)
    assert res.code == 2, (res.out, res.err)
    assert_no_raw_controls(res.err)
    assert "\\x1b" in res.err
    assert res.err.splitlines()[-1].startswith("kolplan: error: ")


def test_log_error_messages_show_control_characters_escaped(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    res = run("log", "jane-okafor", f"--by=a.chen{CLEAR}", "--channel=email", "--summary=hi", "--repo", str(root),
              "--as-of", AS_OF)
    assert res.code == 2, res.err
    assert_no_raw_controls(res.err)
    assert (root / "plans" / "jane-okafor.yaml").read_text() == VALID_PLAN


# -- internal errors: one line and exit 3; the traceback with --debug --------------------
class Bug(Exception):
    pass


def _raise(*_a: Any, **_k: Any) -> Any:
    raise Bug(f"simulated bug{CLEAR}\nsecond line")


def _boom(*_a: Any, **_k: Any) -> Iterator[Any]:
    """A rule check (a generator) that fails when it runs."""
    yield _raise()


def _break_rule(monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    from kolplan.rules import registry

    rule = registry.load_rules()[code]
    monkeypatch.setitem(registry._RULES, code, dataclasses.replace(rule, check=_boom))


def _break_formatter(monkeypatch: pytest.MonkeyPatch, _code: str) -> None:
    import kolplan.formats.text

    monkeypatch.setattr(kolplan.formats.text, "render", _raise)


def _break_config(monkeypatch: pytest.MonkeyPatch, _code: str) -> None:
    import kolplan.repo.config

    monkeypatch.setattr(kolplan.repo.config, "_semantic_problems", _raise)


@pytest.mark.parametrize(
    ("breaker", "code"),
    [(_break_rule, "KP011"), (_break_rule, "KP016"), (_break_rule, "KP501"), (_break_formatter, ""),
     (_break_config, "")],
    ids=["plan-rule", "portfolio-rule", "privacy-rule", "formatter", "config-check"],
)
def test_a_bug_is_one_line_and_exit_3(
    repo: Path, monkeypatch: pytest.MonkeyPatch, breaker: Any, code: str
) -> None:
    breaker(monkeypatch, code)
    res = run("validate", "--repo", str(repo), "--as-of", AS_OF, "--no-cache")
    assert res.code == 3, (res.code, res.out, res.err)
    assert res.err.count("\n") == 1, res.err
    assert "internal error (Bug: simulated bug" in res.err and "--debug" in res.err and "report" in res.err
    assert "Traceback" not in res.err
    assert_no_raw_controls(res.err.rstrip("\n"))

    with pytest.raises(Bug, match="simulated bug"):
        run("validate", "--repo", str(repo), "--as-of", AS_OF, "--no-cache", "--debug")
    monkeypatch.setenv("KOLPLAN_DEBUG", "1")
    with pytest.raises(Bug):
        run("validate", "--repo", str(repo), "--as-of", AS_OF, "--no-cache")


def test_debug_changes_nothing_when_there_is_no_bug(repo: Path) -> None:
    plain = run("validate", "--repo", str(repo), "--as-of", AS_OF)
    debug = run("validate", "--debug", "--repo", str(repo), "--as-of", AS_OF)
    assert (plain.code, plain.out) == (debug.code, debug.out) == (0, "0 errors, 0 warnings in 1 file\n")


def test_a_user_error_is_not_reported_as_a_bug_under_debug(tmp_path: Path) -> None:
    res = run("validate", "--debug", "--repo", str(tmp_path / "missing"))
    assert res.code == 2 and "Traceback" not in res.err and "internal error" not in res.err


# -- templates never run plan text -------------------------------------------------------
INJECTION = "Jane {{ 7*7 }} {% raw %}x{% endraw %} {{ cycler.__init__.__globals__ }}"


@pytest.mark.parametrize("command", [["render", "jane-okafor"], ["report", "--quarter", "2026-Q2"]])
def test_plan_text_is_printed_literally_not_evaluated(tmp_path: Path, command: list[str]) -> None:
    plan = VALID_PLAN.replace("name: Jane Okafor", f"name: {y(INJECTION)}")
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": plan})
    res = run(*command, "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 0, res.err
    assert INJECTION in res.out  # the name, as written
    assert "Jane 49" not in res.out and "<function" not in res.out and "__builtins__" not in res.out
