#!/usr/bin/env python3
"""kolplan's benchmark: every case of ../shared/bench/README.md side by side, in one run.

Run by hand (or from CI with a flag), never as a unit test:

    .venv/bin/python benchmarks/bench.py                 # 1,000 and 10,000 plans
    .venv/bin/python benchmarks/bench.py --with-50k      # and 50,000 (growth)

Each case is a whole process, timed with ``time.perf_counter`` around it; its peak
resident memory comes from ``os.wait4`` (the largest process of the tree: kolplan's
main process or one of its workers). Every case runs ``--runs`` times and the table
shows medians, ratios to the libyaml floor, and PASS/FAIL against each bar. Absolute
bars are also shown scaled by this machine's floor against the reference floor
(0.35 ms a plan), because absolute times drift between machines and with load.

Corpora are written by make_corpus.py into ``--work`` (kept between runs). Peers
(check-jsonschema with kolplan's exported schema, yamllint with its default config)
run from their own venv (``--peers-venv``, installed there with pip if missing);
they are not kolplan dependencies.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REFERENCE_FLOOR_MS = 0.35  # the floor per plan where the bars were set (bench README)
AS_OF = "2026-10-01"

FLOOR_SCRIPT = """
import os, sys, yaml
n = 0
for folder, _, files in os.walk(os.path.join(sys.argv[1], "plans")):
    for name in files:
        with open(os.path.join(folder, name), "rb") as fh:
            yaml.compose(fh, Loader=yaml.CSafeLoader)
        n += 1
print(n)
"""


class CaseFailed(Exception):
    pass


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


@dataclass
class Measure:
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)

    def add(self, other: Measure) -> None:
        self.seconds += other.seconds
        self.peak_kib += other.peak_kib
        self.codes += other.codes

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mib(self) -> float:
        return max(self.peak_kib) / 1024


def run_once(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (KiB) of the process tree's largest process, exit code."""
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE, env=env, cwd=cwd)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise CaseFailed(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_maxrss, proc.returncode


def measure(cmd: list[str], env: dict[str, str], runs: int, before: Callable[[], None] | None = None,
            cwd: Path | None = None) -> Measure:
    m = Measure()
    for _ in range(runs):
        if before is not None:
            before()
        s, kib, code = run_once(cmd, env, cwd)
        m.seconds.append(s)
        m.peak_kib.append(kib)
        m.codes.append(code)
    return m


def instructions(cmd: list[str], env: dict[str, str], before: Callable[[], None] | None = None) -> int | None:
    """CPU instructions of a whole process tree (``perf stat``, children included), or None
    where perf cannot count them. Unlike seconds, they do not drift with the machine's load."""
    if shutil.which("perf") is None:
        return None
    if before is not None:
        before()
    proc = subprocess.run(["perf", "stat", "-x", ",", "-e", "instructions", "--", *cmd], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    for line in proc.stderr.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2].startswith("instructions") and fields[0].isdigit():
            return int(fields[0])
    return None


def child_env() -> dict[str, str]:
    """Bytecode cached (as an installed kolplan has it), outside the source tree."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "kolplan-bench-pycache"))
    env["NO_COLOR"] = "1"
    env.pop("GITHUB_ACTIONS", None)
    return env


def make_corpus(script: Path, work: Path, n: int) -> Path:
    out = work / f"corpus-{n}"
    if not (out / "plans").is_dir() or sum(1 for _ in (out / "plans").iterdir()) != n:
        shutil.rmtree(out, ignore_errors=True)
        print(f"bench: writing {n} plans to {out}", file=sys.stderr)
        subprocess.run([sys.executable, str(script), str(out), str(n)], check=True)
    return out


def clear_cache(repo: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(repo / ".kolplan", ignore_errors=True)


def first_person(corpus: Path) -> str:
    """The first handle under ``people:`` in the corpus's kolplan.yaml (a lead for ``new``)."""
    lines = (corpus / "kolplan.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("people:")
    return lines[start + 1].split(":", 1)[0].strip()


def ensure_peers(venv: Path) -> tuple[Path, Path] | None:
    cj, yl = venv / "bin" / "check-jsonschema", venv / "bin" / "yamllint"
    if not (cj.exists() and yl.exists()):
        print(f"bench: installing the peers into {venv}", file=sys.stderr)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "check-jsonschema", "yamllint"], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"bench: peers unavailable ({exc}); their rows are skipped", file=sys.stderr)
            return None
    return cj, yl


