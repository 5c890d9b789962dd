"""``kolplan rules``."""

from __future__ import annotations

from typing import Annotated

import typer

from kolplan.cli import complete
from kolplan.errors import UsageError

FORMATS = ("table", "md", "json")


def rules(
    names: Annotated[list[str] | None, typer.Argument(metavar="[RULE]...", help="Only these rules (codes or "
                                                      "names); with none, every rule.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="table|md|json",
                                     help="table (default), md (the rules reference, docs/rules.md) or json.",
                                     autocompletion=complete.rules_formats)
                   ] = "table",
) -> None:
    """List the rules kolplan checks: code, name, default severity and help.

    Codes and names work wherever a rule is named: --select, --ignore, rules: in
    kolplan.yaml, and # kolplan: ignore[...] comments.

    Examples:

      kolplan rules

      kolplan rules KP302 --format md

      kolplan rules --format md > docs/rules.md
    """
    # lazy: the CLI imports every command module at start-up (`kolplan --help`, completion)
    import json

    from kolplan.rules import Rule, all_rules, lookup
    from kolplan.rules import doc as rulesdoc

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt}: unknown format; choose one of {', '.join(FORMATS)}")
    chosen: list[Rule] = all_rules()
    if names:
        chosen = []
        for token in (t.strip() for n in names for t in n.split(",")):
            rule = lookup(token) if token else None
            if rule is None:
                raise UsageError(f"{token or repr(token)}: unknown rule (codes look like KP101, names like "
                                 "activity-without-objective; `kolplan rules` lists them)")
            if rule not in chosen:
                chosen.append(rule)
    if fmt == "md":
        typer.echo(rulesdoc.markdown(chosen), nl=False)
    elif fmt == "json":
        doc = {"version": 1, "rules": [rulesdoc.rule_data(r) for r in chosen]}
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        from kolplan.cli.tables import print_table  # lazy: rich, for the table format only

        rows = [[r.code, r.name, r.severity.value, title, r.summary.replace("``", "")]
                for _, title, members in rulesdoc.by_category(chosen) for r in members]
        print_table(["code", "name", "severity", "category", "what it finds"], rows)
    raise typer.Exit(0)
