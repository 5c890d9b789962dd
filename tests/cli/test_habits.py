"""Habits from other CLIs (issue 15): ``-q`` is quiet, Ctrl-C at a prompt, completion, suggestions, pipes."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

import kolplan.cli.validate_run as validate_run
from tests.helpers import AS_OF, VALID_PLAN, make_repo, run

BAD = VALID_PLAN.replace("owner: a.chen", "owner: a.chne")


@pytest.fixture
def clean_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"jane-okafor.yaml": VALID_PLAN})


@pytest.fixture
def bad_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"jane-okafor.yaml": BAD})


def _both_paths(monkeypatch: pytest.MonkeyPatch, *args: str) -> list[tuple[int, str, str]]:
    """``kolplan ARGS`` through the fast path and through typer."""
    fast = run(*args)
    with monkeypatch.context() as m:
        m.setattr(validate_run, "fast_validate", lambda _args: None)
        slow = run(*args)
    return [(fast.code, fast.out, fast.err), (slow.code, slow.out, slow.err)]


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_validate_quiet_prints_only_the_summary(bad_repo: Path, flag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for code, out, err in _both_paths(monkeypatch, "validate", "--repo", str(bad_repo), "--as-of", AS_OF,
                                      "--no-cache", flag):
        assert code == 1
        assert out == "1 error, 0 warnings in 1 file\n", out
        assert err == ""


def test_validate_quiet_prints_nothing_when_nothing_to_report(clean_repo: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for code, out, err in _both_paths(monkeypatch, "validate", "--repo", str(clean_repo), "--as-of", AS_OF,
                                      "-q"):
        assert (code, out, err) == (0, "", "")


def test_validate_quiet_leaves_machine_formats_whole(bad_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loud = run("validate", "--repo", str(bad_repo), "--as-of", AS_OF, "--format", "json", "--no-cache")
    assert loud.code == 1
    for code, out, _err in _both_paths(monkeypatch, "validate", "--repo", str(bad_repo), "--as-of", AS_OF,
                                       "--format", "json", "--no-cache", "-q"):
        assert code == 1
        assert json.loads(out) == json.loads(loud.out)


def test_validate_quiet_is_a_plain_fast_path_option(bad_repo: Path) -> None:
    parsed = validate_run.parse_validate_args(["--repo", str(bad_repo), "-q"])
    assert parsed is not None and parsed["quiet"] is True


def test_report_q_is_not_quarter(clean_repo: Path) -> None:
    res = run("report", "--repo", str(clean_repo), "--as-of", AS_OF, "--no-git", "-q", "2026-Q2")
    assert res.code == 2
    assert "No such option: -q" in res.err
    ok = run("report", "--repo", str(clean_repo), "--as-of", AS_OF, "--no-git", "--quarter", "2026-Q2")
    assert ok.code == 0, ok.err


# -- prompts on a real terminal (a pseudo-terminal) -------------------------------------------------------
def _on_a_terminal(root: Path, keys: list[bytes], *args: str) -> tuple[int, str]:
    """``kolplan new hans-muller ARGS`` on a pseudo-terminal; each of ``keys`` is typed once the
    output so far ends with a prompt (': '). The exit code and everything the terminal showed."""
    import os
    import pty
    import select
    import signal
    import sys
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: its controlling terminal is the pty, so ^C is a real SIGINT
        os.execv(sys.executable, [sys.executable, "-m", "kolplan", "new", "hans-muller", "--repo", str(root),
                                  "--as-of", AS_OF, *args])
    shown = b""
    pending = list(keys)
    deadline = time.monotonic() + 60  # a loaded machine starts Python slowly
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child is gone (EIO)
                break
            if not chunk:
                break
            shown += chunk
            if pending and shown.rstrip(b" ").endswith(b":"):
                os.write(fd, pending.pop(0))
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:  # still running past the deadline (or closing): give it a moment, then stop it
        time.sleep(1)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done == 0:
            os.kill(pid, signal.SIGKILL)  # the test then fails on its exit code, instead of hanging
            _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs a pseudo-terminal")
def test_ctrl_c_at_a_real_prompt(clean_repo: Path) -> None:
    before = sorted(p.name for p in (clean_repo / "plans").iterdir())
    code, shown = _on_a_terminal(clean_repo, [b"Hans M\xc3\xbcller\r", b"\x03"])
    assert code == 130, shown
    assert "kolplan: interrupted" in shown and "Aborted" not in shown and "Traceback" not in shown
    assert sorted(p.name for p in (clean_repo / "plans").iterdir()) == before


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs a pseudo-terminal")
def test_lead_typo_at_a_real_prompt_asks_again(clean_repo: Path) -> None:
    code, shown = _on_a_terminal(clean_repo, [b"Hans M\xc3\xbcller\r", b"r.patle\r", b"\r"])
    assert code == 0, shown
    assert "did you mean 'r.patel'?" in shown
    assert (clean_repo / "plans" / "hans-muller.yaml").is_file()


# -- shell completion ---------------------------------------------------------------------------------------
def _complete(words: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What ``kolplan`` offers at <TAB> after ``words`` (bash, through typer's completion variables)."""
    with monkeypatch.context() as m:
        m.setenv("_KOLPLAN_COMPLETE", "complete_bash")
        m.setenv("COMP_WORDS", words)
        m.setenv("COMP_CWORD", str(len(words.split()) - (0 if words.endswith(" ") else 1)))
        res = run()  # the shell runs `kolplan` with no arguments: the words are in COMP_WORDS
    assert res.code == 0, res.err
    return res.out.split()


