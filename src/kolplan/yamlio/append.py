"""Append one item to a top-level list as text, leaving every other byte of the file alone.

A round-trip dump (ruamel.yaml) re-indents, re-wraps and re-quotes what it writes back;
a plan is reviewed in pull requests, where such noise hides the one real change. So
the new item is inserted as lines after the list's last item (or under its key, or
with a new key at the end), in the file's own indentation and line endings, and the
result is accepted only if parsing it gives the old data plus exactly the new item.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kolplan.errors import AppendError
from kolplan.yamlio.document import PLAIN_TAG, Document, YamlProblem
from kolplan.yamlio.reader import read_bytes

# The line breaks libyaml counts (its marks' line numbers are in these units).
LINE_BREAK: Final = re.compile(r"\r\n|\r|\n|\x85|\u2028|\u2029")
_ENDINGS: Final = ("\n", "\r", "\x85", "\u2028", "\u2029")
_NULL_WORDS: Final = frozenset({"~", "null", "Null", "NULL"})


@dataclass(frozen=True)
class ListStyle:
    """How a file writes a list of mappings under a top-level key."""

    dash: int  # columns from the key to the ``-``
    item: int  # columns from the ``-`` to the item's first key
    flow_items: bool = False  # items written as ``- {a: 1, b: 2}``


def parse_for_edit(data: bytes, shown: str) -> tuple[str, Document, MappingNode]:
    """The file's text, document and top-level mapping; a file that does not parse cleanly is refused."""
    doc = read_bytes(data)
    if isinstance(doc, YamlProblem) or doc.problems:
        raise AppendError(f"{shown} does not parse cleanly: run kolplan validate {shown} and fix it first")
    root = doc.root
    assert isinstance(root, MappingNode)
    return data.decode("utf-8"), doc, root


def append_item(data: bytes, key: str | Sequence[str], fields: Sequence[tuple[str, str]], expected: Any,
                shown: str) -> bytes:
    """``data`` with one item appended to the list ``key``: a top-level key, or a path of keys
    (``("plan", "satisfaction")``) whose parents are block mappings that exist.

    ``fields``: the item's keys and their values as YAML text, in order. ``expected``:
    the item as data, to check the result against. ``shown``: the file, for messages.
    """
    path = (key,) if isinstance(key, str) else tuple(key)
    *parents, key = path
    dotted = ".".join(path)
    text, doc, root = parse_for_edit(data, shown)
    if root.flow_style:
        raise AppendError(f"{shown} is written as one flow mapping ({{...}}); kolplan can append only to block "
                          "YAML: rewrite it with one key per line")
    edit = Editor(text, shown)
    parent: MappingNode = root
    for name in parents:
        child = next((v for k, v in parent.value if isinstance(k, ScalarNode) and k.value == name), None)
        if not isinstance(child, MappingNode) or not child.value or child.flow_style:
            raise AppendError(f"{name} in {shown} is not a block mapping with keys, so {dotted} cannot be appended "
                              f"to: fix it (kolplan validate {shown} says how) or add the entry by hand")
        parent = child
    pair = next(((k, v) for k, v in parent.value if isinstance(k, ScalarNode) and k.value == key), None)
    if pair is None:
        style = _style_from_file(root)
        if parent is root:
            new_text = edit.append_key(key, fields, style)
        else:
            new_text = edit.append_nested_key(parent, key, fields, style)
    else:
        knode, vnode = pair
        if isinstance(vnode, SequenceNode) and vnode.value:
            if vnode.flow_style:
                raise AppendError(f"{dotted} in {shown} is written as a flow list ([...]) with items; kolplan appends "
                                  f"only to block lists: rewrite it with one '- date: ...' item per line, then run "
                                  "again")
            style = _style_of(knode, vnode)
            new_text = edit.after_last_item(knode, vnode, fields, style)
        elif is_plain_empty(vnode):
            new_text = edit.under_key(knode, None, fields, _style_from_file(root))
        elif (isinstance(vnode, SequenceNode) and not vnode.value) or (
            isinstance(vnode, ScalarNode) and vnode.tag == PLAIN_TAG and vnode.value in _NULL_WORDS
        ):
            new_text = edit.under_key(knode, vnode, fields, _style_from_file(root))
        else:
            raise AppendError(f"{dotted} in {shown} is not a list: fix it (kolplan validate {shown} says how)")
    new_data = new_text.encode("utf-8")
    _verify(doc, new_data, path, expected, shown)
    return new_data


