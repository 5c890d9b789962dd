"""Set keys of one mapping as text splices, leaving every other byte of the file alone.

``kolplan update`` changes a value or two of one activity, objective or the governance
block. A round-trip dump would re-indent, re-wrap and re-quote the whole file; instead
each changed scalar is replaced at its exact span in the text (the reader's node marks
are code-point indexes into the decoded text), keeping its quotes, and a missing key is
inserted next to its siblings in the mapping's own style: a new line after the last key
of a block mapping, at its keys' column, or ``, key: value`` before the ``}`` of a flow
mapping. The result is accepted only if parsing it gives the old data with exactly the
intended change (:func:`set_keys` checks it); otherwise nothing is returned.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode

from kolplan.errors import AppendError
from kolplan.yamlio.append import LINE_BREAK, Editor, content_end, is_plain_empty, parse_for_edit, reads_back_as
from kolplan.yamlio.document import PLAIN_TAG

_QUOTES: Final = ("'", '"')
_PROPERTIES: Final = re.compile(r"(?:[&!][^\s]*[ \t]+)+")
_SAFE_IN_QUOTES: Final = re.compile(r"[A-Za-z0-9._:-]*")  # needs no escape in either quoting style


@dataclass(frozen=True)
class Value:
    """A new value: its plain YAML text (``2026-06-02``, ``done``, ``4.5``) and what it reads back as."""

    text: str
    data: Any


def set_keys(data: bytes, path: Sequence[str | int], fields: Sequence[tuple[str, Value]], shown: str,
             *, parent_key: str | None = None) -> bytes:
    """``data`` with the keys ``fields`` of the mapping at ``path`` set (replaced or added).

    ``parent_key``: when the mapping at ``path`` is missing and ``path[-1] == parent_key``,
    it is added (``governance:`` with ``next_review:`` under it) to the mapping that holds it.
    Raises :class:`~kolplan.errors.AppendError` (exit 1) when the result would not read back
    as the old data plus exactly these keys set: nothing is written then.
    """
    text, doc, _root = parse_for_edit(data, shown)
    found = doc.locate(path)
    edits: list[tuple[int, int, str]] = []
    editor = Editor(text, shown)
    expected = copy.deepcopy(doc.data)
    if not found.complete:
        if found.depth != len(path) - 1 or path[-1] != parent_key or not isinstance(found.node, MappingNode):
            raise AppendError(f"{shown} has no {'.'.join(map(str, path))} to change: nothing was written")
        edits.append(_add_mapping(editor, found.node, str(path[-1]), fields, shown))
        _at(expected, path[:-1])[path[-1]] = {k: v.data for k, v in fields}
    else:
        node = found.node
        if not isinstance(node, MappingNode):
            raise AppendError(f"{'.'.join(map(str, path))} in {shown} is not a mapping: fix it by hand "
                              f"(kolplan validate {shown} says how)")
        missing: list[tuple[str, Value]] = []
        target = _at(expected, path)
        for key, value in fields:
            pair = next(((k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == key), None)
            if pair is None:
                missing.append((key, value))
                target[key] = value.data
                continue
            knode, vnode = pair
            if isinstance(vnode, CollectionNode) and vnode.flow_style and not vnode.value:
                # `therapeutic_areas: []` (import fills it): the empty `[]` or `{}` is the span replaced
                start = editor.index(vnode.start_mark.line, vnode.start_mark.column)
                end = editor.index(vnode.end_mark.line, vnode.end_mark.column)
                edits.append((start, end, value.text))
                target[key] = value.data
                continue
            if not isinstance(vnode, ScalarNode):
                raise AppendError(f"{key} in {shown} at line {knode.start_mark.line + 1} is not a single value: "
                                  "fix it by hand")
            edit, reads_as = _replace(editor, knode, vnode, value)
            edits.append(edit)
            target[key] = reads_as
        if missing:
            edits.append(_add_keys(editor, node, missing))
    new_text = text
    for start, end, replacement in sorted(edits, reverse=True):
        new_text = new_text[:start] + replacement + new_text[end:]
    new_data = new_text.encode("utf-8")
    _verify(new_data, expected, path, shown)
    return new_data


def _at(data: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        data = data[part]
    return data


def _replace(editor: Editor, knode: Node, vnode: ScalarNode, value: Value) -> tuple[tuple[int, int, str], Any]:
    """The splice that gives ``vnode`` the new value, and what it reads back as."""
    if is_plain_empty(vnode):  # `key:` with nothing after it: the value goes after the colon
        at = editor.index(knode.end_mark.line, knode.end_mark.column)
        colon = editor.text.index(":", at)
        return (colon + 1, colon + 1, " " + value.text), value.data
    start = editor.index(vnode.start_mark.line, vnode.start_mark.column)
    end = editor.index(vnode.end_mark.line, vnode.end_mark.column)
    props = _PROPERTIES.match(editor.text, start, end)  # an anchor (&a) or a tag (!t) stays as written
    if props:
        start = props.end()
    style = vnode.style
    if style in _QUOTES and isinstance(value.data, str) and _SAFE_IN_QUOTES.fullmatch(value.text):
        return (start, end, f"{style}{value.text}{style}"), value.data  # quoted before, quoted after
    if style in _QUOTES and vnode.tag != PLAIN_TAG and _SAFE_IN_QUOTES.fullmatch(value.text) and \
            not isinstance(value.data, (int, float)):
        return (start, end, f"{style}{value.text}{style}"), value.text  # a quoted date stays quoted text
    return (start, end, value.text), value.data


def _add_keys(editor: Editor, node: MappingNode, fields: Sequence[tuple[str, Value]]) -> tuple[int, int, str]:
    """The insertion of ``fields`` as the last keys of ``node``, in its own style."""
    if node.flow_style:  # `{id: A1, ...}`: the new keys before the closing brace
        close = editor.index(node.end_mark.line, node.end_mark.column) - 1
        added = "".join(f", {k}: {v.text}" for k, v in fields) if node.value else \
            ", ".join(f"{k}: {v.text}" for k, v in fields)
        return (close, close, added)
    column = node.value[0][0].start_mark.column
    return _lines_after(editor, node, [f"{' ' * column}{k}: {v.text}" for k, v in fields])


def _add_mapping(editor: Editor, parent: MappingNode, key: str, fields: Sequence[tuple[str, Value]],
                 shown: str) -> tuple[int, int, str]:
    """``key:`` with ``fields`` under it, as the last key of ``parent``."""
    if parent.flow_style or not parent.value:
        inner = ", ".join(f"{k}: {v.text}" for k, v in fields)
        return _add_keys(editor, parent, [(key, Value("{" + inner + "}", None))])
    column = parent.value[0][0].start_mark.column
    indent = _child_indent(parent) or 2
    lines = [f"{' ' * column}{key}:", *(f"{' ' * (column + indent)}{k}: {v.text}" for k, v in fields)]
    return _lines_after(editor, parent, lines)


def _child_indent(parent: MappingNode) -> int | None:
    """How far the file indents a block mapping under one of ``parent``'s keys."""
    for k, v in parent.value:
        if isinstance(v, MappingNode) and not v.flow_style and v.value:
            indent: int = v.value[0][0].start_mark.column - k.start_mark.column
            if indent > 0:
                return indent
    return None


def _lines_after(editor: Editor, node: MappingNode, lines: list[str]) -> tuple[int, int, str]:
    """The insertion of ``lines`` after the line where ``node``'s content ends."""
    end = content_end(node) or (node.start_mark.line, node.start_mark.column)
    at = max(editor.index(*end) - 1, 0)
    text, eol = editor.text, editor.eol
    m = LINE_BREAK.search(text, at)
    if m is None:  # the last line, with no final line break: none after the new lines either
        return (len(text), len(text), "".join(eol + line for line in lines))
    return (m.end(), m.end(), "".join(line + eol for line in lines))


def _verify(new_data: bytes, expected: Any, path: Sequence[str | int], shown: str) -> None:
    if not reads_back_as(new_data, expected):
        raise AppendError(f"changing {'.'.join(map(str, path))} would change other content of {shown} (its layout "
                          "is unusual here), so nothing was written: make the change by hand")
