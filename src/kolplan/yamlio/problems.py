"""Why a YAML file cannot be read, in words a person can act on: syntax errors with a hint
(a missing space after a colon, a comment that cut a value), control characters, and
nesting deeper than kolplan reads (found before libyaml sees it, or mapped from
libyaml's own limit), each as a positioned KP001 or KP003."""

from __future__ import annotations

import re
from typing import Final

import yaml
from yaml.nodes import Node, SequenceNode

from kolplan.yamlio.document import YamlProblem
from kolplan.yamlio.libyaml import Parser

MAX_DEPTH: Final = 200  # nesting levels a plan may have


def too_deep(data: bytes) -> YamlProblem | None:
    """Refuse deep nesting before libyaml sees it, where libyaml cannot be trusted with it.

    Its scanner is quadratic in flow nesting (10,000 ``[`` take a second, a 1 MiB file
    of them an hour) and its composer recurses in C, so ~30,000 compact block levels
    (``- - - …``) overflow the C stack: a crash no ``except`` can catch. Bracket counting
    ignores quotes, so it can only overestimate; on an ordinary plan it costs two
    ``bytes.count`` calls and one regex search.
    """
    # the regex finds where; first, a substring search over a copy of the file with the
    # indicator characters mapped to "x" (both in C) says whether, far more cheaply
    marked = data.translate(_MARK_INDICATORS)
    if _SHORT_RUN in marked and (marked.startswith(_RUN) or (b"\n" + _RUN) in marked):
        m = _BLOCK_RUN.search(data)
        if m is not None:
            return _deep_at(data, m.start() + (data[m.start() : m.start() + 1] == b"\n"))
    if data.count(b"[") + data.count(b"{") <= MAX_DEPTH:
        return None
    depth = 0
    for m in _BRACKETS.finditer(data):
        if m.group() in b"[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _deep_at(data, m.start())
        elif depth:
            depth -= 1
    return None


# libyaml 0.2.5 (in PyYAML's wheels from 6.0.4 on) stops at 1,000 levels of its own; deeper
# than 200 is kolplan's KP003 either way, reported where the 201st level opens.
LIBYAML_DEPTH: Final = "exceeded maximum nesting depth"


def deep_in_events(data: bytes, exc: yaml.MarkedYAMLError) -> YamlProblem:
    """Where nesting first goes deeper than ``MAX_DEPTH``, for a file libyaml refused as too deep.

    Parsing events stream up to libyaml's own error, so the level that crosses kolplan's
    bound (always shallower than libyaml's) is found before it; the error's own mark is
    the fallback.
    """
    parser = Parser(data)
    depth = 0
    try:
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.CollectionStartEvent):
                if depth >= MAX_DEPTH and event.start_mark is not None:
                    m = event.start_mark
                    return YamlProblem("KP003", m.line + 1, m.column + 1,
                                       f"nesting is deeper than {MAX_DEPTH} levels")
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    mark = exc.problem_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return YamlProblem("KP003", line, col, f"nesting is deeper than {MAX_DEPTH} levels")


def _deep_at(data: bytes, pos: int) -> YamlProblem:
    line, col = position_at(data, pos)
    return YamlProblem("KP003", line, col, f"nesting is deeper than {MAX_DEPTH} levels")


def position_at(data: bytes, pos: int) -> tuple[int, int]:
    """1-based (line, column) in characters of byte offset ``pos``, lines counted as ``str.splitlines`` does."""
    before = data[:pos].decode("utf-8", "replace").removeprefix("\ufeff") + "^"
    lines = before.splitlines()
    return len(lines), len(lines[-1])


_BRACKETS: Final = re.compile(rb"[\[\]{}]")
# A line that opens more block levels than any plan needs: indentation plus "- ", "? ", ": "
# indicators (each compact level takes at least two of these characters).
_BLOCK_RUN_LEN: Final = 20 * MAX_DEPTH
_BLOCK_RUN: Final = re.compile(rb"(?:\A|\n)[ \t?:-]{%d}" % _BLOCK_RUN_LEN)
_MARK_INDICATORS: Final = bytes(b"x"[0] if c in b" \t?:-" else c for c in range(256))
_RUN: Final = b"x" * _BLOCK_RUN_LEN
_SHORT_RUN: Final = b"x" * 64  # in any _RUN; a short needle is cheap to search for