# -- where and how ------------------------------------------------------------------------------
class Editor:
    def __init__(self, text: str, shown: str) -> None:
        self.text = text
        self.shown = shown
        m = LINE_BREAK.search(text)
        self.eol = m.group(0) if m and m.group(0) in ("\r\n", "\n", "\r") else "\n"
        self.starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]

    def index(self, line: int, column: int) -> int:
        if line >= len(self.starts):
            return len(self.text)
        return min(self.starts[line] + column, len(self.text))

    def append_key(self, key: str, fields: Sequence[tuple[str, str]], style: ListStyle) -> str:
        lines = [f"{key}:", *_item_lines(fields, style, 0)]
        return self._insert_lines(len(self.text), lines)

    def append_nested_key(self, parent: MappingNode, key: str, fields: Sequence[tuple[str, str]],
                          style: ListStyle) -> str:
        """``key:`` and the item as the last entry of the block mapping ``parent``, at its keys' column."""
        column = parent.value[0][0].start_mark.column
        end = content_end(parent) or (parent.start_mark.line, parent.start_mark.column)
        at = max(self.index(*end) - 1, 0)
        return self._insert_lines(at, [f"{' ' * column}{key}:", *_item_lines(fields, style, column)])

    def under_key(self, knode: Node, vnode: Node | None, fields: Sequence[tuple[str, str]],
                  style: ListStyle) -> str:
        """``key:``, ``key: ~`` or ``key: []``: the value (if any) removed, the items under the key."""
        text = self.text
        if vnode is None:
            at = self.index(knode.end_mark.line, knode.end_mark.column)
        else:
            start = self.index(vnode.start_mark.line, vnode.start_mark.column)
            end = self.index(vnode.end_mark.line, vnode.end_mark.column)
            rest_end = self._line_content_end(end)
            if text[end:rest_end].strip():  # a comment follows: keep it where it is
                text = text[:start] + text[end:]
                at = start
            else:
                cut = start
                while cut > 0 and text[cut - 1] in " \t":
                    cut -= 1
                text = text[:cut] + text[rest_end:]
                at = cut
        self.text = text
        self.starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]
        return self._insert_lines(at, _item_lines(fields, style, knode.start_mark.column))

    def after_last_item(self, knode: Node, seq: SequenceNode, fields: Sequence[tuple[str, str]],
                        style: ListStyle) -> str:
        end = content_end(seq.value[-1]) or (seq.value[-1].start_mark.line, seq.value[-1].start_mark.column)
        at = max(self.index(*end) - 1, 0)  # the item's last character: the new lines go after its line
        return self._insert_lines(at, _item_lines(fields, style, knode.start_mark.column))

    def _line_content_end(self, i: int) -> int:
        m = LINE_BREAK.search(self.text, i)
        return m.start() if m else len(self.text)

    def _insert_lines(self, at: int, lines: list[str]) -> str:
        """``lines`` inserted after the line holding index ``at`` (at the end of the text when past it)."""
        text, eol = self.text, self.eol
        if at >= len(text):
            if not text:
                return "".join(line + eol for line in lines)
            if text.endswith(_ENDINGS):
                return text + "".join(line + eol for line in lines)
            return text + "".join(eol + line for line in lines)  # no final newline before, none after
        m = LINE_BREAK.search(text, at)
        if m is None:
            return text + "".join(eol + line for line in lines)
        pos = m.end()
        return text[:pos] + "".join(line + eol for line in lines) + text[pos:]


def _item_lines(fields: Sequence[tuple[str, str]], style: ListStyle, key_column: int) -> list[str]:
    dash = " " * (key_column + style.dash)
    gap = " " * (max(style.item, 2) - 1)
    if style.flow_items:
        return [f"{dash}-{gap}{{" + ", ".join(f"{k}: {v}" for k, v in fields) + "}"]
    body = " " * (key_column + style.dash + max(style.item, 2))
    (k0, v0), *rest = fields
    return [f"{dash}-{gap}{k0}: {v0}", *(f"{body}{k}: {v}" for k, v in rest)]