def import_cases(kolplan: list[str], py: str, env: dict[str, str], corpus: Path, work: Path, lead: str,
                 runs: int) -> list[Row]:
    """``kolplan import`` of 10,000 rows into an empty repository (the corpus's kolplan.yaml, no plans),
    and of 100 rows into the corpus (warm cache); each run starts from the same tree."""
    make = REPO / "examples" / "make_crm_export.py"
    big, small = work / "import-10000.csv", work / "import-100.csv"
    subprocess.run([py, str(make), "--rows", "10000", "--clean", "--lead", lead, "-o", str(big)], check=True)
    subprocess.run([py, str(make), "--rows", "100", "--clean", "--lead", lead, "--seed", "5", "-o", str(small)],
                   check=True)
    empty = work / "import-empty"

    def fresh_empty() -> None:
        shutil.rmtree(empty, ignore_errors=True)
        (empty / "plans").mkdir(parents=True)
        shutil.copy(corpus / "kolplan.yaml", empty / "kolplan.yaml")

    into_empty = [*kolplan, "import", str(big), "--repo", str(empty), "--as-of", AS_OF]
    out = [Row("import 10,000 rows into an empty repository", 10000, measure(into_empty, env, runs,
                                                                              before=fresh_empty))]
    shutil.rmtree(empty, ignore_errors=True)
    plans = corpus / "plans"
    existing = {p.name for p in plans.iterdir()}

    def drop_imported() -> None:
        for p in plans.iterdir():
            if p.name not in existing:
                p.unlink()

    into_corpus = [*kolplan, "import", str(small), "--repo", str(corpus), "--as-of", AS_OF]
    try:
        out.append(Row("import 100 rows into the portfolio, warm", 10000,
                       measure(into_corpus, env, runs, before=drop_imported)))
    finally:
        drop_imported()
    return out


