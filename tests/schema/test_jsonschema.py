"""kolplan.schema.jsonschema: the JSON Schema generated from the models, and the copies committed
under schema/ that editors read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kolplan.schema.jsonschema import json_schema


def test_the_json_schema_says_identifiers_and_ids_are_text() -> None:
    schema = json.loads(json_schema("plan"))
    defs = schema["$defs"]
    assert schema["properties"]["id"]["type"] == "string"
    for kind in ("crm_id", "npi", "orcid", "email"):
        assert {"type": "string", "minLength": 1} in defs["Identifiers"]["properties"][kind]["anyOf"]
    assert defs["Objective"]["properties"]["id"]["type"] == "string"
    assert defs["Activity"]["properties"]["id"]["type"] == "string"
    assert {"type": "array", "items": {"type": "string"}} in defs["Activity"]["properties"]["objectives"]["anyOf"]


@pytest.mark.parametrize(("which", "name"), [("plan", "plan.schema.json"), ("config", "config.schema.json")])
def test_committed_schema_is_current(project_root: Path, which: str, name: str) -> None:
    committed = (project_root / "schema" / name).read_text(encoding="utf-8")
    flag = " --config" if which == "config" else ""
    assert committed == json_schema(which), f"schema/{name} is stale: run: kolplan schema{flag} > schema/{name}"  # type: ignore[arg-type]
