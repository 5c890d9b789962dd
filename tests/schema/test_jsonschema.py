"""kolplan.schema.jsonschema: the JSON Schema generated from the models, and the copies committed
under schema/ that editors read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest

from kolplan.schema.jsonschema import json_schema


def test_the_json_schema_says_identifiers_and_ids_are_text() -> None:
    schema = json.loads(json_schema("plan"))
    defs = schema["$defs"]
    assert schema["properties"]["id"]["type"] == "string"
    for kind in ("crm_id", "npi", "orcid", "email"):
        assert defs["Identifiers"]["properties"][kind]["type"] == ["string", "null"]
        assert defs["Identifiers"]["properties"][kind]["minLength"] == 1
    assert defs["Objective"]["properties"]["id"]["type"] == "string"
    assert defs["Activity"]["properties"]["id"]["type"] == "string"
    assert defs["Activity"]["properties"]["objectives"]["items"]["type"] == "string"


def _objects(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object in ``node`` that declares ``properties``, with where it is (the
    conditions of an if/then only restate properties declared beside them)."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            yield where or "the root", node
        for key, value in node.items():
            if key not in ("if", "then"):
                yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{where}/{i}")


@pytest.mark.parametrize("which", ["plan", "config"])
def test_every_property_has_a_description(which: Literal["plan", "config"]) -> None:
    """An editor's hover text: every property, at the top and in every $defs model."""
    schema = json.loads(json_schema(which))
    missing = [f"{where}.{name}" for where, obj in _objects(schema) for name, prop in obj["properties"].items()
               if not str(prop.get("description", "")).strip()]
    assert not missing
    assert all(str(d.get("description", "")).strip() for d in schema["$defs"].values())


@pytest.mark.parametrize("which", ["plan", "config"])
def test_titles_are_not_repeated(which: Literal["plan", "config"]) -> None:
    """yaml-language-server joins the titles of an anyOf's branches with ||; branches without a
    title of their own repeat the property's ("Preferred Channels || Preferred Channels")."""
    text = json_schema(which)
    schema = json.loads(text)
    assert "anyOf" not in text and "||" not in text
    for where, obj in _objects(schema):
        for name, prop in obj["properties"].items():
            assert "title" not in obj or prop.get("title") != obj["title"], f"{where}.{name} repeats its parent's"
            for branch in prop.get("oneOf", []):  # X or null, where X is a $ref or an enum
                assert "title" not in branch and len(prop["oneOf"]) == 2, f"{where}.{name}"


def test_the_descriptions_reuse_the_vocabulary() -> None:
    """The seven KOL-centred questions are worded once, in kolplan.vocabulary."""
    from kolplan.vocabulary import QUESTION

    kol = json.loads(json_schema("plan"))["$defs"]["Kol"]["properties"]
    for field, question in QUESTION.items():
        assert kol[field]["description"].startswith(question)


def test_a_done_or_cancelled_activity_needs_a_date_in_the_schema_too() -> None:
    activity = json.loads(json_schema("plan"))["$defs"]["Activity"]
    assert activity["if"]["properties"]["status"]["enum"] == ["done", "cancelled"]
    assert activity["then"]["required"] == ["date"]


@pytest.mark.parametrize(("which", "name"), [("plan", "plan.schema.json"), ("config", "config.schema.json")])
def test_committed_schema_is_current(project_root: Path, which: str, name: str) -> None:
    committed = (project_root / "schema" / name).read_text(encoding="utf-8")
    flag = " --config" if which == "config" else ""
    assert committed == json_schema(which), f"schema/{name} is stale: run: kolplan schema{flag} > schema/{name}"  # type: ignore[arg-type]
