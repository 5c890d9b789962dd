"""`--help` of every command (issue 15, SPEC 5): an example, no `<bool>` after a flag, and prose
wrapped by the terminal's width, not where the docstring's source lines happened to end."""

from __future__ import annotations

import itertools
import re

import pytest

from tests.helpers import run

WIDTH = 80
SENTENCE_END = re.compile(r"[.:!?][)\]`'\"]*$")


def commands() -> list[str]:
    from kolplan.cli.app import app

    names = [c.name for c in app.registered_commands]
    assert all(names), names
    return sorted(str(n) for n in names)


EXPECTED = {"validate", "list", "owners", "rules", "log", "new", "init", "render", "report", "schema"}
COMMANDS = sorted(EXPECTED | set(commands()))  # and any command registered since


def test_every_command_is_checked() -> None:
    assert set(commands()) >= EXPECTED


def description(out: str) -> list[str]:
    """The help text between the usage line and the first panel, each line without its margin."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("Usage:")) + 1
    end = next((i for i, line in enumerate(lines) if line.lstrip().startswith("╭")), len(lines))
    return [line.rstrip() for line in lines[start:end]]


def help_of(command: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    monkeypatch.setenv("TERMINAL_WIDTH", str(WIDTH))
    res = run(command, "--help")
    assert res.code == 0, res.err
    return res.out


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_an_example(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    out = help_of(command, monkeypatch)
    assert "Example" in out
    assert re.search(rf"^\s+kolplan {command}\b", out, re.M), out  # the example runs this command


@pytest.mark.parametrize("command", COMMANDS)
def test_no_type_after_a_flag(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    out = help_of(command, monkeypatch)
    assert "<bool>" not in out and "BOOLEAN" not in out, out
    help_line = next(line for line in out.splitlines() if "--help" in line)
    assert re.search(r"--help\s+-h\s+Show this message", help_line), help_line


@pytest.mark.parametrize("command", COMMANDS)
def test_prose_is_not_broken_at_source_line_ends(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A line of prose ends early only at a paragraph's end or after a sentence: never where
    the next word would have fitted ("(KP302," / "KP303), ..." or "a GitHub" / "Actions")."""
    out = help_of(command, monkeypatch)
    lines = description(out)
    assert all(len(line) <= WIDTH for line in out.splitlines()), out
    for line, nxt in itertools.pairwise(lines):
        text, following = line.strip(), nxt.strip()
        if not text or not following or nxt.startswith("   ") or line.startswith("   "):
            continue  # paragraph boundary, or an example (indented, kept as written)
        if SENTENCE_END.search(text) and following[:1].isupper():
            continue  # a new sentence on a new line, as the source has it
        first_word = following.split()[0]
        assert len(line) + 1 + len(first_word) > WIDTH - 1, f"broken early:\n{line}\n{nxt}"


@pytest.mark.parametrize("command", COMMANDS)
def test_examples_fit_on_their_lines(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An example line is not wrapped by the terminal: each starts with `kolplan` or continues
    a line that ends in a backslash."""
    lines = description(help_of(command, monkeypatch))
    examples = lines[next(i for i, line in enumerate(lines) if line.strip().startswith("Example")) + 1:]
    previous = ""
    for line in examples:
        text = line.strip()
        if text and not text.startswith("#"):
            assert text.startswith("kolplan ") or previous.endswith("\\"), f"wrapped example: {line!r}"
        previous = text


def test_the_root_help_is_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    res = run("--help")
    assert res.code == 0
    assert "Example" in res.out
    assert "<bool>" not in res.out and "BOOLEAN" not in res.out, res.out
