"""The validate cache's pieces: records, shape checks, keys, stale and racy entries."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from kolplan.lint import cache as cache_mod
from kolplan.lint import cachefiles, records
from kolplan.lint.cache import ResultCache, stamp_of
from kolplan.lint.check import CheckEnv, FileResult
from kolplan.lint.facts import PlanFacts
from kolplan.lint.records import encode
from kolplan.lint.runner import check_one
from kolplan.repo.root import open_repo
from tests.helpers import AS_OF, VALID_PLAN, make_repo

AS_OF_DATE = dt.date.fromisoformat(AS_OF)
# One finding (KP101 on A2), one used and one unused suppression.
FINDING_PLAN = VALID_PLAN.replace("      objectives: [O1]\n      owner: a.chen", "      owner: a.chen") \
    .replace("custom: {}", "custom: {}  # kolplan: ignore[KP106]\n# kolplan: ignore-file[KP999]")


def check_file(env: CheckEnv, rel: str) -> FileResult:
    """Read and check one plan file, as the runner does."""
    return check_one(env, rel, True, for_cache=False).result


def _result(tmp_path: Path, text: str = FINDING_PLAN) -> tuple[CheckEnv, FileResult]:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": text})
    repo = open_repo(root)
    env = CheckEnv(root, repo.config, AS_OF_DATE)
    return env, check_file(env, "plans/jane-okafor.yaml")


def _stamp(path: Path) -> tuple[int, int, int, int]:
    st = os.lstat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def _store(writer: ResultCache, rel: str, path: Path, rec: list[Any]) -> None:
    """What a run does with a worker's record of the file at ``path``."""
    facts = None if rec[1] is None else cache_mod.facts_digest(rec[1])
    writer.store(rel, cache_mod.digest_bytes(path.read_bytes()), _stamp(path), rec, facts)


def _load(path: Path, kind: str) -> Any:
    content = cachefiles.unseal(path.read_bytes(), kind, "k")
    assert content is not None
    return content


def _through_disk(env: CheckEnv, rel: str, rec: list[Any], in_portfolio: bool = True,
                  damage: tuple[Any, Any, Any] | None = None) -> tuple[FileResult | None, PlanFacts | None]:
    """Store ``rec`` for the file at ``rel``, save, and read it back as the next run does
    (:meth:`ResultCache.lookup`, then :meth:`ResultCache.facts_of`). ``damage`` replaces,
    on disk, the entry's diagnostics, its suppressions and its facts (None: keep)."""
    path = env.root / rel
    writer = ResultCache(env.root, "k", "d")
    _store(writer, rel, path, rec)
    writer.save()
    if damage is not None:
        diags, sups, facts = damage
        main, side = _load(writer.path, "validate"), _load(writer.facts_path, "facts")
        if diags is not None:
            main["files"][rel][2] = diags
        if sups is not None:
            main["files"][rel][3] = sups
        if facts is not None:
            side["facts"][rel][1] = facts
        # resealed, as only a writer who recomputes the digest could: the shape checks must hold
        writer.path.write_bytes(cachefiles.seal("validate", "k", main))
        writer.facts_path.write_bytes(cachefiles.seal("facts", "k", side))
    reader = ResultCache(env.root, "k", "d", _load(writer.path, "validate")["files"])
    hit = reader.lookup(rel, in_portfolio)
    return hit, (reader.facts_of(rel, in_portfolio) if hit is not None else None)


def test_record_round_trip_keeps_everything(tmp_path: Path) -> None:
    env, result = _result(tmp_path)
    assert result.diagnostics and result.suppressions and result.facts is not None
    rec = encode(result)
    assert rec is not None
    back, facts = _through_disk(env, result.path, rec)  # through JSON, as on disk
    assert back is not None
    assert back.diagnostics == result.diagnostics
    assert back.suppressions == result.suppressions
    assert facts == result.facts


