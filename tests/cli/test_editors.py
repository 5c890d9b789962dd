"""Editors on the first try (SPEC 5, issue 16): `init` maps the schemas in `.vscode/settings.json`,
the `$schema` line `new` writes resolves from the plan's own folder, and yaml-language-server
itself shows errors for plans in sub-folders (benchmarks/editor_check.py, when installed)."""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kolplan.authoring.scaffold import PLAN_SCHEMA, plan_rel, schema_path_from
from kolplan.schema.jsonschema import json_schema
from tests.helpers import run

SETTINGS = {"yaml.schemas": {"schema/plan.schema.json": "plans/**/*.yaml", "schema/config.schema.json": "kolplan.yaml"}}
PROJECT = Path(__file__).resolve().parents[2]
MODELINE = "# yaml-language-server: $schema="


def _new(root: Path, plan_id: str = "jane-okafor") -> Path:
    res = run("new", plan_id, "--name", "Jane Okafor", "--lead", "a.chen", "--as-of", "2026-12-02",
              "--repo", str(root))
    assert res.code == 0, res.err
    return root / plan_rel(plan_id)


def test_init_maps_the_schemas_for_vs_code(tmp_path: Path) -> None:
    """yaml-language-server's yaml.schemas: schema -> glob, relative to the workspace; ** reaches
    the sub-folders of plans/, where *.yaml alone would not."""
    res = run("init", str(tmp_path / "r"))
    assert res.code == 0, res.err
    settings = tmp_path / "r" / ".vscode" / "settings.json"
    assert json.loads(settings.read_text(encoding="utf-8")) == SETTINGS
    for schema in SETTINGS["yaml.schemas"]:
        assert (tmp_path / "r" / schema).is_file()
    assert ".vscode/settings.json" in res.out


def test_init_leaves_existing_vs_code_settings_alone_and_prints_what_to_add(tmp_path: Path) -> None:
    settings = tmp_path / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.write_text('{"editor.tabSize": 2}\n', encoding="utf-8")
    res = run("init", str(tmp_path))
    assert res.code == 0, res.err
    assert settings.read_text(encoding="utf-8") == '{"editor.tabSize": 2}\n'
    assert "left alone   .vscode/settings.json" in res.out
    block = res.out.split(".vscode/settings.json", 1)[1].split("\nnext:", 1)[0].split("\n", 1)[1]
    assert json.loads("{" + block + "}") == SETTINGS  # exactly the key to merge, no stray brace


def test_init_says_nothing_to_add_when_the_settings_already_map_the_schema(tmp_path: Path) -> None:
    settings = tmp_path / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps(SETTINGS), encoding="utf-8")
    res = run("init", str(tmp_path))
    assert res.code == 0, res.err
    line = next(t for t in res.out.splitlines() if ".vscode/settings.json" in t)
    assert line.split(".vscode/settings.json", 1)[1].strip() == "it exists"
    assert settings.read_text(encoding="utf-8") == json.dumps(SETTINGS)


def test_the_schema_line_new_writes_resolves_from_the_plans_folder(tmp_path: Path) -> None:
    root = tmp_path / "r"
    assert run("init", str(root)).code == 0
    plan = _new(root)
    first = plan.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE)
    target = (plan.parent / first[len(MODELINE):]).resolve()
    assert target == (root / PLAN_SCHEMA).resolve()
    assert target.read_text(encoding="utf-8") == json_schema("plan")


@pytest.mark.parametrize(("rel", "path"), [
    ("plans/jane-okafor.yaml", "../schema/plan.schema.json"),
    ("plans/oncology/jane-okafor.yaml", "../../schema/plan.schema.json"),
    ("plans/eu/oncology/jane-okafor.yaml", "../../../schema/plan.schema.json"),
])
def test_the_schema_path_is_relative_to_the_plans_own_folder(rel: str, path: str) -> None:
    assert schema_path_from(rel) == path
    assert posixpath.normpath(posixpath.join(posixpath.dirname(rel), path)) == PLAN_SCHEMA


def _yaml_language_server() -> str | None:
    found = os.environ.get("KOLPLAN_YAML_LANGUAGE_SERVER") or shutil.which("yaml-language-server")
    for candidate in (found, "/tmp/yls/node_modules/.bin/yaml-language-server"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.mark.skipif(shutil.which("node") is None or _yaml_language_server() is None,
                    reason="needs node and yaml-language-server (npm install --prefix /tmp/yls yaml-language-server)")
def test_yaml_language_server_validates_plans_in_sub_folders() -> None:
    server = _yaml_language_server()
    assert server is not None
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT / "src"),
                                                                      os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "editor_check.py"), "--server", server],
                          capture_output=True, text=True, timeout=120, env=env, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "all expectations hold" in proc.stdout