def content_end(node: Node) -> tuple[int, int] | None:
    """Where a node's own text ends (libyaml ends block collections at the next token instead)."""
    if isinstance(node, ScalarNode):
        return None if is_plain_empty(node) else (node.end_mark.line, node.end_mark.column)
    if getattr(node, "flow_style", False):
        return (node.end_mark.line, node.end_mark.column)
    if isinstance(node, MappingNode):
        for k, v in reversed(node.value):
            end = content_end(v) or content_end(k)
            if end is not None:
                return end
        return None
    if isinstance(node, SequenceNode):
        for item in reversed(node.value):
            end = content_end(item)
            if end is not None:
                return end
        return (node.start_mark.line, node.start_mark.column + 1)  # only empty items: after the first dash
    return None


def is_plain_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == PLAIN_TAG and node.value == "" and not node.style


def _style_of(knode: Node, seq: SequenceNode) -> ListStyle:
    last = seq.value[-1]
    dash = seq.start_mark.column - knode.start_mark.column
    return ListStyle(dash, last.start_mark.column - seq.start_mark.column,
                     isinstance(last, MappingNode) and bool(last.flow_style))


def _style_from_file(root: MappingNode) -> ListStyle:
    """The style of the file's other lists of mappings (``owners:`` first), else its mapping indent."""
    lists = [(k, v) for k, v in root.value
             if isinstance(v, SequenceNode) and not v.flow_style and v.value and isinstance(v.value[0], MappingNode)]
    lists.sort(key=lambda kv: (kv[0].value != "owners", kv[0].value != "feedback"))
    for k, v in lists:
        first = v.value[0]
        if first.start_mark.line == v.start_mark.line:  # `- key: value` on the dash's line
            return ListStyle(v.start_mark.column - k.start_mark.column, first.start_mark.column - v.start_mark.column)
    for k, v in root.value:
        if isinstance(v, MappingNode) and not v.flow_style and v.value:
            indent = v.value[0][0].start_mark.column - k.start_mark.column
            if indent > 0:
                return ListStyle(indent, 2)
    return ListStyle(2, 2)


# -- the check ----------------------------------------------------------------------------------
def reads_back_as(new_data: bytes, want: Any) -> bool:
    """Whether the edited bytes read, without problems, as exactly ``want`` (every edit's check)."""
    new = read_bytes(new_data)
    return not isinstance(new, YamlProblem) and not new.problems and new.data == want


def _verify(old: Document, new_data: bytes, path: tuple[str, ...], expected: Any, shown: str) -> None:
    want = dict(old.data)
    here = want
    for name in path[:-1]:
        here[name] = dict(here[name])
        here = here[name]
    before = here.get(path[-1])
    here[path[-1]] = [*(before if isinstance(before, list) else []), expected]
    if not reads_back_as(new_data, want):
        raise AppendError(f"appending to {'.'.join(path)} would change other content of {shown} (its layout is "
                          "unusual here), so nothing was written: add the entry by hand")


# -- a key added to one item --------------------------------------------------------------------
def add_to_item(data: bytes, key: str, index: int, field: tuple[str, str], expected: Any, shown: str) -> bytes:
    """``data`` with the key ``field[0]`` (value ``field[1]``, YAML text) added to item ``index``
    of the top-level list ``key``, which must not have it yet. ``expected``: that item as data
    afterwards, to check the result against (the rest of the file must read back as before).
    """
    text, doc, root = parse_for_edit(data, shown)
    seq = next((v for k, v in root.value if isinstance(k, ScalarNode) and k.value == key), None)
    if root.flow_style or not isinstance(seq, SequenceNode) or index >= len(seq.value):
        raise AppendError(f"{key} in {shown} has no item {index + 1}: nothing was written")
    item = seq.value[index]
    if not isinstance(item, MappingNode) or not item.value:
        raise AppendError(f"{key} item {index + 1} in {shown} is not a mapping: fix it by hand")
    edit = Editor(text, shown)
    name, value = field
    if item.flow_style:  # `{date: ..., summary: ...}`: the new key before the closing brace
        close = edit.index(item.end_mark.line, item.end_mark.column) - 1
        new_text = text[:close] + f", {name}: {value}" + text[close:]
    else:
        column = item.value[0][0].start_mark.column
        end = content_end(item) or (item.start_mark.line, item.start_mark.column)
        new_text = edit._insert_lines(max(edit.index(*end) - 1, 0), [f"{' ' * column}{name}: {value}"])
    new_data = new_text.encode("utf-8")
    want = dict(doc.data)
    items = list(want[key])
    items[index] = expected
    want[key] = items
    if not reads_back_as(new_data, want):
        raise AppendError(f"adding {name} to {key} item {index + 1} would change other content of {shown} (its "
                          "layout is unusual here), so nothing was written: add it by hand")
    return new_data
