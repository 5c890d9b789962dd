"""A kolplan root in a sub-folder of a real git repository (issue 16, item 1; SPEC 6): the
``github`` and ``sarif`` paths are relative to the top of the git work tree, so annotations and
code-scanning alerts land on files that exist there; ``text`` and ``json`` stay relative to the
kolplan root. Also: outside git, a linked worktree (a ``.git`` file), and a file named on the
command line outside the repository (an absolute path, never ``../``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from tests.cli.test_sarif_upload import assert_valid, results
from tests.cli.test_validate_sarif import PLAN
from tests.helpers import AS_OF, VALID_PLAN, make_repo, run, write_file

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# the second plan: its id does not match its file name, and one activity's owner is a typo
SECOND = VALID_PLAN.replace("      owner: a.chen", "      owner: p.jonse", 1)


def git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_NOSYSTEM="1", HOME=str(cwd))
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def kolplan_tree(root: Path) -> Path:
    """A kolplan root with findings of every severity in two plans, one in a sub-folder."""
    return make_repo(root, {"jane-okafor.yaml": PLAN, "oncology/ada-obi.yaml": SECOND})


def monorepo(top: Path, *, commit: bool = False) -> Path:
    """A git repository at ``top`` with its kolplan root at ``top/medical``; that root."""
    top.mkdir(parents=True)
    git(top, "init", "-q")
    write_file(top / "README.md", "a monorepo\n")
    root = kolplan_tree(top / "medical")
    if commit:
        git(top, "add", "-A")
        git(top, "commit", "-q", "-m", "plans")
    return root


def validate(root: Path, fmt: str, *paths: str) -> tuple[int, str]:
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", fmt, "--no-cache", *paths)
    assert "Traceback" not in res.err
    return res.code, res.out


def annotation_files(out: str) -> list[str]:
    """The ``file=`` of each annotation, unescaped as the runner does (``%3A``, ``%2C``, ``%25``)."""
    files = []
    for line in out.splitlines():
        if line.startswith("::"):
            props = line[2:].split("::", 1)[0].split(" ", 1)[1]
            (value,) = [p[len("file="):] for p in props.split(",") if p.startswith("file=")]
            files.append(value.replace("%3A", ":").replace("%2C", ",").replace("%25", "%"))
    return files


def sarif_locations(out: str) -> tuple[dict[str, Any], list[dict[str, str]]]:
    doc = json.loads(out)
    assert_valid(doc)
    return doc, [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results(doc)]


def resolve(location: dict[str, str], srcroot: Path) -> Path:
    """Where a SARIF consumer finds the file: ``%SRCROOT%`` is the checkout (the git top)."""
    if "uriBaseId" in location:
        assert location["uriBaseId"] == "%SRCROOT%"
        assert not location["uri"].startswith(("/", "../", "file:")) and "/../" not in location["uri"]
        return srcroot / unquote(location["uri"])
    uri = urlparse(location["uri"])
    assert uri.scheme == "file" and uri.netloc == ""
    return Path(unquote(uri.path))


@needs_git
def test_github_annotations_name_files_from_the_git_top(tmp_path: Path) -> None:
    top = tmp_path / "mono"
    root = monorepo(top)
    code, out = validate(root, "github")
    assert code == 1
    files = annotation_files(out)
    assert len(files) >= 5
    assert {f.rsplit("/", 1)[0] for f in files} == {"medical/plans", "medical/plans/oncology"}
    for f in files:
        assert (top / f).is_file(), f
    # the same findings, at the same places, as the kolplan-root-relative json
    code, doc = validate(root, "json")
    diags = json.loads(doc)["diagnostics"]
    assert files == ["medical/" + d["path"] for d in diags]


@needs_git
def test_sarif_uris_resolve_from_the_git_top_and_both_schemas_accept_them(tmp_path: Path) -> None:
    top = tmp_path / "mono"
    root = monorepo(top)
    code, out = validate(root, "sarif")
    assert code == 1
    doc, locations = sarif_locations(out)
    assert len(locations) >= 5
    assert "originalUriBaseIds" not in doc["runs"][0]  # %SRCROOT% is the checkout; no machine path written
    for location in locations:
        assert location["uri"].startswith("medical/plans/")
        assert resolve(location, top).is_file(), location


@needs_git
def test_text_and_json_stay_relative_to_the_kolplan_root(tmp_path: Path) -> None:
    root = monorepo(tmp_path / "mono")
    _, out = validate(root, "json")
    paths = {d["path"] for d in json.loads(out)["diagnostics"]}
    assert paths == {"plans/jane-okafor.yaml", "plans/oncology/ada-obi.yaml"}
    _, text = validate(root, "text")
    assert all(line.startswith("plans/") for line in text.splitlines()[:-1])


@needs_git
def test_run_from_inside_the_sub_folder_without_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = tmp_path / "mono"
    root = monorepo(top)
    monkeypatch.chdir(root / "plans" / "oncology")
    res = run("validate", "--as-of", AS_OF, "--format", "github", "--no-cache", "ada-obi.yaml")
    assert res.code == 1, res.err
    files = annotation_files(res.out)
    assert files and set(files) == {"medical/plans/oncology/ada-obi.yaml"}


def test_outside_git_paths_stay_relative_to_the_kolplan_root(tmp_path: Path) -> None:
    root = kolplan_tree(tmp_path / "medical")
    code, out = validate(root, "github")
    assert code == 1
    assert set(annotation_files(out)) == {"plans/jane-okafor.yaml", "plans/oncology/ada-obi.yaml"}
    _, locations = sarif_locations(validate(root, "sarif")[1])
    assert {loc["uri"] for loc in locations} == {"plans/jane-okafor.yaml", "plans/oncology/ada-obi.yaml"}
    for location in locations:
        assert resolve(location, root).is_file()


@needs_git
def test_at_the_git_top_the_output_is_what_it_was_outside_git(tmp_path: Path) -> None:
    """kolplan.yaml at the top of the work tree: github and sarif write the same bytes as for
    the same files outside git (the behaviour before monorepos were handled)."""
    plain = kolplan_tree(tmp_path / "plain")
    at_top = kolplan_tree(tmp_path / "top")
    git(at_top, "init", "-q")
    for fmt in ("github", "sarif", "json", "text"):
        assert validate(plain, fmt) == validate(at_top, fmt), fmt
    _, out = validate(at_top, "github")
    assert set(annotation_files(out)) == {"plans/jane-okafor.yaml", "plans/oncology/ada-obi.yaml"}


@needs_git
def test_a_named_file_outside_the_work_tree_gets_an_absolute_path(tmp_path: Path) -> None:
    top = tmp_path / "mono"
    root = monorepo(top)
    outside = write_file(tmp_path / "elsewhere" / "ada-obi.yaml", SECOND)
    _, text = validate(root, "text", str(outside))
    assert text.startswith("../../elsewhere/ada-obi.yaml:")  # text is unchanged: relative to the root
    code, out = validate(root, "github", str(outside))
    assert code == 1
    files = annotation_files(out)
    assert files and set(files) == {outside.as_posix()}
    assert not any(".." in f.split("/") for f in files)
    _, locations = sarif_locations(validate(root, "sarif", str(outside))[1])
    assert locations
    for location in locations:
        assert "uriBaseId" not in location
        assert location["uri"] == outside.as_uri()
        assert resolve(location, top) == outside


@needs_git
def test_a_named_file_outside_the_kolplan_root_but_inside_the_work_tree(tmp_path: Path) -> None:
    top = tmp_path / "mono"
    root = monorepo(top)
    other = write_file(top / "drafts" / "ada-obi.yaml", SECOND)
    _, out = validate(root, "github", str(other))
    assert set(annotation_files(out)) == {"drafts/ada-obi.yaml"}
    _, locations = sarif_locations(validate(root, "sarif", str(other))[1])
    assert {(loc["uri"], loc["uriBaseId"]) for loc in locations} == {("drafts/ada-obi.yaml", "%SRCROOT%")}


def test_outside_git_a_file_outside_the_kolplan_root_is_absolute_too(tmp_path: Path) -> None:
    root = kolplan_tree(tmp_path / "medical")
    outside = write_file(tmp_path / "elsewhere" / "ada-obi.yaml", SECOND)
    _, out = validate(root, "github", str(outside))
    assert set(annotation_files(out)) == {outside.as_posix()}
    _, locations = sarif_locations(validate(root, "sarif", str(outside))[1])
    assert {loc["uri"] for loc in locations} == {outside.as_uri()}


@needs_git
def test_a_linked_worktree_with_a_git_file(tmp_path: Path) -> None:
    main = tmp_path / "mono"
    monorepo(main, commit=True)
    linked = tmp_path / "linked"
    git(main, "worktree", "add", "-q", str(linked))
    assert (linked / ".git").is_file()
    code, out = validate(linked / "medical", "github")
    assert code == 1
    files = annotation_files(out)
    assert files and all(f.startswith("medical/plans/") and (linked / f).is_file() for f in files)
    _, locations = sarif_locations(validate(linked / "medical", "sarif")[1])
    for location in locations:
        assert resolve(location, linked).is_file()


@needs_git
def test_a_kolplan_root_reached_through_a_symbolic_link_still_finds_the_top(tmp_path: Path) -> None:
    top = tmp_path / "mono"
    root = monorepo(top)
    link = tmp_path / "medical-link"
    link.symlink_to(root, target_is_directory=True)
    _, out = validate(link, "github")
    files = annotation_files(out)
    assert files and all(f.startswith("medical/plans/") and (top / f).is_file() for f in files)


@needs_git
def test_a_broken_config_in_a_monorepo_is_annotated_where_it_is(tmp_path: Path) -> None:
    top = tmp_path / "mono"
    root = monorepo(top)
    with (root / "kolplan.yaml").open("a", encoding="utf-8") as fh:
        fh.write("colour: blue\n")
    code, out = validate(root, "github")
    assert code == 2
    assert annotation_files(out) == ["medical/kolplan.yaml"]
    code, out = validate(root, "sarif")
    assert code == 2
    _, locations = sarif_locations(out)
    assert locations == [{"uri": "medical/kolplan.yaml", "uriBaseId": "%SRCROOT%"}]


@needs_git
def test_two_kolplan_roots_in_one_repository_never_share_a_fingerprint(tmp_path: Path) -> None:
    top = tmp_path / "mono"
    medical = monorepo(top)
    commercial = kolplan_tree(top / "commercial")  # the same plans, byte for byte
    prints = []
    for root in (medical, commercial):
        _, out = validate(root, "sarif")
        prints.append({tuple(sorted(r["partialFingerprints"].items())) for r in results(json.loads(out))})
    assert prints[0] and len(prints[0]) == len(prints[1])
    assert not prints[0] & prints[1]
