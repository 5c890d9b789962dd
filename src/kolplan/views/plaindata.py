"""What a template may see: kolplan's data turned into plain data at the rendering boundary (SPEC 8).

A repository's templates are code anyone with commit access can write, and CI runs them.
They get mappings, lists, strings, numbers and dates, never kolplan's or pydantic's
objects, whose methods (``parse_file``, ``model_validate_json``, ...) read files or run
code. :func:`plain` makes that data:

* a dataclass becomes a :class:`Record` of its fields and the values of its properties;
  a pydantic model, a :class:`Record` of its fields (recursively);
* a mapping becomes a ``dict``, a list a ``list``, a tuple a ``tuple`` (a named tuple a
  :class:`Record`), a set a sorted ``list``;
* ``str``, ``int``, ``float``, ``bool``, ``None``, dates and datetimes stay as they are
  (a subclass of ``str``, ``int`` or ``float`` becomes the plain type);
* an enum member becomes its value (text as :class:`EnumText`, which keeps ``.value``
  and ``.name`` for templates that use them);
* anything else is a bug in kolplan: :class:`TypeError`.

A :class:`Record` is a ``dict`` with no methods of its own; the sandbox looks its keys up
for ``x.name`` and ``x["name"]`` and nothing else, so a field called ``items`` or ``get``
still reads as the field, and no dict method is reachable through a record. Plain
mappings (``doc.names``) keep a dict's behaviour: ``names.get(handle, handle)`` works.

This module does not import jinja2 (``kolplan validate`` must not pay for it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import gc
import keyword
import operator
from collections.abc import Callable, Mapping
from typing import Any, Final

from pydantic import BaseModel

__all__ = ["EnumText", "Record", "plain", "plain_context"]


class Record(dict[str, Any]):
    """The fields of one record (a dataclass or a model), for a template. No methods of its own.

    Each source class gets a subclass of the same name and module (made by :func:`plain`),
    so that a template error still names the kind of record ("'kolplan.views.report.Report
    object' has no attribute 'x'").
    """

    __slots__ = ()


class EnumText(str):
    """An enum member's text. ``{{ d.severity }}`` prints ``error``; ``.value`` and ``.name``
    (what templates wrote when they got the enum itself) still work."""

    value: str
    name: str


_SCALARS: Final[frozenset[type]] = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_Converter = Callable[[Any], Any]
_CONVERTERS: dict[type, _Converter] = {}


def plain(value: Any) -> Any:
    """``value`` as plain data (see the module docstring); ``TypeError`` for a type kolplan
    should never hand to a template."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter_for(kind)
    return convert(value)


def plain_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """A template's variables as plain data. The conversion makes a tree and no cycles, so the
    cyclic collector waits until it is done (a 10,000-plan report: 0.14 s of 0.4 s)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return {key: plain(value) for key, value in context.items()}
    finally:
        if enabled:
            gc.enable()


def _list(value: Any) -> list[Any]:
    return [x if type(x) in _SCALARS else plain(x) for x in value]


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple([x if type(x) in _SCALARS else plain(x) for x in value])


def _dict(value: Any) -> dict[Any, Any]:
    return {plain(k): (v if type(v) in _SCALARS else plain(v)) for k, v in value.items()}


def _sorted_list(value: Any) -> list[Any]:
    items = _list(value)
    try:
        return sorted(items)
    except TypeError:  # mixed types (None among strings, ...): a stable order all the same
        return sorted(items, key=repr)


def _converter_for(kind: type) -> _Converter:
    if issubclass(kind, enum.Enum):
        return _enum
    if dataclasses.is_dataclass(kind):
        names = [f.name for f in dataclasses.fields(kind)]
        return _record_converter(kind, names + _property_names(kind, stop=object))
    if hasattr(kind, "__pydantic_fields__") and hasattr(kind, "model_fields"):
        names = list(kind.model_fields) + list(getattr(kind, "model_computed_fields", {}))

        return _record_converter(kind, names + _property_names(kind, stop=BaseModel))
    if issubclass(kind, tuple) and hasattr(kind, "_fields"):  # a named tuple
        return _record_converter(kind, list(kind._fields))
    if issubclass(kind, str):
        return str.__str__  # the plain str, without the subclass's methods
    if issubclass(kind, bool):
        return bool
    if issubclass(kind, int):
        return int.__index__
    if issubclass(kind, float):
        return float.__float__
    if issubclass(kind, dt.datetime):
        return lambda v: dt.datetime(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.tzinfo,
                                     fold=v.fold)
    if issubclass(kind, dt.date):
        return lambda v: dt.date(v.year, v.month, v.day)
    if issubclass(kind, Mapping):
        return _dict
    if issubclass(kind, (list, tuple)):
        return _list if issubclass(kind, list) else _tuple
    if issubclass(kind, (set, frozenset)):
        return _sorted_list
    raise TypeError(f"kolplan bug: a {kind.__module__}.{kind.__qualname__} cannot be given to a template "
                    "(templates get plain data only)")


def _property_names(kind: type, stop: type) -> list[str]:
    """Public ``@property`` and ``@cached_property`` names of ``kind`` and its bases below ``stop``."""
    names: list[str] = []
    for base in kind.__mro__:
        if base is stop or base is object:
            break
        for name, attr in vars(base).items():
            if not name.startswith("_") and isinstance(attr, (property, functools.cached_property)) \
                    and name not in names:
                names.append(name)
    return names


def _record_converter(kind: type, names: list[str]) -> _Converter:
    """A function making ``kind``'s :class:`Record`. Written out field by field (as
    :mod:`dataclasses` writes ``__init__``) from names the class itself declares: it is the
    hot loop of a 10,000-plan report, twice as fast as a generic one."""
    record = _record_type(kind)
    if not all(n.isidentifier() and not keyword.iskeyword(n) for n in names):  # pragma: no cover - defensive
        get = operator.attrgetter(*names)
        keys = tuple(names)
        if len(keys) == 1:
            return lambda obj: record({keys[0]: plain(get(obj))})
        return lambda obj: record(zip(keys, [plain(v) for v in get(obj)], strict=True))
    lines = ["def convert(obj):", *(f"    v{i} = obj.{n}" for i, n in enumerate(names))]
    items = ", ".join(f"{n!r}: (v{i} if type(v{i}) in scalars else plain(v{i}))" for i, n in enumerate(names))
    lines.append(f"    return record({{{items}}})")
    namespace: dict[str, Any] = {"record": record, "scalars": _SCALARS, "plain": plain}
    exec("\n".join(lines), namespace)  # names checked above: identifiers of kolplan's own classes
    convert: _Converter = namespace["convert"]
    return convert


@functools.cache
def _record_type(kind: type) -> type[Record]:
    made = type(kind.__name__, (Record,), {"__slots__": (), "__module__": kind.__module__})
    made.__qualname__ = kind.__qualname__
    return made


@functools.cache
def _enum(member: enum.Enum) -> Any:
    value = member.value
    if isinstance(value, str):
        text = EnumText(value)
        text.value = str.__str__(value)
        text.name = member.name
        return text
    return plain(value)