def test_facts_take_their_path_and_portfolio_flag_from_the_run(tmp_path: Path) -> None:
    env, result = _result(tmp_path)
    rec = encode(result)
    assert rec is not None and "path" not in rec[1] and "in_portfolio" not in rec[1]
    (env.root / "elsewhere").mkdir()
    (env.root / "elsewhere" / "jane-okafor.yaml").write_bytes((env.root / result.path).read_bytes())
    _, facts = _through_disk(env, "elsewhere/jane-okafor.yaml", rec, in_portfolio=False)
    assert facts is not None and facts.path == "elsewhere/jane-okafor.yaml"
    assert facts.in_portfolio is False


def _corruptions(rec: list[Any]) -> list[tuple[Any, Any, Any]]:
    """(diagnostics, suppressions, facts) of an entry, one of them damaged."""
    diag, facts = rec[0][0], rec[1]
    return [
        ([[*diag[:2], "fatal", *diag[3:]]], None, None),  # unknown severity
        ([[0, *diag[1:]]], None, None),  # line 0
        ([["1", *diag[1:]]], None, None),  # line as text
        ([diag[:5]], None, None),  # too short
        ([[*diag[:5], 7]], None, None),  # message not text
        ({"a": 1}, None, None),  # not a list
        (None, None, [facts]),  # facts not a mapping
        (None, None, {**facts, "name": 3}),
        (None, None, {**facts, "leads": "a.chen"}),
        (None, None, {**facts, "name_pos": [1]}),
        (None, None, {**facts, "owners_pos": [-1, 2]}),
        (None, None, {**facts, "identifiers": {"npi": 1234567893}}),
        (None, None, {k: v for k, v in facts.items() if k != "id"}),
        (None, [[1, 1, "KP101", False]], None),  # tokens not a list
        (None, [[1, 1, ["KP101"], "no"]], None),
    ]


def test_reading_refuses_every_bad_shape(tmp_path: Path) -> None:
    """A damaged entry is a miss (the file is checked again), never an error."""
    env, result = _result(tmp_path)
    rec = encode(result)
    assert rec is not None
    for damage in _corruptions(json.loads(json.dumps(rec))):
        hit, facts = _through_disk(env, result.path, rec, damage=damage)
        assert hit is None or facts is None, damage


