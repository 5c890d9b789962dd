"""A YAML file read: its plain data, and the node tree that knows where every key and value
is (:meth:`Document.position` of a path such as ``("plan", "activities", 2, "owner")``);
or the reading problem (KP001-KP003) that stopped it (:class:`YamlProblem`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kolplan.yamlio.scalars import resolve_plain

# The tag the reader gives a plain (unquoted) scalar: resolved the YAML 1.2 way when built.
PLAIN_TAG: Final = "!kolplan/plain"
_INDEX_MIN: Final = 32  # a mapping with more keys than this is looked up through an index

Code = Literal["KP001", "KP002", "KP003"]


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """A reading problem (KP001-KP003) at a 1-based position."""

    code: Code
    line: int
    column: int
    message: str


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
            return self.mark(found.key)
        if found.key is not None and _is_empty(found.node):
            return self.mark(found.key)
        return self.mark(found.node)

    def parent_position(self, path: Sequence[str | int]) -> tuple[int, int]:
        """Where to report something missing at ``path``: the key of its parent, or the list item."""
        found = self.locate(path[:-1])
        return self._parent_position(path[: found.depth])

    def _parent_position(self, parent: Sequence[str | int]) -> tuple[int, int]:
        if not parent:
            return (1, 1)
        found = self.locate(parent)
        if found.key is not None:
            return self.mark(found.key)
        return self.mark(found.node)

    @property
    def text_lines(self) -> list[str] | None:
        if self._lines is None and self.text is not None:
            self._lines = self.text.splitlines() or [""]
        return self._lines

    def mark(self, node: Node) -> tuple[int, int]:
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