def test_completion_functions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kolplan.cli import complete

    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN, "onc/john-doe.yaml": VALID_PLAN})
    monkeypatch.chdir(tmp_path)  # outside: only --repo finds the repository

    ctx = SimpleNamespace(params={"repo": root})  # what typer passes: the options parsed so far
    assert complete.plan_ids(ctx, "j") == ["jane-okafor", "john-doe"]
    assert complete.people(ctx, "r") == ["r.patel"]
    assert complete.plan_ids(None, "") == []
    assert complete.validate_formats("") == ["text", "json", "github", "sarif", "markdown"]
    assert complete.validate_formats("m") == ["markdown"]
    assert complete.list_formats("c") == ["csv"]
    assert complete.owners_formats("m") == ["md"]
    assert complete.rules_formats("") == ["table", "md", "json"]


def test_completion_through_the_shell_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN, "onc/john-doe.yaml": VALID_PLAN})
    monkeypatch.chdir(root)
    assert _complete("kolplan render ", monkeypatch) == ["jane-okafor", "john-doe"]
    assert _complete("kolplan log jo", monkeypatch) == ["john-doe"]
    monkeypatch.chdir(tmp_path)  # outside the repository: --repo says where
    assert _complete(f"kolplan render --repo {root} ja", monkeypatch) == ["jane-okafor"]
    assert _complete(f"kolplan log --repo {root} ", monkeypatch) == ["jane-okafor", "john-doe"]
    assert _complete("kolplan validate --format ", monkeypatch) == ["text", "json", "github", "sarif", "markdown"]
    assert _complete("kolplan validate -f s", monkeypatch) == ["sarif"]
    assert _complete("kolplan list --format ", monkeypatch) == ["table", "json", "csv"]
    assert _complete("kolplan owners --format ", monkeypatch) == ["table", "json", "md"]
    assert _complete("kolplan rules --format ", monkeypatch) == ["table", "md", "json"]


# -- list --tier suggests as new does --------------------------------------------------------------------
def test_list_tier_typo_suggests(clean_repo: Path) -> None:
    res = run("list", "--repo", str(clean_repo), "--as-of", AS_OF, "--tier", "golbal")
    assert res.code == 2 and res.out == ""
    assert res.err == ("kolplan: error: --tier golbal: not a tier; did you mean 'global'? "
                       "choose one of global, national, regional, local, rising\n")
    new = run("new", "x-y", "--repo", str(clean_repo), "--as-of", AS_OF, "--name", "X Y", "--lead", "r.patel",
              "--tier", "golbal")
    assert new.code == 2 and "--tier golbal: not a tier; did you mean 'global'? choose one of" in new.err