def test_what_a_projection_made_is_not_recorded(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    plain = CheckEnv(root, open_repo(root).config, AS_OF_DATE)
    projected = CheckEnv(root, plain.config, AS_OF_DATE, project=lambda rel, plan: plan)
    result = check_file(projected, "plans/jane-okafor.yaml")
    assert result.part is not None and result.part.id == "jane-okafor"  # type: ignore[attr-defined]
    assert encode(result) == encode(check_file(plain, "plans/jane-okafor.yaml"))


def test_recently_modified_files_keep_no_stat(tmp_path: Path) -> None:
    p = tmp_path / "f.yaml"
    p.write_text("a: 1\n")
    st = os.lstat(p)
    assert stamp_of(st, st.st_mtime_ns + 10**9) is None  # racy: hash it next time
    assert stamp_of(st, st.st_mtime_ns + 10 * 10**9) == _stamp(p)


def _cache_with_entry(tmp_path: Path, text: str = FINDING_PLAN) -> tuple[ResultCache, FileResult, Path]:
    """A cache as the next run finds it after ``result`` was stored (through JSON, as on disk)."""
    env, result = _result(tmp_path, text)
    rec = encode(result)
    assert rec is not None
    path = env.root / result.path
    writer = ResultCache(env.root, "k", "d")
    _store(writer, result.path, path, rec)
    return ResultCache(env.root, "k", "d", json.loads(json.dumps(writer.new))), result, path


def test_lookup_hits_an_unchanged_file(tmp_path: Path) -> None:
    cache, result, _ = _cache_with_entry(tmp_path)
    hit = cache.lookup(result.path, True)
    assert hit is not None and hit.diagnostics == result.diagnostics
    assert hit.suppressions == result.suppressions and hit.valid
    assert hit.facts is None  # read only when the cross-plan rules run
    assert not cache.changed


def test_fresh_records_decode_like_cached_ones(tmp_path: Path) -> None:
    env, result = _result(tmp_path)
    rec = encode(result)
    assert rec is not None
    (env.root / "other").mkdir()
    (env.root / "other" / "jane-okafor.yaml").write_bytes((env.root / result.path).read_bytes())
    for rel, inp in (("plans/jane-okafor.yaml", True), ("other/jane-okafor.yaml", False)):
        fresh = records.decode_fresh(rel, inp, rec)
        cached, facts = _through_disk(env, rel, rec, in_portfolio=inp)
        assert cached is not None
        assert (fresh.diagnostics, fresh.facts, fresh.suppressions, fresh.valid) == (
            cached.diagnostics, facts, cached.suppressions, cached.valid)


def test_facts_are_read_for_the_digest_they_were_made_from(tmp_path: Path) -> None:
    env, result = _result(tmp_path)
    rec = encode(result)
    assert rec is not None
    path = env.root / result.path
    writer = ResultCache(env.root, "k", "d")
    _store(writer, result.path, path, rec)
    writer.save()
    cache = ResultCache(env.root, "k", "d", _load(writer.path, "validate")["files"])
    assert cache.facts_of(result.path, True) is None  # not looked up in this run
    assert cache.lookup(result.path, True) is not None
    assert cache.facts_of(result.path, True) == result.facts
    cache.new[result.path][5] = "0" * 32  # the entry names other facts than the facts file holds
    assert cache.facts_of(result.path, True) is None


def test_the_cross_plan_memo_is_keyed_by_every_input(tmp_path: Path) -> None:
    cache, result, _ = _cache_with_entry(tmp_path)
    assert cache.lookup(result.path, True) is not None
    items = [(result.path, True)]
    inputs = cache.inputs_digest(items)
    assert inputs is not None and cache.cross_memo(inputs) is None
    assert cache.inputs_digest([(result.path, False)]) != inputs  # same file, outside plans/
    assert cache.inputs_digest([*items, ("plans/other.yaml", True)]) is None  # no entry: not pinned down
    entry = cache.new[result.path]
    saved = list(entry)
    entry[0] = "0" * 32  # other content with the same facts: the cross-plan rules would see the same
    assert cache.inputs_digest(items) == inputs
    entry[5] = "0" * 32  # other facts
    assert cache.inputs_digest(items) != inputs
    entry[:] = saved
    assert cache.inputs_digest(items) == inputs
    cache.remember_cross(inputs, result.diagnostics)
    again = ResultCache(cache.root, "k", "d", cache.new, [inputs, [records.cross_row(d)
                                                                   for d in result.diagnostics]])
    assert again.cross_memo(inputs) == result.diagnostics
    assert again.cross_memo("f" * 32) is None


def test_lookup_misses_an_edit_that_keeps_size_and_mtime(tmp_path: Path) -> None:
    """The stat includes the inode change time, which an editor cannot set back."""
    cache, result, path = _cache_with_entry(tmp_path)
    st = os.lstat(path)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Jane Okafor", b"Jane Okafoz"))  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.lstat(path).st_size == st.st_size and os.lstat(path).st_mtime_ns == st.st_mtime_ns
    assert cache.lookup(result.path, True) is None


def test_lookup_rehashes_when_the_stat_changed_but_not_the_content(tmp_path: Path) -> None:
    cache, result, path = _cache_with_entry(tmp_path)
    os.utime(path, ns=(0, 10**9))  # touched, long ago: same bytes
    hit = cache.lookup(result.path, True)
    assert hit is not None and hit.diagnostics == result.diagnostics
    assert cache.changed
    # utime just changed the inode's ctime: too recent to trust, so it is hashed next time too
    assert cache.new[result.path][1] is None
    assert cache.new[result.path][0] == cache.old[result.path][0]


def test_lookup_of_a_bad_entry_is_a_miss(tmp_path: Path) -> None:
    cache, result, _ = _cache_with_entry(tmp_path)
    digest = cache.old[result.path][0]
    for bad in (None, [1, 2], ["x", None, [], [], True], [digest, None, {"a": 1}, [], True],
                [digest, None, [], [[1]], True], [digest, None, [], [], "yes"], [7, None, [], [], True]):
        cache.old[result.path] = bad
        assert cache.lookup(result.path, True) is None


def test_open_ignores_garbage_other_keys_and_other_formats(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"jane-okafor.yaml": VALID_PLAN})
    cache = ResultCache.open(root, "digest", AS_OF_DATE)
    cache.path.parent.mkdir(parents=True)
    for content in (b"\x00\xff garbage", b"[1, 2]", b'{"format": 2, "key": "other", "files": {"a": 1}}',
                    json.dumps({"format": 99, "key": cache.key, "files": {"a": 1}}).encode(),
                    json.dumps({"format": 1, "key": cache.key, "entries": {"a": 1}}).encode(),
                    json.dumps({"format": 2, "key": cache.key, "files": []}).encode(),
                    b"[" * 100000):
        cache.path.write_bytes(content)
        assert ResultCache.open(root, "digest", AS_OF_DATE).old == {}