def reader_problem(exc: yaml.reader.ReaderError, data: bytes) -> YamlProblem:
    """A character YAML does not allow (a control character, U+FFFE): where it is, what it is."""
    line, col = position_at(data, min(max(exc.position, 0), len(data)))
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    escape = f"\\x{char:02x}" if char < 0x100 else f"\\u{char:04x}"
    return YamlProblem("KP001", line, col,
                       f"the file contains character U+{char:04X}, which YAML does not allow: remove it "
                       f'(or, if it must stay, write it as "{escape}" inside double quotes)')


def kind_of(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "list"
    return "single value"


def syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "syntax error"
    if exc.context and exc.context_mark is not None and exc.problem_mark is not None:
        where = f" ({exc.context} at line {exc.context_mark.line + 1})"
    elif exc.context:
        where = f" ({exc.context})"
    else:
        where = ""
    hint = ""
    lines = text.splitlines() or [""]
    if line > len(lines):  # libyaml marks the end of the stream: point after the last character
        line, col = len(lines), len(lines[-1]) + 1
    col = min(max(col, 1), len(lines[line - 1]) + 1)
    if "expected a single document" in f"{problem} {exc.context or ''}":
        return YamlProblem("KP003", line, col, "several YAML documents in one file (valid YAML, but a plan "
                           "file holds one document): keep one plan per file and remove the `---` separator")
    if "undefined alias" in problem:
        hint = ": an alias (*name) must refer to an anchor (&name) defined above it"
    elif (colon := _colon_hint(problem, lines[line - 1], col)) is not None:
        hint = colon
    elif (cut := _comment_cut(problem, exc, lines, line, col)) is not None:
        hint = (f": ` #` starts a comment, so the value on line {cut} ends before it; "
                "if the `#` and what follows belong to the value, put the value in quotes")
    elif "\t" in lines[line - 1][: col]:
        hint = ": indent with spaces, not tabs"
    return YamlProblem("KP001", line, col, f"YAML syntax error: {problem}{where}{hint}")


# ``key: value`` on one line, after any indentation and list dashes; the key is plain text
_KEY_VALUE: Final = re.compile(
    r"(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>[^\s#'\"\[\]{},&*!|>%@`-][^:#]*?):[ ]+(?P<value>.*?)\s*")
_EXAMPLE_MAX: Final = 60
# quoted scalars (where a quote may open one), replaced before looking for a comment
_QUOTED: Final = re.compile(r"""(?:(?<=[\s\[{,:])|^)(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')""")


def _colon_hint(problem: str, text: str, col: int) -> str | None:
    """The fix for an unquoted ``: `` inside a value (``summary: AHA: discussed …``), if that is the slip."""
    if "mapping values are not allowed" not in problem or text[col - 1 : col] != ":":
        return None
    m = _KEY_VALUE.fullmatch(text)
    if m is None or m.start("value") > col - 1:  # no `key: ` before the colon libyaml stopped at
        return None
    value = m.group("value")
    if value[:1] in "\"'" or " #" in value or "\t#" in value:
        return ': a ": " inside a value must be quoted: put the value in quotes'
    if len(value) > _EXAMPLE_MAX:
        value = value[:_EXAMPLE_MAX].rstrip() + " …"
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    return f': put the value in quotes: {m.group("key")}: "{quoted}"'


def _comment_cut(problem: str, exc: yaml.MarkedYAMLError, lines: list[str], line: int, col: int) -> int | None:
    """The line of an unquoted `` #`` that cut a value short and so caused this error, if one did.

    A ` #` usually truncates a value silently; it shows as an error when the comment
    swallows the closing bracket of a flow collection (``tags: [a #b, c]``), or when the
    value goes on in the next, more indented line (``summary: part # x`` then ``  more``).
    """
    if "did not find expected ',' or" in problem and exc.context_mark is not None:
        # up to where libyaml stopped (the end of the file, when the comment was on the last line)
        candidates = range(exc.context_mark.line + 1, line + 1)
    elif "did not find expected key" in problem and line >= 2:
        prev = line - 1
        while prev > 1 and not lines[prev - 1].strip():
            prev -= 1
        here, before = lines[line - 1], lines[prev - 1]
        if len(here) - len(here.lstrip(" ")) <= len(before) - len(before.lstrip(" ")):
            return None  # not a continuation of the line before
        candidates = range(prev, prev + 1)
    else:
        return None
    for number in candidates:
        text = _QUOTED.sub('""', lines[number - 1] if number < line else lines[number - 1][: col - 1])
        if text.lstrip().startswith("#"):
            continue  # a comment line cuts nothing
        if " #" in text or "\t#" in text:
            return number
    return None
