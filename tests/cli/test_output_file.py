"""`-o FILE` (SPEC 5.1): anywhere the user can write, never over kolplan's inputs or git's files.

Every command with `-o` goes through one gate (kolplan.cli.outfile); each case runs for all
of them: report, render, list, owners, validate.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kolplan.resources import builtin_templates_dir
from tests.helpers import AS_OF, VALID_PLAN, make_repo, run, snapshot

COMMANDS = {
    "report": ["report", "--no-git", "--quarter", "2026-Q2"],
    "render": ["render", "jane-okafor"],
    "list": ["list"],
    "owners": ["owners", "--format", "md"],
    "validate": ["validate"],
}
# What each command prints to standard output (the start of it), to find it in the file.
STARTS = {"report": "# KOL engagement review", "render": "# Jane Okafor", "list": " KOL ", "owners": "# KOL ownership",
          "validate": ""}
LI_WEI = (VALID_PLAN.replace("id: jane-okafor", "id: li-wei").replace("Jane Okafor", "Li Wei")
          .replace('crm_id: "V-248113"', 'crm_id: "V-1"').replace('npi: "1234567893"', 'npi: "1245319599"')
          .replace("    orcid: 0000-0002-1825-0097\n", "").replace("j.okafor@example.org", "l.wei@example.org"))


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (a real git work tree when git is there) with a plan in a sub-folder and a template;
    the current directory is its root."""
    root = make_repo(tmp_path / "team", {"jane-okafor.yaml": VALID_PLAN, "onc/li-wei.yaml": LI_WEI})
    (root / "templates").mkdir()
    shutil.copy(builtin_templates_dir() / "plan.md.j2", root / "templates" / "plan.md.j2")
    (root / "docs").mkdir()
    (root / "plans" / "README.md").write_text("notes about plans\n")
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
    monkeypatch.chdir(root)
    return root



def kolplan(command: str, *args: str) -> tuple[int, str, str]:
    res = run(*COMMANDS[command], "--as-of", AS_OF, *args)
    assert "Traceback" not in res.err
    return res.code, res.out, res.err


def assert_refused(res: tuple[int, str, str], *words: str) -> None:
    code, out, err = res
    assert code == 2, (code, out, err)
    assert err.count("\n") == 1 and err.startswith("kolplan: error: -o "), err  # one line
    for w in words:
        assert w in err, err


# -- what -o never overwrites ------------------------------------------------------------------
def _link(root: Path, name: str, to: str) -> str:
    (root / name).symlink_to(to)
    return name


def _hard_link(root: Path, name: str, to: str) -> str:
    os.link(root / to, root / name)
    return name


def _dotdot_after_symlink(root: Path) -> str:
    """`docs/deep/../onc/li-wei.yaml` reads as docs/onc/li-wei.yaml, but the system applies `..` after the
    symlink `deep` (to plans/onc): it is plans/onc/li-wei.yaml."""
    (root / "docs" / "deep").symlink_to(root / "plans" / "onc", target_is_directory=True)
    return "docs/deep/../onc/li-wei.yaml"


def _plans_alias(root: Path) -> str:
    (root / "plans-alias").symlink_to("plans", target_is_directory=True)
    return "plans-alias/onc/li-wei.yaml"


