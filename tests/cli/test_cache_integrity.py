"""SPEC 9: the cache is a speed-up, never a source of truth. Whatever its files hold (a
flipped byte, a forged entry, another branch's cache, a FIFO or /dev/zero in their place),
``validate`` prints what ``--no-cache`` prints, and the damage does not outlive the run.

These tests only use the cache files as bytes and JSON bodies, so that they say the same of
any format of them; a forgery keeps the file's header as it was (it does not recompute a digest).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from kolplan.lint import cachefiles
from tests.cli.test_validate_cache import DUPLICATE, FINDINGS, PLANS
from tests.helpers import AS_OF, VALID_PLAN, make_repo, run
from tests.procs import kolplan


def validate(root: Path, *extra: str) -> tuple[int, str]:
    res = run("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json", *extra)
    assert res.code in (0, 1), res.err
    assert res.err == "", res.err
    return res.code, res.out


def cache_file(root: Path, kind: str) -> Path:
    (path,) = (root / cachefiles.CACHE_DIR).glob(f"{kind}-*.json")
    return path


def split(path: Path) -> tuple[bytes, Any]:
    """A cache file's first line if it is a header (else b""), and its JSON body."""
    data = path.read_bytes()
    if data.startswith(b"{"):
        return b"", json.loads(data)
    head, _, body = data.partition(b"\n")
    return head + b"\n", json.loads(body)


def forge(path: Path, content: Any) -> None:
    """Replace the body, keep the header: an edit of the file by hand or by another tool."""
    head, _ = split(path)
    path.write_bytes(head + json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode())


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (root / cachefiles.CACHE_DIR).iterdir() if p.is_file()}


def restore(root: Path, saved: dict[Path, bytes]) -> None:
    folder = root / cachefiles.CACHE_DIR
    for p in folder.iterdir():
        if p not in saved:
            p.unlink()
    for p, data in saved.items():
        p.write_bytes(data)


