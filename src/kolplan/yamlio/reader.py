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
from collections.abc import Sequence
from typing import Any, Final

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kolplan.repo.files import MAX_FILE_BYTES as MAX_BYTES
from kolplan.yamlio.document import PLAIN_TAG, Document, YamlProblem
from kolplan.yamlio.libyaml import Parser as _Parser
from kolplan.yamlio.problems import (
    LIBYAML_DEPTH,
    MAX_DEPTH,
    deep_in_events,
    kind_of,
    position_at,
    reader_problem,
    syntax_problem,
    too_deep,
)
from kolplan.yamlio.scalars import NON_STRING_START, resolve_plain

# Building may touch at most this many nodes beyond one per source byte; more means
# aliases are expanding the document beyond its own size (an alias bomb).
NODE_SLACK: Final = 1000

STR_TAG: Final = "tag:yaml.org,2002:str"
SEQ_TAG: Final = "tag:yaml.org,2002:seq"
MAP_TAG: Final = "tag:yaml.org,2002:map"
_CORE_TAGS: Final = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}

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
        line, col = position_at(data, exc.start)
        return YamlProblem("KP003", line, col, f"file is not UTF-8 (byte 0x{data[exc.start]:02x}): "
                           "save it as UTF-8 text")
    deep = too_deep(data)
    if deep is not None:
        return deep
    parser = _Parse12(data)
    try:
        root = parser.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if LIBYAML_DEPTH in (exc.problem or ""):
            return deep_in_events(data, exc)
        return syntax_problem(exc, text)
    except RecursionError:
        return YamlProblem("KP003", 1, 1, f"nesting is too deep to read (more than {MAX_DEPTH} levels)")
    except yaml.reader.ReaderError as exc:  # a control character
        return reader_problem(exc, data)
    except yaml.YAMLError as exc:
        return YamlProblem("KP001", 1, 1, f"not valid YAML: {' '.join(str(exc).split())}")
    finally:
        parser.dispose()
    if root is None:
        return YamlProblem("KP003", 1, 1, "file is empty: a plan needs at least schema, id, kol, owners and plan")
    if not isinstance(root, MappingNode):
        doc = Document(None, root, text)
        line, col = doc.mark(root)
        return YamlProblem("KP003", line, col, "the top level must be a mapping of keys (schema:, id:, kol:, …), "
                           f"not a {kind_of(root)}")
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