PROTECTED = {
    "config": (lambda r: "kolplan.yaml", "kolplan.yaml"),
    "config-absolute": (lambda r: str(r / "kolplan.yaml"), "kolplan.yaml"),
    "plan": (lambda r: "plans/jane-okafor.yaml", "plan file"),
    "plan-in-sub-folder": (lambda r: "plans/onc/li-wei.yaml", "plan file"),
    "plan-via-dotdot": (lambda r: "docs/../plans/onc/../onc/li-wei.yaml", "plan file"),
    "plan-via-symlink": (lambda r: _link(r, "latest.md", "plans/onc/li-wei.yaml"), "plan file"),
    "plan-via-symlinked-folder": (_plans_alias, "plan file"),
    "plan-via-symlink-then-dotdot": (_dotdot_after_symlink, "plan file"),
    "plan-via-hard-link": (lambda r: _hard_link(r, "copy.md", "plans/jane-okafor.yaml"), "plan file"),
    "config-via-symlink": (lambda r: _link(r, "out.md", "kolplan.yaml"), "kolplan.yaml"),
    "new-plan": (lambda r: "plans/onc/new-kol.yaml", "plan file"),
    "template": (lambda r: "templates/plan.md.j2", "templates/"),
    "new-template": (lambda r: "templates/review.md", "templates/"),
    "git-config": (lambda r: ".git/config", "git"),
    "git-via-symlink": (lambda r: _link(r, "head.md", ".git/HEAD"), "git"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(PROTECTED))
def test_o_never_overwrites_inputs_or_git_files(team: Path, command: str, case: str) -> None:
    if case.startswith("git") and not (team / ".git").is_dir():
        pytest.skip("needs git")
    make_target, words = PROTECTED[case]
    target = make_target(team)
    before = snapshot(team)
    assert_refused(kolplan(command, "-o", target), words, "-o never overwrites")
    assert snapshot(team) == before  # byte-identical, nothing added
    assert not list(team.rglob("*.kolplan-tmp"))


def test_o_refuses_a_file_validate_was_asked_to_check(team: Path) -> None:
    (team / "elsewhere").mkdir()
    (team / "elsewhere" / "x.yaml").write_text(VALID_PLAN)
    before = snapshot(team)
    res = run("validate", "elsewhere/x.yaml", "--as-of", AS_OF, "-o", "elsewhere/x.yaml")
    assert_refused((res.code, res.out, res.err), "validate was asked to check")
    res = run("validate", "elsewhere", "--as-of", AS_OF, "-o", "elsewhere/x.yaml")
    assert_refused((res.code, res.out, res.err), "validate was asked to check")
    assert snapshot(team) == before


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_o_refuses_a_git_dir_kept_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A work tree whose .git is a file (`gitdir: ...`: `git init --separate-git-dir`, `git worktree add`):
    its git dir and the common dir are git's, wherever they are and whatever they are called."""
    main = tmp_path / "main"
    make_repo(main, {"jane-okafor.yaml": VALID_PLAN})
    store = tmp_path / "store"  # the git dir, with no ".git" in its path
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", f"--separate-git-dir={store}"], cwd=main, check=True, env=env)
    subprocess.run([*git, "add", "-A"], cwd=main, check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "x"], cwd=main, check=True, env=env)
    subprocess.run([*git, "worktree", "add", "-q", str(tmp_path / "wt")], cwd=main, check=True, env=env)
    wt = tmp_path / "wt"
    assert (main / ".git").is_file() and (wt / ".git").is_file()
    wt_gitdir = store / "worktrees" / "wt"
    assert wt_gitdir.is_dir()
    cases = {main: [store / "config", store / "HEAD", "../store/description"],
             wt: [store / "config", wt_gitdir / "HEAD", "../store/worktrees/wt/new-file", ".git"]}
    for where, targets in cases.items():
        monkeypatch.chdir(where)
        for target in targets:
            before = snapshot(store), (wt / ".git").read_bytes(), (main / ".git").read_bytes()
            res = run("list", "-o", str(target), "--as-of", AS_OF)
            assert_refused((res.code, res.out, res.err), "git's own files")
            assert (snapshot(store), (wt / ".git").read_bytes(), (main / ".git").read_bytes()) == before


# -- what -o writes ------------------------------------------------------------------------------
@pytest.mark.parametrize("command", list(COMMANDS))
def test_o_writes_outside_the_repository_relative_to_the_current_folder(
    team: Path, tmp_path: Path, command: str
) -> None:
    (tmp_path / "out").mkdir()
    code, out, err = kolplan(command, "-o", "../out/result.txt")
    assert code in ((0, 1) if command == "validate" else (0,)), err  # validate: li-wei shares no identifier
    assert out == ""
    assert err.splitlines()[-1] == "kolplan: wrote ../out/result.txt"
    text = (tmp_path / "out" / "result.txt").read_text(encoding="utf-8")
    assert text.startswith(STARTS[command]) and text.strip()
    code2, printed, _ = kolplan(command)
    assert (code2, printed) == (code, text)  # the file holds exactly what would have been printed
    assert not list(tmp_path.rglob("*.kolplan-tmp"))


