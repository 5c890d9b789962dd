"""Bytes -> model, or the KP0xx diagnostics that say why not: one path for a plan and for
``kolplan.yaml`` (read the YAML, report duplicate keys, validate, map pydantic's errors
to KP010 at the key or value at fault)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from kolplan.diagnostics import Diagnostic, reading_diagnostic
from kolplan.schema.problems import schema_problems
from kolplan.yamlio.document import Document, YamlProblem
from kolplan.yamlio.reader import read_bytes

M = TypeVar("M", bound=BaseModel)


@dataclass(slots=True)
class Parsed(Generic[M]):
    """A file that read and validated: its model, and its document (for positions)."""

    model: M
    document: Document


def parse_model(shown: str, data: bytes, model: type[M]) -> tuple[Parsed[M] | None, list[Diagnostic]]:
    """Read ``data`` and validate it as ``model``; diagnostics are positioned in ``shown``.

    ``None`` when the file does not read or does not validate. A file that validates may
    still come with diagnostics (duplicate keys, KP002): its data is then not what the
    author meant, and the caller decides what that costs.
    """
    res = read_bytes(data)
    if isinstance(res, YamlProblem):
        return None, [reading_diagnostic(shown, res.line, res.column, res.code, res.message)]
    diags = [reading_diagnostic(shown, p.line, p.column, p.code, p.message) for p in res.problems]
    try:
        value = model.model_validate(res.data)
    except ValidationError as exc:
        diags += [reading_diagnostic(shown, p.line, p.column, "KP010", p.message)
                  for p in schema_problems(exc, res, model)]
        return None, diags
    return Parsed(value, res), diags
