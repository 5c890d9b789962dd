"""Pydantic validation errors -> KP010 diagnostics at the exact key or value at fault.

Pydantic reports a ``loc`` path; the document's node tree turns it into a line and
column. Messages name the place in the plan (``plan.objectives[O2].kol_value``) and
say what to do; an unknown key gets a "did you mean" from the model's own fields.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pydantic import BaseModel, ValidationError
from yaml.nodes import ScalarNode

from kolplan.schema.types import type_name
from kolplan.vocabulary import IDENTIFIER_LABELS
from kolplan.yamlio.document import Document

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    line: int
    column: int
    message: str


def schema_problems(exc: ValidationError, doc: Document, model: type[BaseModel]) -> list[SchemaProblem]:
    """One problem per pydantic error, positioned in ``doc``, in file order."""
    out: list[SchemaProblem] = []
    seen: set[tuple[int, int, str]] = set()
    errors = exc.errors(include_url=False)
    for err in errors[:MAX_PROBLEMS]:  # a file of garbage need not cost a minute to describe
        loc: Loc = tuple(err["loc"])
        if loc[-1:] == ("[key]",):  # pydantic's marker for a mapping key that is not text
            loc, err = loc[:-1], {**err, "type": "invalid_key"}
        if err["type"] == "number_id":
            message, at = _number_id(err, loc, doc), "value"
        else:
            message, at = _message(err, loc, doc.data, model)
        message = _LONG_QUOTE.sub(lambda m: f"'{m.group(1)[:60]}…'", message)
        if at == "parent":
            line, col = doc.parent_position(loc)
        else:
            line, col = doc.position(loc, "key" if at == "key" else "value")
        key = (line, col, message)
        if key not in seen:
            seen.add(key)
            out.append(SchemaProblem(line, col, message))
    out.sort(key=lambda p: (p.line, p.column))
    if len(errors) > MAX_PROBLEMS:
        out.insert(0, SchemaProblem(1, 1, f"{len(errors) - MAX_PROBLEMS} more schema problems are not shown: "
                                          "fix the ones reported and run again"))
    return out


MAX_PROBLEMS: Final = 100
# A quoted value longer than this is shortened in messages (a pasted 1 MB line is not repeated).
_LONG_QUOTE: Final = re.compile(r"(?<!\w)'([^'\n]{80,})'(?!\w)")  # a closing quote opens none


def describe(data: Any, loc: Sequence[str | int]) -> str:
    """A readable name for a place in a plan: ``plan.objectives[O2].kol_value``."""
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, dict):  # a number key: a year
            node = node.get(part)
            parts.append(f".{part}")
        elif isinstance(part, int):
            item_id = None
            if isinstance(node, list) and 0 <= part < len(node):
                item = node[part]
                node = item
                if isinstance(item, dict) and isinstance(item.get("id"), (str, int)):
                    item_id = str(item["id"])
            else:
                node = None
            label = item_id if item_id else f"#{part + 1}"
            parts.append(f"[{label}]")
        else:
            node = node.get(part) if isinstance(node, dict) else None
            parts.append(("." if parts else "") + part)
    return "".join(parts) or "the file"


def _number_id(err: Any, loc: Loc, doc: Document) -> str:
    """An identifier or id written as a YAML number (SPEC 4): the number as written, what it was
    read as, and the line to write instead, e.g. ``kol.identifiers.crm_id: 0012345 is a number
    in YAML (read as 12345); identifiers are text: write crm_id: "0012345"``."""
    value = err.get("input")
    found = doc.locate(loc)
    node = found.node
    written = node.value if found.complete and isinstance(node, ScalarNode) and node.value else str(value)
    read_as = f" (read as {value})" if written != str(value) else ""
    field = loc[-1] if loc else "id"
    if "this is text" in str(err.get("msg", "")):  # a text field (types._text), not an id
        what = f"{field} is" if isinstance(field, str) else "the items of this list are"
    else:
        what = "identifiers are" if field in IDENTIFIER_LABELS else "ids are"
    quoted = '"' + written.replace("\\", "\\\\").replace('"', '\\"') + '"'
    fix = f"{field}: {quoted}" if isinstance(field, str) else quoted
    return f"{describe(doc.data, loc)}: {written} is a number in YAML{read_as}; {what} text: write {fix}"


def _message(err: Any, loc: Loc, data: Any, model: type[BaseModel]) -> tuple[str, str]:
    kind: str = err["type"]
    value = err.get("input")
    where = describe(data, loc)
    field = loc[-1] if loc else ""
    if kind == "missing":
        parent = describe(data, loc[:-1])
        return (f"{parent} is missing the required key '{field}': add {field}: …", "parent")
    if kind == "invalid_key":
        parent = describe(data, loc[:-1])
        what = "an empty key (~ or null)" if value is None else f"key '{value}'"
        key_type = _dict_key_type(model, loc[:-1])
        if typing.get_origin(key_type) is typing.Literal:
            allowed = [str(a) for a in typing.get_args(key_type)]
            guess = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.5)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            return (f"{what} in {parent} is not one of: {', '.join(allowed)}{hint}", "key")
        if key_type is int:
            return (f"{what} in {parent} is not a year: write a year from 2000 to 2100, unquoted, e.g. 2027:",
                    "key")
        return (f"{what} in {parent} is not text: keys are names such as tier:; put the key in quotes "
                "if it is meant as text", "key")
    if kind == "extra_forbidden":
        parent = describe(data, loc[:-1])
        allowed = _fields_at(model, loc[:-1])
        guess = difflib.get_close_matches(str(field), allowed, n=1, cutoff=0.6)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        free_form = "custom" in model.model_fields and "custom" not in loc  # plans have custom:, the config not
        extra = "; custom: is the place for free-form keys" if free_form else ""
        return (f"unknown key '{field}' in {parent}{hint}: fix the spelling or remove it{extra}", "key")
    if kind == "literal_error":
        expected = [a.strip("'") for a in str(err["ctx"]["expected"]).replace(" or ", ", ").split(", ")]
        guess = difflib.get_close_matches(str(value), expected, n=1, cutoff=0.5)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        shown = value if isinstance(value, (str, int, float)) else type_name(value)
        return (f"{where} '{shown}' is not one of: {', '.join(expected)}{hint}", "value")
    if kind in _CUSTOM:
        target = "key" if kind == "activity_date" else "value"
        return (f"{where}: {err['msg']}", target)
    if kind == "string_pattern_mismatch" and field == "id":
        return (f"id '{value}' is not a valid plan id: use lowercase letters, digits and hyphens "
                "(e.g. jane-okafor), at most 64 characters", "value")
    if kind == "string_too_short":
        return (f"{where} is empty: write a value or remove the key", "value")
    if kind == "string_too_long":
        return (f"{where} is too long ({err['msg'].lower().replace('string should have ', '')})", "value")
    if kind in ("string_type", "string_sub_type"):
        return (f"{where} should be text, not {type_name(value)}", "value")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return (f"{where} should be a whole number, not {type_name(value)}", "value")
    if kind in ("float_type", "float_parsing", "finite_number"):
        return (f"{where} should be a number, not {type_name(value)}", "value")
    if kind in ("bool_type", "bool_parsing"):
        return (f"{where} should be true or false, not {_shown(value)}", "value")
    if kind in ("list_type", "tuple_type"):
        return (f"{where} should be a list (one '- item' per line, or [a, b]), not {type_name(value)}", "value")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return (f"{where} should be a mapping of keys, not {type_name(value)}", "value")
    if kind in ("too_short", "too_long") and isinstance(value, list):
        if len(loc) >= 2 and loc[-2] == "open_payments_thresholds":
            return (f"{where} should be two amounts in USD, [single payment, annual total], e.g. [14.10, 141.00] "
                    f"(got {len(value)})", "value")
        ctx = err.get("ctx", {})
        bound = (f"at least {ctx['min_length']}" if kind == "too_short" else f"at most {ctx['max_length']}")
        return (f"{where} should have {bound} items (got {len(value)})", "value")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = err["msg"].replace("Input should be ", "")
        return (f"{where} should be {bound} (got {_shown(value)})", "value")
    msg = str(err["msg"]).replace("Input should be", "should be")
    return (f"{where}: {msg}", "value")


_CUSTOM = {"iso_date", "text", "country", "number", "non_negative", "target", "activity_date"}


def _shown(value: Any) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return f"'{value}'"
    return type_name(value)


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys allowed at ``loc`` inside ``model`` (for "did you mean")."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    for candidate in _candidates(current):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return [f.alias or name for name, f in candidate.model_fields.items()]
    return []


def _dict_key_type(model: type[BaseModel], loc: Loc) -> Any:
    """The key type of the mapping at ``loc`` inside ``model`` (Annotated layers removed), or None."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return None
    for candidate in _candidates(current):
        if typing.get_origin(candidate) is dict:
            return next(_candidates(typing.get_args(candidate)[0]), None)
    return None


def _step(tp: Any, part: str | int) -> Any:
    for candidate in _candidates(tp):
        if isinstance(part, int):
            if typing.get_origin(candidate) is list:
                return typing.get_args(candidate)[0]
        elif isinstance(candidate, type) and issubclass(candidate, BaseModel):
            for name, f in candidate.model_fields.items():
                if (f.alias or name) == part:
                    return f.annotation
        elif typing.get_origin(candidate) is dict:
            return typing.get_args(candidate)[1]
    return None


def _candidates(tp: Any) -> Iterator[Any]:
    """Unwrap Annotated and Optional/Union layers."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        yield from _candidates(typing.get_args(tp)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if arg is not type(None):
                yield from _candidates(arg)
    else:
        yield tp