# -- rules: typos in kolplan.yaml ---------------------------------------------------------------------------
@pytest.mark.parametrize(("rules", "words"), [
    ("  ignore: [owner-not-on-plna]\n",
     "rules.ignore: unknown rule 'owner-not-on-plna' (did you mean 'owner-not-on-plan', KP304? "
     "`kolplan rules` lists them)"),
    ("  ignore: [KP1O1]\n", "rules.ignore: unknown rule 'KP1O1' (did you mean 'KP101', "
     "activity-without-objective? `kolplan rules` lists them)"),
    ("  severity: {no-kol-valeu: info}\n", "rules.severity: unknown rule 'no-kol-valeu' (did you mean "
     "'no-kol-value', KP103? `kolplan rules` lists them)"),
    ("  ignore: [zzzzzz]\n", "rules.ignore: unknown rule 'zzzzzz' (codes look like KP101, names like "
     "activity-without-objective; `kolplan rules` lists them)"),
])
def test_config_rule_typo_suggests_and_points_at_kolplan_rules(tmp_path: Path, rules: str, words: str) -> None:
    from tests.helpers import CONFIG

    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": VALID_PLAN}, config=CONFIG + "rules:\n" + rules)
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--no-cache")
    assert res.code == 2
    assert words in res.out + res.err
    assert "docs/rules.md" not in res.out + res.err


# -- rule help says the idea, not "Seed 00N" ----------------------------------------------------------------
def test_rule_help_names_no_seed_article() -> None:
    res = run("rules", "--format", "json")
    assert res.code == 0
    rules = json.loads(res.out)["rules"]
    seeded = [r["code"] for r in rules if "seed" in json.dumps(r).lower()]
    assert seeded == []
    md = run("rules", "--format", "md")
    assert md.code == 0 and "seed" not in md.out.lower()
    kp101 = run("rules", "KP101", "--format", "md")
    assert kp101.code == 0
    assert "activities with no link to a" in kp101.out and "(KOL engagement literature)" in kp101.out


def test_plan_document_names_no_seed_article(tmp_path: Path) -> None:
    import re

    bare = re.sub(r"\nplan:\n.*", "", VALID_PLAN, flags=re.S) + (
        "\nplan:\n  period: {start: 2026-01-01, end: 2026-12-31}\n")
    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": bare})
    res = run("render", "jane-okafor", "--repo", str(root), "--as-of", AS_OF)
    assert res.code == 0, res.err
    assert "No objectives yet" in res.out and "No satisfaction score recorded" in res.out
    assert "seed" not in res.out.lower()


# -- broken pipes: quiet, and the command's own exit code ---------------------------------------------------
SAMPLE = Path(__file__).resolve().parents[2]  # this project's own repository: the sample portfolio


def _into_a_closed_pipe(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """``kolplan ARGS | (reader already gone)``: the exit code and stderr."""
    import os
    import subprocess
    import sys

    r, w = os.pipe()
    os.close(r)
    try:
        proc = subprocess.run([sys.executable, "-m", "kolplan", *args], stdout=w, stderr=subprocess.PIPE,
                              cwd=SAMPLE, env={**os.environ, **(env or {})}, timeout=120)
    finally:
        os.close(w)
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


PRINTING = [
    ("validate", "--as-of", "2026-11-20"),
    ("validate", "--as-of", "2026-11-20", "--format", "json", "--no-cache"),
    ("validate", "--as-of", "2026-11-20", "-fjson"),  # typer's path
    ("list", "--as-of", "2026-11-20"),
    ("list", "--format", "csv", "--as-of", "2026-11-20"),
    ("owners", "--as-of", "2026-11-20"),
    ("rules",),
    ("rules", "--format", "md"),
    ("schema",),
    ("render", "david-kim", "--as-of", "2026-11-20"),
    ("report", "--as-of", "2026-11-20", "--no-git"),
    ("--help",),
    ("list", "--help"),
]


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "FORCE_COLOR"])
@pytest.mark.parametrize("args", PRINTING, ids=" ".join)
def test_a_closed_pipe_is_quiet_and_changes_no_exit_code(args: tuple[str, ...], colour: bool) -> None:
    code, err = _into_a_closed_pipe(*args, env={"FORCE_COLOR": "1"} if colour else {"NO_COLOR": "1"})
    assert (code, err) == (0, "")


@pytest.mark.parametrize("args", [(), ("--format", "json"), ("-fjson",), ("-q",)], ids=" ".join)
def test_validate_into_a_closed_pipe_keeps_its_findings_code(bad_repo: Path, args: tuple[str, ...]) -> None:
    code, err = _into_a_closed_pipe("validate", "--repo", str(bad_repo), "--as-of", AS_OF, "--no-cache", *args)
    assert (code, err) == (1, "")
