"""JSON Schema of a plan and of ``kolplan.yaml``, generated from the pydantic models.

Editors (yaml-language-server) show a property's title and description on hover, so every
property has a description (written on the models' fields), and optional values are written
as one schema with ``"type": [..., "null"]`` rather than pydantic's ``anyOf``: on an
``anyOf`` whose branches have no titles of their own, yaml-language-server repeats the
property's title for each branch ("Preferred Channels || Preferred Channels").
"""

from __future__ import annotations

import json
from typing import Any, Literal

from kolplan.schema import Config, Plan

SCHEMA_BASE = "https://kolplan.dev/schema/v1"


def json_schema(which: Literal["plan", "config"] = "plan") -> str:
    model = Plan if which == "plan" else Config
    body = tidy(model.model_json_schema(by_alias=True, mode="validation"))
    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}/{which}.schema.json",
        "title": "kolplan plan file (plans/<id>.yaml)" if which == "plan" else "kolplan configuration (kolplan.yaml)",
        **{k: v for k, v in body.items() if k != "title"},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


_NULL = {"type": "null"}


def tidy(node: Any) -> Any:
    """``anyOf: [X, {"type": "null"}]`` becomes X with ``null`` added to its type; where X is a
    ``$ref`` or an ``enum``, the pair becomes a ``oneOf`` (the two cannot both match, and
    yaml-language-server joins titles only for ``anyOf``)."""
    if isinstance(node, list):
        return [tidy(x) for x in node]
    if not isinstance(node, dict):
        return node
    node = {k: tidy(v) for k, v in node.items()}
    alts = node.get("anyOf")
    if isinstance(alts, list) and len(alts) == 2 and _NULL in alts:
        other = alts[0] if alts[1] == _NULL else alts[1]
        rest = {k: v for k, v in node.items() if k != "anyOf"}
        merged = _or_null(other)
        node = {**merged, **rest} if merged is not None else {"oneOf": alts, **rest}
    return node


def _or_null(schema: dict[str, Any]) -> dict[str, Any] | None:
    """X or null as one schema; None where that would not do: a ``$ref``, and an ``enum``
    (null among the values would be offered as one in the editor's hover and completion)."""
    kind = schema.get("type")
    if "$ref" in schema or "enum" in schema or not isinstance(kind, (str, list)):
        return None
    return {**schema, "type": [*([kind] if isinstance(kind, str) else kind), "null"]}
