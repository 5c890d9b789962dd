"""JSON Schema of a plan and of ``kolplan.yaml``, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Literal

from kolplan.schema import Config, Plan

SCHEMA_BASE = "https://kolplan.dev/schema/v1"


def json_schema(which: Literal["plan", "config"] = "plan") -> str:
    model = Plan if which == "plan" else Config
    body = model.model_json_schema(by_alias=True, mode="validation")
    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}/{which}.schema.json",
        "title": "kolplan plan file (plans/<id>.yaml)" if which == "plan" else "kolplan configuration (kolplan.yaml)",
        **{k: v for k, v in body.items() if k != "title"},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
