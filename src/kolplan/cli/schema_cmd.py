"""``kolplan schema``."""

from __future__ import annotations

from typing import Annotated

import typer


def schema(
    config: Annotated[bool, typer.Option("--config", help="The schema of kolplan.yaml instead of a plan.")] = False,
) -> None:
    """Print the JSON Schema of a plan file (or of kolplan.yaml), for editors and other tools.

    An editor with yaml-language-server finds it through .vscode/settings.json (kolplan init
    maps it to plans/**/*.yaml) or a plan's first line, a path from the plan's own folder:
    # yaml-language-server: $schema=../schema/plan.schema.json

    Examples:

      kolplan schema > schema/plan.schema.json

      kolplan schema --config
    """
    # lazy: pydantic and the models: the CLI imports every command module at start-up
    from kolplan.schema.jsonschema import json_schema

    typer.echo(json_schema("config" if config else "plan"), nl=False)