@pytest.mark.parametrize("command", list(COMMANDS))
def test_o_inside_the_repository_and_over_its_own_last_output(team: Path, command: str) -> None:
    for _ in range(2):  # the second run replaces the document the first one wrote
        code, out, err = kolplan(command, "-o", "docs/out.md")
        assert code in (0, 1) and out == "", err
    assert (team / "docs" / "out.md").read_text(encoding="utf-8").startswith(STARTS[command])
    code, _, err = kolplan(command, "-o", "plans/README.md")  # not a plan: discovery does not read it
    assert code in (0, 1), err


@pytest.mark.parametrize("command", list(COMMANDS))
def test_o_dash_is_standard_output(team: Path, command: str) -> None:
    code, out, err = kolplan(command, "-o", "-")
    assert code == 0, err  # the team's two plans are clean
    printed = kolplan(command)
    assert (code, out) == printed[:2]
    assert "wrote" not in err and not (team / "-").exists()


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(
    ("target", "words"),
    [("nowhere/out.md", "the folder nowhere does not exist"), ("docs", "is a folder"), ("docs/", "names a folder"),
     ("nowhere/", "names a folder"), ("docs/..", "is a folder"), ("kolplan.yaml/out.md", "is not a folder"),
     ("", "needs a file name")],
    ids=["missing-folder", "folder", "folder-slash", "missing-folder-slash", "dotdot", "parent-is-a-file", "empty"],
)
def test_o_that_cannot_be_a_file_is_exit_2(team: Path, command: str, target: str, words: str) -> None:
    before = snapshot(team)
    assert_refused(kolplan(command, "-o", target), words)
    assert snapshot(team) == before
    assert not (team / "nowhere").exists()


@pytest.mark.parametrize("command", ["report", "list", "validate"])
def test_o_where_the_user_cannot_write_is_exit_2(
    team: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked up front (os.access; root passes it, so it is simulated) and at the write itself."""
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if str(p).endswith("docs") else real_access(p, mode))
    assert_refused(kolplan(command, "-o", "docs/out.md"), "cannot write in the folder docs", "permission denied")
    monkeypatch.setattr(os, "access", real_access)
    (team / "docs" / "ro.md").write_text("old\n")
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if str(p).endswith("ro.md") else real_access(p, mode))
    assert_refused(kolplan(command, "-o", "docs/ro.md"), "read-only")
    monkeypatch.setattr(os, "access", real_access)

    import tempfile

    def denied(*_a: object, **_k: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    assert_refused(kolplan(command, "-o", "docs/out.md"), "Permission denied")
    assert (team / "docs" / "ro.md").read_text() == "old\n" and not (team / "docs" / "out.md").exists()


def test_o_to_a_device_writes_to_it_and_never_replaces_it(team: Path) -> None:
    code, out, err = kolplan("list", "-o", os.devnull)
    assert code == 0 and out == "", err
    assert Path(os.devnull).is_char_device()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_o_to_a_named_pipe_streams_into_it(team: Path) -> None:
    import threading

    fifo = team / "docs" / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        code, _, err = kolplan("owners", "-o", "docs/pipe")
        reader.join(10)
        assert fifo.is_fifo(), "the pipe was replaced by a file"
        assert code == 0, err
        assert got and got[0].startswith(b"# KOL ownership")
    finally:
        if reader.is_alive():  # let the reader go, whatever happened
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK) if fifo.is_fifo() else -1
            if fd >= 0:
                os.close(fd)


def test_help_of_every_command_with_o_says_where_it_writes() -> None:
    for command in COMMANDS:
        res = run(command, "--help")
        assert res.code == 0
        assert "-o" in res.out and "never" in res.out and "kolplan.yaml" in res.out, (command, res.out)