# -- single-byte flips ---------------------------------------------------------------------------
def _positions(data: bytes, needles: tuple[bytes, ...], spread: int) -> list[int]:
    """Bytes inside what a verdict is made of (``needles``), and ``spread`` more spread over the file."""
    out = []
    for needle in needles:
        at = data.find(needle)
        if at >= 0:
            out += [at + len(needle) - 1, at + len(needle) // 2]
    out += [round(i * (len(data) - 1) / (spread - 1)) for i in range(spread)]
    return sorted(set(out))


@pytest.mark.parametrize("kind", ["validate", "facts", "config"])
def test_a_flipped_byte_never_changes_the_output(tmp_path: Path, kind: str) -> None:
    root = make_repo(tmp_path / "repo", PLANS)
    jane = root / "plans" / "jane-okafor.yaml"
    validate(root)
    saved = snapshot(root)
    # the facts file is read when the cross-plan rules run again: a fact of jane's moved
    moved = "# moved a line down\n" + VALID_PLAN
    if kind == "facts":
        jane.write_text(moved, encoding="utf-8")
    expected = validate(root, "--no-cache")
    target = cache_file(root, kind)
    data = saved[target]
    needles = {"validate": (b'"KP101"', b'"KP302"', b"linked to no objective"),
               "facts": (b'"1234567893"', b'"okafor-speaker"', b'"c.jones"'),
               "config": (b'"a.chen"', b'"field-medical"', b'"ignore"')}[kind]
    for pos in _positions(data, needles, 24):
        restore(root, saved)
        if kind == "facts":
            jane.write_text(moved, encoding="utf-8")  # anew: the previous run cached it
        target.write_bytes(data[:pos] + bytes([data[pos] ^ 0x01]) + data[pos + 1:])
        assert validate(root) == expected, (kind, pos, data[max(pos - 20, 0):pos + 20])
        assert validate(root) == expected, ("the next run", kind, pos)  # nothing damaged was kept


# -- forged entries ------------------------------------------------------------------------------
def test_a_forged_facts_entry_gives_no_false_finding(tmp_path: Path) -> None:
    """Facts edited in the cache to share jane's NPI would make a false KP302 (exit 1)."""
    root = make_repo(tmp_path / "repo", {"jane-okafor.yaml": VALID_PLAN, "lars-berg.yaml": FINDINGS})
    validate(root)
    path = cache_file(root, "facts")
    _, raw = split(path)
    raw["facts"]["plans/lars-berg.yaml"][1]["identifiers"]["npi"] = "1234567893"
    forge(path, raw)
    (root / "plans" / "jane-okafor.yaml").write_text("# moved\n" + VALID_PLAN, encoding="utf-8")
    expected = validate(root, "--no-cache")
    assert expected[0] == 0 and "KP302" not in expected[1]
    assert validate(root) == expected
    assert validate(root) == expected


def test_a_forged_config_snapshot_hides_nothing(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", PLANS)
    expected = validate(root, "--no-cache")
    assert '"KP101"' in expected[1]
    validate(root)
    path = cache_file(root, "config")
    _, raw = split(path)
    raw["view"]["rules"]["ignore"] = ["KP101"]
    forge(path, raw)
    assert validate(root) == expected
    assert validate(root) == expected


def test_forged_diagnostics_are_not_printed(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", PLANS)
    expected = validate(root, "--no-cache")
    validate(root)
    path = cache_file(root, "validate")
    _, raw = split(path)
    for entry in raw["files"].values():
        entry[2] = []  # every plan's findings dropped
    raw["cross"][1] = []
    forge(path, raw)
    assert validate(root) == expected


# -- another branch's cache ------------------------------------------------------------------------
BRANCH = {  # the same file names, other content: other findings, other duplicates
    "jane-okafor.yaml": VALID_PLAN.replace("owner: a.chen", "owner: a.chne"),
    "okafor-speaker.yaml": DUPLICATE.replace('    npi: "1234567893"\n', ""),
    "lars-berg.yaml": FINDINGS.replace("custom: {}  # kolplan: ignore[KP104]", "custom: {}"),
    "broken.yaml": VALID_PLAN.replace("id: jane-okafor", "id: broken").replace("V-248113", "V-3"),
}


@pytest.mark.parametrize("how", ["copied", "copied-with-times"])
def test_a_cache_from_another_branch_changes_no_verdict(tmp_path: Path, how: str) -> None:
    main = make_repo(tmp_path / "main", PLANS)
    branch = make_repo(tmp_path / "branch", BRANCH)
    validate(main)
    if how == "copied-with-times":  # the branch's plans carry the main ones' sizes and times where they can
        for name in PLANS:
            st = os.stat(main / "plans" / name)
            os.utime(branch / "plans" / name, ns=(st.st_atime_ns, st.st_mtime_ns))
    shutil.copytree(main / ".kolplan", branch / ".kolplan")
    expected = validate(branch, "--no-cache")
    assert expected != validate(main, "--no-cache")
    assert validate(branch) == expected
    assert validate(branch) == expected
    for name, text in PLANS.items():  # and back on main's content, in the branch's files
        (branch / "plans" / name).write_text(text, encoding="utf-8")
    assert validate(branch) == validate(main, "--no-cache")


# -- special files in the cache's place ------------------------------------------------------------
@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
@pytest.mark.parametrize("kind", ["validate", "facts", "config"])
@pytest.mark.parametrize("what", ["fifo", "dev-zero"])
def test_a_special_file_in_place_of_a_cache_file(tmp_path: Path, kind: str, what: str) -> None:
    root = make_repo(tmp_path / "repo", PLANS)
    validate(root)
    target = cache_file(root, kind)
    target.unlink()
    if what == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    if kind == "facts":  # read only when the cross-plan rules run again
        (root / "plans" / "jane-okafor.yaml").write_text("# moved\n" + VALID_PLAN, encoding="utf-8")
    expected = validate(root, "--no-cache")
    # a child process: a run that hangs on the FIFO or reads /dev/zero for ever fails, not the test run
    res = kolplan("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
    assert (res.code, res.out, res.err) == (*expected, "")
    assert validate(root) == expected


# -- kolplan's own code ----------------------------------------------------------------------------
def test_the_code_fingerprint_follows_the_content_of_kolplans_files(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit that keeps a module's size and modification time still changes the key."""
    package = tmp_path / "kolplan"
    shutil.copytree(Path(cachefiles.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cachefiles, "__file__", str(package / "lint" / "cache.py"))
    cachefiles.code_fingerprint.cache_clear()
    try:
        before = cachefiles.code_fingerprint()
        rules = package / "rules" / "quality.py"
        st = rules.stat()
        data = rules.read_bytes()
        at = data.index(b"Severity.WARNING")
        rules.write_bytes(data[:at] + b"Severity.ERROR  " + data[at + len(b"Severity.WARNING"):])
        os.utime(rules, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert (rules.stat().st_size, rules.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
        cachefiles.code_fingerprint.cache_clear()
        assert cachefiles.code_fingerprint() != before
    finally:
        monkeypatch.undo()
        cachefiles.code_fingerprint.cache_clear()
