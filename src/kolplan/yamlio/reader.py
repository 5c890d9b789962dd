"""Fast reading: bytes -> plain data plus the node tree that knows every position.

libyaml's C composer (through PyYAML) builds the node tree; a small builder turns it
into dicts, lists and scalars resolved the YAML 1.2 way, finds duplicate keys, and
bounds alias expansion and nesting. Positions are not copied onto the data: a
diagnostic names a path (``("plan", "activities", 2, "owner")``) and
:meth:`Document.locate` walks the node tree for it, so the happy path pays nothing.

Every YAML file kolplan reads goes through :func:`read_bytes`: plans, ``kolplan.yaml``, a
plan's version in git, and the plans ``log``, ``score`` and ``feedback`` edit, which
:mod:`kolplan.yamlio.append` changes as text next to the nodes found here. No round-trip
loader is used; ``new`` writes its plan from a template and checks it with this reader.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kolplan.yamlio.scalars import NON_STRING_START, resolve_plain

try:  # libyaml is in PyYAML's wheels; a source build without it still works, slower
    from yaml._yaml import CParser as _Parser  # type: ignore[import-not-found, import-untyped, unused-ignore]
except ImportError:  # pragma: no cover - exercised only where libyaml is missing
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: Any) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


MAX_BYTES: Final = 1024 * 1024
MAX_DEPTH: Final = 200
_INDEX_MIN: Final = 32
# Building may touch at most this many nodes beyond one per source byte; more means
# aliases are expanding the document beyond its own size (an alias bomb).
NODE_SLACK: Final = 1000

PLAIN_TAG: Final = "!kolplan/plain"
STR_TAG: Final = "tag:yaml.org,2002:str"
SEQ_TAG: Final = "tag:yaml.org,2002:seq"
MAP_TAG: Final = "tag:yaml.org,2002:map"
_CORE_TAGS: Final = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}

Code = Literal["KP001", "KP002", "KP003"]


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """A reading problem (KP001-KP003) at a 1-based position."""

    code: Code
    line: int
    column: int
    message: str


class _Parse12(_Parser):
    """libyaml composer whose resolver only marks plain scalars; the builder resolves them."""

    def resolve(self, kind: type, value: Any, implicit: Sequence[bool]) -> str:
        if kind is ScalarNode:
            return PLAIN_TAG if implicit[0] else STR_TAG
        return SEQ_TAG if kind is SequenceNode else MAP_TAG

    # The composer calls these around every node; C builtins that accept the arguments
    # and do nothing save a Python frame each time (the path resolvers are not used).
    descend_resolver = operator.is_
    ascend_resolver = tuple


class _Stop(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Located:
    """What :meth:`Document.locate` found: the deepest node on the path that exists."""

    node: Node
    key: Node | None  # the key node, when the last step reached was a mapping key
    depth: int  # how many path parts were found
    complete: bool


@dataclass
class Document:
    """A parsed YAML file: its data, its node tree, and how to turn paths into positions."""

    data: Any
    root: Node
    text: str | None = None  # the file's text; its lines are split on first need
    problems: list[YamlProblem] = field(default_factory=list)
    _lines: list[str] | None = field(default=None, repr=False)
    # Big mappings get a key index on first use, so that positioning thousands of
    # diagnostics in a mapping of thousands of keys is not quadratic.
    _indexes: dict[int, dict[Any, tuple[Node, Node]]] = field(default_factory=dict, repr=False)

    # -- positions ---------------------------------------------------------------
    def locate(self, path: Sequence[str | int]) -> Located:
        node: Node = self.root
        key: Node | None = None
        for depth, part in enumerate(path):
            nxt: Node | None = None
            nkey: Node | None = None
            if isinstance(node, MappingNode) and len(node.value) > _INDEX_MIN:
                nkey, nxt = self._index(node).get((type(part) is str, part), (None, None))
            elif isinstance(node, MappingNode):
                if isinstance(part, str):  # the usual step, inline: a text key is matched by its text
                    for k, v in node.value:
                        if isinstance(k, ScalarNode) and k.value == part:
                            nkey, nxt = k, v
                            break
                else:
                    for k, v in node.value:
                        if _key_matches(k, part):
                            nkey, nxt = k, v
                            break
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                nxt = node.value[part]
            if nxt is None:
                return Located(node, key, depth, False)
            node, key = nxt, nkey
        return Located(node, key, len(path), True)

    def _index(self, node: MappingNode) -> dict[Any, tuple[Node, Node]]:
        """``(is_text, part) -> (key, value)``, first key wins: what :func:`_key_matches` finds."""
        index = self._indexes.get(id(node))
        if index is None:
            index = {}
            for k, v in node.value:
                if isinstance(k, ScalarNode):
                    index.setdefault((True, k.value), (k, v))
                    if k.tag == PLAIN_TAG:
                        index.setdefault((False, resolve_plain(k.value)), (k, v))
            self._indexes[id(node)] = index
        return index

    def position(self, path: Sequence[str | int], at: Literal["key", "value"] = "value") -> tuple[int, int]:
        """1-based (line, column) of the node at ``path``, or of its nearest present parent.

        ``at="value"`` points at the value (falling back to its key when the value is
        empty); ``at="key"`` points at the key of a mapping entry, or at a list item.
        """
        if not path:
            return (1, 1)
        found = self.locate(path)
        if not found.complete:
            return self._parent_position(path[: found.depth])
        if at == "key" and found.key is not None:
            return self._mark(found.key)
        if found.key is not None and _is_empty(found.node):
            return self._mark(found.key)
        return self._mark(found.node)

    def parent_position(self, path: Sequence[str | int]) -> tuple[int, int]:
        """Where to report something missing at ``path``: the key of its parent, or the list item."""
        found = self.locate(path[:-1])
        return self._parent_position(path[: found.depth])

    def _parent_position(self, parent: Sequence[str | int]) -> tuple[int, int]:
        if not parent:
            return (1, 1)
        found = self.locate(parent)
        if found.key is not None:
            return self._mark(found.key)
        return self._mark(found.node)

    @property
    def text_lines(self) -> list[str] | None:
        if self._lines is None and self.text is not None:
            self._lines = self.text.splitlines() or [""]
        return self._lines

    def _mark(self, node: Node) -> tuple[int, int]:
        m = node.start_mark
        if self.text is not None and m.index < len(self.text):
            # on a character of the file, so inside it: libyaml breaks lines where
            # str.splitlines does, for every character a readable file may hold
            return (m.line + 1, m.column + 1)
        return self.clamp(m.line + 1, m.column + 1)

    def clamp(self, line: int, column: int) -> tuple[int, int]:
        """Keep a position inside the file (libyaml may mark just past the last line)."""
        lines = self.text_lines
        if lines is None:
            return (max(line, 1), max(column, 1))
        line = min(max(line, 1), len(lines))
        column = min(max(column, 1), len(lines[line - 1]) + 1)
        return (line, column)


def _key_matches(k: Node, part: str | int) -> bool:
    if not isinstance(k, ScalarNode):
        return False
    if isinstance(part, str):
        return bool(k.value == part)
    return bool(k.tag == PLAIN_TAG and resolve_plain(k.value) == part)


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == PLAIN_TAG and node.value == ""


def read_bytes(data: bytes) -> Document | YamlProblem:
    """Parse one YAML file's bytes, or say why it cannot be read (KP001/KP003).

    Duplicate keys do not stop reading: they are listed in ``Document.problems`` (KP002)
    and the first value is kept.
    """
    if len(data) > MAX_BYTES:  # callers may pass only the first MAX_BYTES + 1 bytes: no size in the message
        return YamlProblem("KP003", 1, 1, "file is larger than 1 MiB; plans must be under 1 MiB: "
                           "split it or remove pasted content")
    if b"\x00" in data:
        return YamlProblem("KP003", 1, 1, "file contains NUL bytes (binary, or UTF-16): save it as UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position_at(data, exc.start)
        return YamlProblem("KP003", line, col, f"file is not UTF-8 (byte 0x{data[exc.start]:02x}): "
                           "save it as UTF-8 text")
    deep = _too_deep(data)
    if deep is not None:
        return deep
    parser = _Parse12(data)
    try:
        root = parser.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if _LIBYAML_DEPTH in (exc.problem or ""):
            return _deep_in_events(data, exc)
        return _syntax_problem(exc, text)
    except RecursionError:
        return YamlProblem("KP003", 1, 1, f"nesting is too deep to read (more than {MAX_DEPTH} levels)")
    except yaml.reader.ReaderError as exc:  # a control character
        return _reader_problem(exc, data)
    except yaml.YAMLError as exc:
        return YamlProblem("KP001", 1, 1, f"not valid YAML: {' '.join(str(exc).split())}")
    finally:
        parser.dispose()
    if root is None:
        return YamlProblem("KP003", 1, 1, "file is empty: a plan needs at least schema, id, kol, owners and plan")
    if not isinstance(root, MappingNode):
        doc = Document(None, root, text)
        line, col = doc._mark(root)
        return YamlProblem("KP003", line, col, "the top level must be a mapping of keys (schema:, id:, kol:, …), "
                           f"not a {_kind(root)}")
    builder = _Builder(len(data) + NODE_SLACK)
    doc = Document(None, root, text, builder.problems)
    try:
        doc.data = builder.build(root, 0)
    except _Stop as stop:
        p = stop.problem
        line, col = doc.clamp(p.line, p.column)
        return YamlProblem(p.code, line, col, p.message)
    for i, p in enumerate(builder.problems):
        line, col = doc.clamp(p.line, p.column)
        builder.problems[i] = YamlProblem(p.code, line, col, p.message)
    return doc


def _too_deep(data: bytes) -> YamlProblem | None:
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
_LIBYAML_DEPTH: Final = "exceeded maximum nesting depth"


def _deep_in_events(data: bytes, exc: yaml.MarkedYAMLError) -> YamlProblem:
    """Where nesting first goes deeper than ``MAX_DEPTH``, for a file libyaml refused as too deep.

    Parsing events stream up to libyaml's own error, so the level that crosses kolplan's
    bound (always shallower than libyaml's) is found before it; the error's own mark is
    the fallback.
    """
    parser = _Parser(data)
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
    line, col = _position_at(data, pos)
    return YamlProblem("KP003", line, col, f"nesting is deeper than {MAX_DEPTH} levels")


def _position_at(data: bytes, pos: int) -> tuple[int, int]:
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


def _reader_problem(exc: yaml.reader.ReaderError, data: bytes) -> YamlProblem:
    """A character YAML does not allow (a control character, U+FFFE): where it is, what it is."""
    line, col = _position_at(data, min(max(exc.position, 0), len(data)))
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    escape = f"\\x{char:02x}" if char < 0x100 else f"\\u{char:04x}"
    return YamlProblem("KP001", line, col,
                       f"the file contains character U+{char:04X}, which YAML does not allow: remove it "
                       f'(or, if it must stay, write it as "{escape}" inside double quotes)')


def _kind(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "list"
    return "single value"


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
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


class _Builder:
    """Node tree -> plain data. Finds duplicate keys; bounds depth and alias expansion.

    Most nodes are scalars, so the loops over a collection's children resolve scalar
    children inline and recurse only into collections: one Python call per collection
    rather than per node. The budget is still spent one node at a time, in the same order,
    and whenever it is nearly spent the general path (:meth:`build`) takes over, so every
    problem is found at the same node as before.
    """

    __slots__ = ("budget", "firsts", "problems")

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.problems: list[YamlProblem] = []
        # per mapping with duplicates: key -> its first key node (one scan, not one per duplicate)
        self.firsts: dict[int, dict[Any, Node]] = {}

    def build(self, node: Node, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            m = node.start_mark
            raise _Stop(YamlProblem("KP003", m.line + 1, m.column + 1,
                                    "anchors and aliases expand this file far beyond its own size "
                                    "(an alias bomb?): write the values out instead"))
        cls = type(node)
        if cls is ScalarNode:
            return self._scalar(node)  # type: ignore[arg-type]
        if depth >= MAX_DEPTH:
            m = node.start_mark
            raise _Stop(YamlProblem("KP003", m.line + 1, m.column + 1,
                                    f"nesting is deeper than {MAX_DEPTH} levels"))
        if node.tag not in (MAP_TAG, SEQ_TAG):
            raise _Stop(self._bad_tag(node))
        if cls is SequenceNode:
            return self._sequence(node, depth)  # type: ignore[arg-type]
        return self._mapping(node, depth)  # type: ignore[arg-type]

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == PLAIN_TAG:
            return resolve_plain(node.value)
        if tag == STR_TAG:
            return node.value
        return self._tagged(node)

    # In the two loops below the budget lives in a local variable (written back before any
    # call that spends it): they run for every node of every plan.
    def _sequence(self, node: SequenceNode, depth: int) -> list[Any]:
        out: list[Any] = []
        append = out.append
        budget = self.budget
        for item in node.value:
            if type(item) is ScalarNode and budget > 0:
                budget -= 1
                if item.tag == PLAIN_TAG:
                    v = item.value
                    append(v if v and v[0] not in NON_STRING_START else resolve_plain(v))
                else:
                    append(self._scalar(item))
            else:
                self.budget = budget
                append(self.build(item, depth + 1))
                budget = self.budget
        self.budget = budget
        return out

    def _mapping(self, node: MappingNode, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        budget = self.budget
        for knode, vnode in node.value:
            if type(knode) is ScalarNode and budget > 0:
                budget -= 1
                if knode.tag == PLAIN_TAG:
                    k = knode.value
                    key = k if k and k[0] not in NON_STRING_START else resolve_plain(k)
                else:
                    key = self._scalar(knode)
            else:
                self.budget = budget
                key = self.build(knode, depth + 1)
                budget = self.budget
                if isinstance(key, (dict, list)):
                    m = knode.start_mark
                    kind = "mapping" if isinstance(key, dict) else "list"
                    raise _Stop(YamlProblem("KP003", m.line + 1, m.column + 1,
                                            f"a {kind} used as a key (valid YAML, but a plan's keys are text): "
                                            "write each key as text, one per line (`name: value`)"))
            if key.__class__ is not str and key.__class__ is float and math.isnan(key):
                key = "nan"
            if key in out:
                self._duplicate(node, knode, key)
                continue
            if type(vnode) is ScalarNode and budget > 0:
                budget -= 1
                if vnode.tag == PLAIN_TAG:
                    v = vnode.value
                    out[key] = v if v and v[0] not in NON_STRING_START else resolve_plain(v)
                else:
                    out[key] = self._scalar(vnode)
            else:
                self.budget = budget
                out[key] = self.build(vnode, depth + 1)
                budget = self.budget
        self.budget = budget
        return out

    def _duplicate(self, node: MappingNode, knode: Node, key: Any) -> None:
        """Record KP002 for ``knode``, naming the line of the first key equal to ``key``."""
        firsts = self.firsts.get(id(node))
        if firsts is None:
            firsts = self.firsts[id(node)] = {}
            for k, _ in node.value:
                if type(k) is ScalarNode:
                    value = self._scalar(k)
                    if value.__class__ is float and math.isnan(value):
                        value = "nan"
                    firsts.setdefault(value, k)
        prev = firsts.get(key, knode).start_mark
        m = knode.start_mark
        self.problems.append(YamlProblem(
            "KP002", m.line + 1, m.column + 1,
            f"key '{key}' appears twice in this mapping (lines {prev.line + 1} and {m.line + 1}); "
            "keep one: the second is ignored",
        ))

    def _tagged(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag in _CORE_TAGS:
            value: Any = resolve_plain(node.value)
            want = tag.rsplit(":", 1)[1]
            kinds: dict[str, type | tuple[type, ...]] = {
                "int": int, "float": (int, float), "bool": bool, "null": type(None)}
            if isinstance(value, kinds[want]) and not (want != "bool" and isinstance(value, bool)):
                return float(value) if want == "float" else value  # type: ignore[arg-type]
            m = node.start_mark
            raise _Stop(YamlProblem("KP001", m.line + 1, m.column + 1,
                                    f"'{node.value}' is not a valid !!{want}: remove the tag or fix the value"))
        if tag == "tag:yaml.org,2002:timestamp":
            try:
                return dt.date.fromisoformat(node.value)
            except ValueError:
                return node.value
        raise _Stop(self._bad_tag(node))

    @staticmethod
    def _bad_tag(node: Node) -> YamlProblem:
        m = node.start_mark
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        instead = _INSTEAD_OF_TAG.get(tag, "remove the tag")
        return YamlProblem("KP003", m.line + 1, m.column + 1,
                           f"YAML tag {tag} (valid YAML, but a plan may not use tags: plans hold plain "
                           f"data only): {instead}")


# What to write instead of a tag a plan may not use (any other tag: "remove the tag")
_INSTEAD_OF_TAG: Final = {
    "!!set": "remove the tag and write a list (`[a, b]`)",
    "!!omap": "remove the tag and write a plain mapping (`{a: 1, b: 2}`)",
    "!!pairs": "remove the tag and write a plain mapping (`{a: 1, b: 2}`)",
    "!!binary": "remove the tag and write the text itself",
}
