"""Field types shared by the plan and config models.

Validators here raise ``PydanticCustomError`` with messages written for a Medical
Affairs user; :mod:`kolplan.schema.problems` adds the position and the fix.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Final, Literal

from pydantic import BeforeValidator, ConfigDict, Field, Strict, WithJsonSchema
from pydantic_core import PydanticCustomError

from kolplan.schema.countries import ALIASES, ISO_3166_ALPHA2
from kolplan.vocabulary import ActivityType as ActivityType  # the models' name for it

SLUG_RE: Final = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX: Final = 64
_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

STRICT: Final = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=False)

Cadence = Literal["weekly", "biweekly", "monthly", "quarterly", "semiannual"]
RelationshipKind = Literal["advisory-board", "speaker", "investigator", "consultant", "grant", "other"]
LawfulBasis = Literal["legitimate-interest", "consent", "contract", "other"]
Role = Literal["lead", "contributor"]
DepartmentFunction = Literal["medical", "commercial", "other"]
SeverityName = Literal["error", "warning", "info", "off"]


def _iso_date(value: Any) -> Any:
    if value.__class__ is dt.date:  # what the loader gives for an unquoted date: the usual case
        return value
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("iso_date", "expected a date like 2026-02-11, not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise PydanticCustomError(
                    "iso_date", "'{value}' is not a real date (check the month and day)", {"value": value}
                ) from None
        raise PydanticCustomError("iso_date", "'{value}' is not an ISO date: write it as YYYY-MM-DD, "
                                  "e.g. 2026-02-11", {"value": value})
    raise PydanticCustomError("iso_date", "expected a date like 2026-02-11, not {kind}",
                              {"kind": type_name(value)})


def _text(value: Any) -> Any:
    """A text field. A YAML number is refused, not converted (SPEC 4): the JSON Schema editors
    read says "string", and ``validate`` must judge the file as the editor does.
    :mod:`kolplan.schema.problems` quotes the number as written and says to quote it."""
    if value.__class__ is str:  # the usual case, first: this runs for every text value of every plan
        return value
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("text", "expected text, not {kind}", {"kind": type_name(value)})
    if isinstance(value, (int, float)):
        raise PydanticCustomError("number_id", "{value} is a number in YAML: this is text, put it in quotes",
                                  {"value": value})
    return _date_as_text(value)


def _date_as_text(value: Any) -> Any:
    """An unquoted ``2026-01-01`` where text is meant is its text: the reader made it a date, but
    the text is kept exactly (YYYY-MM-DD), and editors and JSON Schema tools read it as text."""
    if value.__class__ is dt.date:
        return value.isoformat()
    return value


def _id_text(value: Any) -> Any:
    """Identifiers (CRM id, NPI, ...) and ids are text (SPEC 4): a YAML number is refused, not
    converted, since ``0012345`` would become ``12345`` and hide a duplicate KOL.
    :mod:`kolplan.schema.problems` quotes the number as written and says to quote it."""
    if value.__class__ is str:  # the usual case
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise PydanticCustomError("number_id", "{value} is a number in YAML: identifiers and ids are text, "
                                  "put it in quotes", {"value": value})
    return _date_as_text(value)


def _country(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("country", "expected a two-letter ISO 3166-1 country code such as GB, "
                                  "not {kind}", {"kind": type_name(value)})
    if value in ISO_3166_ALPHA2:
        return value
    upper = value.upper()
    fix = ALIASES.get(upper) or (upper if upper in ISO_3166_ALPHA2 else None)
    hint = f": write {fix}" if fix else ": use the two-letter ISO 3166-1 code, e.g. GB, DE, US"
    raise PydanticCustomError("country", "'{value}' is not an ISO 3166-1 alpha-2 country code{hint}",
                              {"value": value, "hint": hint})


def _number(value: Any) -> Any:
    if (value.__class__ is int or value.__class__ is float) and 0 <= value < math.inf:  # the usual case
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError("number", "expected a number, not {kind}", {"kind": type_name(value)})
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("number", "expected a finite number, not {value}", {"value": value})
    if value < 0:
        raise PydanticCustomError("non_negative", "must not be negative (got {value})", {"value": value})
    return value


def _whole(value: Any) -> Any:
    """A whole number: ``9.0`` is 9, as JSON Schema's "integer" counts it; ``9.5`` and ``"9"`` are not."""
    if value.__class__ is float and value.is_integer():
        return int(value)
    return value


def _target(value: Any) -> Any:
    value = _date_as_text(value)
    if isinstance(value, bool) or value is None or not isinstance(value, (int, float, str)):
        raise PydanticCustomError("target", "target should be a number or a short text, not {kind}",
                                  {"kind": type_name(value)})
    if isinstance(value, str) and len(value) > 200:
        raise PydanticCustomError("target", "target text is {n} characters; keep it under 200",
                                  {"n": len(value)})
    return value


def _none_to_list(value: Any) -> Any:
    return [] if value is None else value


def type_name(value: Any) -> str:
    """How a YAML value's type reads to a user."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"a yes/no value ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
# Constraints (Field) come before the BeforeValidator so that pydantic checks them in its
# core, on the str schema; after it, each becomes a Python call per value.
Text = Annotated[str, Field(min_length=1), BeforeValidator(_text)]
IdText = Annotated[str, Field(min_length=1), BeforeValidator(_id_text)]
Country = Annotated[str, BeforeValidator(_country),
                    WithJsonSchema({"type": "string", "enum": sorted(ISO_3166_ALPHA2)})]
NonNegative = Annotated[float, BeforeValidator(_number), WithJsonSchema({"type": "number", "minimum": 0})]
Target = Annotated[
    float | str,
    BeforeValidator(_target),
    WithJsonSchema({"type": ["number", "string"], "maxLength": 200}),
]
Slug = Annotated[str, Field(pattern=SLUG_RE.pattern, max_length=SLUG_MAX), BeforeValidator(_id_text)]
Handle = Annotated[str, Field(min_length=1), BeforeValidator(_text)]
FreeText = Annotated[str, BeforeValidator(_text)]  # text that may be empty (a feedback's response)
ItemId = Annotated[str, Field(min_length=1, max_length=32), BeforeValidator(_id_text)]
StrictBool = Annotated[bool, Strict()]

# Whole numbers; 9.0 is 9, as JSON Schema's "integer" counts it.
Score = Annotated[int, Field(ge=0, le=10, strict=True), BeforeValidator(_whole)]
Month = Annotated[int, Field(ge=1, le=12, strict=True), BeforeValidator(_whole)]
Days = Annotated[int, Field(ge=0, le=366, strict=True), BeforeValidator(_whole)]
Year = Annotated[int, Field(ge=2000, le=2100, strict=True), BeforeValidator(_whole)]
Positive = Annotated[float, BeforeValidator(_number), Field(gt=0),
                     WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]
TextList = Annotated[list[Text], BeforeValidator(_none_to_list, json_schema_input_type=list[Text] | None)]


def none_as_empty(item: Any) -> BeforeValidator:
    """For list fields that may also be written empty (``activities:``) or left out."""
    return BeforeValidator(_none_to_list, json_schema_input_type=list[item] | None)