@dataclass
class Row:
    case: str
    plans: int
    m: Measure
    bar: str = ""
    verdict: str = ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="runs per kolplan case (median); default 3")
    ap.add_argument("--peer-runs", type=int, default=1, help="runs per peer case; default 1")
    ap.add_argument("--with-50k", action="store_true", help="also 50,000 plans (growth)")
    ap.add_argument("--peers-at", type=int, default=1000, help="corpus size the peers run on; default 1000")
    ap.add_argument("--no-peers", action="store_true", help="skip check-jsonschema and yamllint")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kolplan-bench")
    ap.add_argument("--peers-venv", type=Path, default=Path(tempfile.gettempdir()) / "kolplan-peers")
    ap.add_argument("--make-corpus", type=Path, default=REPO.parent / "shared" / "bench" / "make_corpus.py")
    ap.add_argument("--python", default=sys.executable, help="the Python that has kolplan installed")
    ap.add_argument("--instructions", action="store_true",
                    help="also count CPU instructions (perf stat) of the floor and of cold validate at 10,000 plans")
    args = ap.parse_args()

    env = child_env()
    kolplan = [args.python, "-m", "kolplan"]
    py = args.python
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [1000, 10000] + ([50000] if args.with_50k else [])
    corpora = {n: make_corpus(args.make_corpus, args.work, n) for n in sizes}
    one = "plans/kol-00007.yaml"
    floor_py = args.work / "floor.py"
    floor_py.write_text(FLOOR_SCRIPT, encoding="utf-8")
    sample = args.work / "sample"
    shutil.rmtree(sample, ignore_errors=True)
    sample.mkdir()
    shutil.copy(REPO / "kolplan.yaml", sample / "kolplan.yaml")
    shutil.copytree(REPO / "plans", sample / "plans")
    sample_one = sorted((sample / "plans").rglob("*.yaml"))[0].relative_to(sample).as_posix()

    load_before = os.getloadavg()
    run_once([*kolplan, "--version"], env)  # warm the bytecode cache
    rows: list[Row] = []
    floors: dict[int, Measure] = {}
    colds: dict[int, Measure] = {}
    paired: dict[int, float] = {}
    work: dict[int, tuple[int | None, int | None, int | None]] = {}
    for n, corpus in corpora.items():
        runs = args.runs if n <= 10000 else 1
        validate = [*kolplan, "validate", "--repo", str(corpus), "--as-of", AS_OF, "--format", "json"]
        # floor and cold validate alternate, so that both see the same moments of a shared machine
        floors[n], colds[n] = Measure(), Measure()
        for _ in range(runs):
            floors[n].add(measure([py, str(floor_py), str(corpus)], env, 1))
            colds[n].add(measure(validate, env, 1, before=clear_cache(corpus)))
        paired[n] = statistics.median(c / f for c, f in zip(colds[n].seconds, floors[n].seconds, strict=True))
        rows.append(Row("floor: yaml.compose (CSafeLoader), one process", n, floors[n], "reference"))
        rows.append(Row("validate, cold (no cache; writes it)", n, colds[n]))
        if args.instructions and n == 10000:
            work[n] = (instructions([py, str(floor_py), str(corpus)], env),
                       instructions(validate, env, before=clear_cache(corpus)),
                       instructions([*validate, "--no-cache"], env))
        if n == 10000:
            rows.append(Row("validate --no-cache", n, measure([*validate, "--no-cache"], env, runs)))
            run_once(validate, env)
            rows.append(Row("validate, warm", n, measure(validate, env, runs)))
            rows.append(Row(f"validate {one}, warm", n, measure([*validate, str(corpus / one)], env, runs)))
            edited = corpus / one
            original = edited.read_bytes()

            def edit(path: Path = edited, data: bytes = original) -> None:
                path.write_bytes(data + f"# edited {time.time_ns()}\n".encode())

            def edit_top(path: Path = edited, data: bytes = original, cmd: list[str] = validate) -> None:
                path.write_bytes(f"# edited {time.time_ns()}\n".encode() + data)
                run_once(cmd, env)  # the cache as the previous commit left it
                path.write_bytes(f"# edited\n# {time.time_ns()}\n".encode() + data)

            try:
                rows.append(Row(f"validate {one}, warm, that file just edited", n,
                                measure([*validate, str(edited)], env, runs, before=edit)))
                rows.append(Row(f"validate {one}, warm, a line just added above its KOL", n,
                                measure([*validate, str(edited)], env, runs, before=edit_top)))
            finally:
                edited.write_bytes(original)
            # `new`'s duplicate check reads every plan's facts through the cache (issue 13.9)
            lead = first_person(corpus)
            new_plan = corpus / "plans" / "bench-new-kol.yaml"
            new_cmd = [*kolplan, "new", "bench-new-kol", "--name", "Bench New", "--lead", lead, "--repo",
                       str(corpus), "--as-of", AS_OF]
            try:
                rows.append(Row("new, warm (duplicate check over every plan)", n,
                                measure(new_cmd, env, runs, before=lambda p=new_plan: p.unlink(missing_ok=True))))
            finally:
                new_plan.unlink(missing_ok=True)
            # the editing commands change one plan, under its lock, after finding it among all plans
            edited_id = edited.stem
            edits = {
                "score": ["score", edited_id, "8", "--date", "2026-09-01"],
                "feedback": ["feedback", edited_id, "--summary", "Bench feedback", "--date", "2026-09-01"],
                "update": ["update", edited_id, "--objective", "O1", "--status", "at-risk"],
            }
            for label, words in edits.items():
                cmd = [*kolplan, *words, "--repo", str(corpus), "--as-of", AS_OF]
                if subprocess.run([*kolplan, label, "--help"], env=env, capture_output=True).returncode != 0:
                    continue
                try:
                    rows.append(Row(f"{label} one plan, warm", n,
                                    measure(cmd, env, runs, before=lambda p=edited, d=original: p.write_bytes(d))))
                except CaseFailed as exc:
                    print(f"bench: {label} not measured: {exc}", file=sys.stderr)
                finally:
                    edited.write_bytes(original)
            # import (SPEC 11): 10,000 rows into an empty repository, 100 rows into this portfolio
            if subprocess.run([*kolplan, "import", "--help"], env=env, capture_output=True).returncode == 0:
                try:
                    rows.extend(import_cases(kolplan, py, env, corpus, args.work, lead, runs))
                except CaseFailed as exc:
                    print(f"bench: import not measured: {exc}", file=sys.stderr)
            report = [*kolplan, "report", "--repo", str(corpus), "--as-of", AS_OF]
            if subprocess.run([*kolplan, "report", "--help"], env=env, capture_output=True).returncode == 0:
                try:
                    rows.append(Row("report (quarterly review)", n, measure(report, env, runs)))
                except CaseFailed as exc:
                    print(f"bench: report not measured: {exc}", file=sys.stderr)
            # the calendar: one validate run with a projection per plan, then the whole window's items
            if subprocess.run([*kolplan, "calendar", "--help"], env=env, capture_output=True).returncode == 0:
                for fmt in ("table", "json", "ics"):
                    cal = [*kolplan, "calendar", "--repo", str(corpus), "--as-of", AS_OF, "--format", fmt]
                    try:
                        rows.append(Row(f"calendar --format {fmt} (90 days)", n, measure(cal, env, runs)))
                    except CaseFailed as exc:
                        print(f"bench: calendar --format {fmt} not measured: {exc}", file=sys.stderr)
            # disclose reads every plan as cold validate does (no cache: a projection per plan), then
            # writes the year's filing; a cold validate right before and after each run, so that the
            # ratio compares moments of equal load
            disclose = [*kolplan, "disclose", "--year", "2026", "--repo", str(corpus), "--as-of", AS_OF]
            if subprocess.run([*kolplan, "disclose", "--help"], env=env, capture_output=True).returncode == 0:
                for label, extra in (("disclose --year 2026 (ledger)", []),
                                     ("disclose --year 2026 --format json", ["--format", "json"])):
                    m, around = Measure(), Measure()
                    try:
                        for _ in range(runs):
                            around.add(measure(validate, env, 1, before=clear_cache(corpus)))
                            m.add(measure([*disclose, *extra], env, 1))
                            around.add(measure(validate, env, 1, before=clear_cache(corpus)))
                    except CaseFailed as exc:
                        print(f"bench: disclose not measured: {exc}", file=sys.stderr)
                        continue
                    ratio = m.median / around.median
                    rows.append(Row(label, n, m, f"<= 1.2 x cold validate beside it ({around.median:.3f} s; is "
                                                 f"{ratio:.2f} x)", verdict(ratio <= 1.2)))
            # the shortlist reads every plan as validate does, and asks the rules about each with the
            # engagement added (issue 21)
            shortlist = [*kolplan, "shortlist", "--repo", str(corpus), "--as-of", AS_OF, "--for", "advisory-board",
                         "--topic", "bispecific antibodies", "--date", "2026-10-15", "--hours", "4",
                         "--compensation", "1600", "--by", "medical-affairs", "--format", "json"]
            if subprocess.run([*kolplan, "shortlist", "--help"], env=env, capture_output=True).returncode == 0:
                try:
                    rows.append(Row("shortlist (advisory board, every plan assessed)", n,
                                    measure(shortlist, env, runs)))
                except CaseFailed as exc:
                    print(f"bench: shortlist not measured: {exc}", file=sys.stderr)
    sample_cmd = [*kolplan, "validate", "--repo", str(sample), "--as-of", "2026-11-20", str(sample / sample_one)]
    run_once(sample_cmd, env)
    sample_warm = measure(sample_cmd, env, max(args.runs, 5))
    sample_cold = measure(sample_cmd, env, max(args.runs, 5), before=clear_cache(sample))
    version = measure([*kolplan, "--version"], env, max(args.runs, 5))

    peers: dict[str, Measure] = {}
    beside: dict[str, Measure] = {}  # kolplan cold runs around each peer's runs
    if not args.no_peers:
        tools = ensure_peers(args.peers_venv)
        corpus = corpora.get(args.peers_at) or make_corpus(args.make_corpus, args.work, args.peers_at)
        if tools is not None:
            schema = args.work / "plan.schema.json"
            schema.write_bytes(subprocess.run([*kolplan, "schema"], env=env, capture_output=True,
                                              check=True).stdout)
            files = sorted(str(p) for p in (corpus / "plans").rglob("*.yaml"))
            peer_cmds = {
                "check-jsonschema": [str(tools[0]), "--schemafile", str(schema), *files],
                "yamllint": [str(tools[1]), "-f", "parsable", str(corpus / "plans")],
            }
            # kolplan cold right before and after each peer run, so that each ratio compares
            # moments of equal load (a shared machine's load moves within minutes)
            validate = [*kolplan, "validate", "--repo", str(corpus), "--as-of", AS_OF, "--format", "json"]
            for name, cmd in peer_cmds.items():
                peers[name], beside[name] = Measure(), Measure()
                for _ in range(args.peer_runs):
                    beside[name].add(measure(validate, env, 1, before=clear_cache(corpus)))
                    peers[name].add(measure(cmd, env, 1))
                    beside[name].add(measure(validate, env, 1, before=clear_cache(corpus)))
    load_after = os.getloadavg()

    # -- the table -----------------------------------------------------------------------
    floor_ms = floors[10000].median / 10000 * 1000
    scale = REFERENCE_FLOOR_MS / floor_ms

    for r in rows:
        if r.case.startswith("validate, cold") and r.plans == 10000:
            ratio = r.m.median / floors[10000].median
            r.bar = f"<= 0.75 x floor (is {ratio:.2f} x); <= 150 MiB (is {r.m.peak_mib:.0f})"
            r.verdict = verdict(ratio <= 0.75 and r.m.peak_mib <= 150)
        elif r.case == "validate, warm":
            r.bar = f"<= 0.5 s (scaled: {r.m.median * scale:.2f} s)"
            r.verdict = f"{verdict(r.m.median <= 0.5)} / scaled {verdict(r.m.median * scale <= 0.5)}"
        elif r.case == f"validate {one}, warm" or r.case.endswith("one plan, warm"):
            r.bar = f"<= 0.3 s (scaled: {r.m.median * scale:.2f} s)"
            r.verdict = f"{verdict(r.m.median <= 0.3)} / scaled {verdict(r.m.median * scale <= 0.3)}"
        elif r.case.startswith("new, warm"):
            r.bar = f"<= 1 s (scaled: {r.m.median * scale:.2f} s)"
            r.verdict = f"{verdict(r.m.median <= 1)} / scaled {verdict(r.m.median * scale <= 1)}"
        elif r.case.startswith("import 10,000"):
            cold = next(x for x in rows if x.case.startswith("validate, cold") and x.plans == 10000)
            ratio = r.m.median / cold.m.median
            r.bar = f"<= 2 x cold validate (is {ratio:.2f} x)"
            r.verdict = verdict(ratio <= 2)
        elif r.case.startswith("import 100"):
            r.bar = f"<= 1.5 s (scaled: {r.m.median * scale:.2f} s)"
            r.verdict = f"{verdict(r.m.median <= 1.5)} / scaled {verdict(r.m.median * scale <= 1.5)}"
        elif r.case.startswith("report"):
            cold = next(x for x in rows if x.case.startswith("validate, cold") and x.plans == 10000)
            ratio = r.m.median / cold.m.median
            r.bar = f"<= 2 x cold validate (is {ratio:.2f} x); <= 150 MiB (is {r.m.peak_mib:.0f})"
            r.verdict = verdict(ratio <= 2 and r.m.peak_mib <= 150)
        elif r.case.startswith(("calendar", "shortlist")):
            cold = next(x for x in rows if x.case.startswith("validate, cold") and x.plans == 10000)
            ratio = r.m.median / cold.m.median
            r.bar = f"<= 1.2 x cold validate (is {ratio:.2f} x)"
            r.verdict = verdict(ratio <= 1.2)
    rows.append(Row("validate <one file> on the sample, warm", 14, sample_warm,
                    f"<= 0.2 s (scaled: {sample_warm.median * scale:.2f} s)",
                    f"{verdict(sample_warm.median <= 0.2)} / scaled {verdict(sample_warm.median * scale <= 0.2)}"))
    rows.append(Row("validate <one file> on the sample, no cache yet", 14, sample_cold, "(for information)"))
    rows.append(Row("kolplan --version", 0, version, f"<= 0.1 s (scaled: {version.median * scale:.2f} s)",
                    f"{verdict(version.median <= 0.1)} / scaled {verdict(version.median * scale <= 0.1)}"))
    for name, m in peers.items():
        need = 8 if name == "check-jsonschema" else 30
        k = beside[name]
        ratio = m.median / k.median
        rows.append(Row(f"peer: {name}", args.peers_at, m, f">= {need} x slower than kolplan cold run beside it "
                        f"({k.median:.3f} s; is {ratio:.1f} x)", verdict(ratio >= need)))

    print(f"\nkolplan benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
          f"load average {load_before[0]:.2f} before / {load_after[0]:.2f} after; "
          f"medians of {args.runs} runs (peers: {args.peer_runs}); as-of {AS_OF}\n")
    print(f"floor here: {floor_ms:.3f} ms a plan (reference: {REFERENCE_FLOOR_MS} ms); "
          f"scaled = time here x {scale:.2f}\n")
    print("| case | plans | median s | ms a plan | x floor | peak MiB | bar | verdict |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for r in rows:
        per = r.m.median / r.plans * 1000 if r.plans else 0.0
        fl = floors.get(r.plans)
        x = f"{r.m.median / fl.median:.2f}" if fl is not None else ""
        print(f"| {r.case} | {r.plans:,} | {r.m.median:.3f} | {per:.3f} | {x} | {r.m.peak_mib:.0f} "
              f"| {r.bar} | {r.verdict} |")
    for n, ratio in paired.items():
        print(f"\ncold validate / floor at {n:,} plans, median of the {args.runs} paired runs: {ratio:.2f} x")
    for n, (fl_i, cold_i, nocache_i) in work.items():
        if fl_i and cold_i and nocache_i:
            print(f"\nCPU work at {n:,} plans (instructions, every process; not affected by load): floor "
                  f"{fl_i / n / 1e6:.2f} M a plan; validate cold {cold_i / n / 1e6:.2f} M ({cold_i / fl_i:.2f} x), "
                  f"--no-cache {nocache_i / n / 1e6:.2f} M ({nocache_i / fl_i:.2f} x); on {os.cpu_count()} cores "
                  f"the cold run's work alone is {cold_i / fl_i / (os.cpu_count() or 1):.2f} x the floor's")
        else:
            print("\nCPU work: perf cannot count instructions here")
    print("\ngrowth of cold validate (ms a plan): " + ", ".join(
        f"{n:,}: {colds[n].median / n * 1000:.3f}" for n in sizes))
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        per_lo, per_hi = colds[lo].median / lo, colds[hi].median / hi
        print(f"{hi:,} plans cost {colds[hi].median / colds[lo].median:.1f} x {lo:,} plans "
              f"({hi // lo} x the plans; per plan {per_hi / per_lo:.2f} x)")
    print(json.dumps({"rows": [{"case": r.case, "plans": r.plans, "seconds": r.m.seconds,
                                "peak_mib": round(r.m.peak_mib, 1)} for r in rows]}), file=sys.stderr)
    return 0


def entry() -> int:
    try:
        return main()
    except CaseFailed as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(entry())