def test_the_key_covers_config_as_of_and_kolplan_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    day = dt.date(2026, 1, 1)
    base = cachefiles.cache_key("d1", day)
    assert cachefiles.cache_key("d2", day) != base
    assert cachefiles.cache_key("d1", day + dt.timedelta(days=1)) != base
    monkeypatch.setattr(cachefiles, "__version__", "999.0")
    cachefiles.code_fingerprint.cache_clear()
    try:
        assert cachefiles.cache_key("d1", day) != base
    finally:
        monkeypatch.undo()
        cachefiles.code_fingerprint.cache_clear()
    assert cachefiles.cache_key("d1", day) == base


def test_files_outside_the_repository_are_not_cached() -> None:
    assert cache_mod.cacheable("plans/a.yaml") and cache_mod.cacheable("other/b.yaml")
    assert not cache_mod.cacheable("../x/plans/a.yaml") and not cache_mod.cacheable("/abs/a.yaml")


def test_config_snapshot_round_trip_and_refusals(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    repo = open_repo(root)
    cachefiles.save_config_snapshot(root, repo.config_digest, repo.config.view)
    view = cachefiles.config_snapshot(root, repo.config_digest)
    assert view is not None and view == repo.config.view
    assert view.people["a.chen"].department == repo.config.people["a.chen"].department
    assert list(view.rules.ignore) == repo.config.rules.ignore
    assert cachefiles.config_snapshot(root, "another digest") is None
    path = next((root / cachefiles.CACHE_DIR).glob("config-*.json"))
    for content in ("garbage", '{"format": 1, "digest": "x", "config": {}}', '{"format": 1}'):
        path.write_text(content.replace('"x"', json.dumps(repo.config_digest)))
        assert cachefiles.config_snapshot(root, repo.config_digest) is None


def test_the_facts_digest_depends_on_the_content_only(tmp_path: Path) -> None:
    _, result = _result(tmp_path)
    assert result.facts is not None
    facts = result.facts.to_json()
    copy = json.loads(json.dumps(facts))  # equal content, other objects
    assert cache_mod.facts_digest(copy) == cache_mod.facts_digest(facts)
    copy["name_pos"] = [copy["name_pos"][0] + 1, copy["name_pos"][1]]  # the name moved a line down
    assert cache_mod.facts_digest(copy) != cache_mod.facts_digest(facts)


def test_store_makes_the_facts_digest_a_worker_did_not_send(tmp_path: Path) -> None:
    env, result = _result(tmp_path)
    rec = encode(result)
    assert rec is not None and rec[1] is not None
    path = env.root / result.path
    given, made = ResultCache(env.root, "k", "d"), ResultCache(env.root, "k", "d")
    _store(given, result.path, path, rec)
    made.store(result.path, cache_mod.digest_bytes(path.read_bytes()), _stamp(path), rec)
    assert made.new == given.new and made.new[result.path][5] == cache_mod.facts_digest(rec[1])
