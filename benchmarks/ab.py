#!/usr/bin/env python3
"""Compare two kolplan source trees on the same corpus, run for run: before, after, before, ...

A refactoring must not make kolplan slower. On a shared machine two benchmark runs minutes
apart differ by more than the 5% that matters; runs that alternate see the same moments of
the machine. For each case this prints the median wall time and the median CPU time (user +
system of the whole process tree) of each tree, and the change:

    git worktree add /tmp/kp-before <commit>
    .venv/bin/python benchmarks/ab.py --before /tmp/kp-before/src --after src \\
        --corpus /tmp/kolplan-bench/corpus-10000 --runs 11 warm one-file
    .venv/bin/python benchmarks/ab.py ... --runs 7 cold report

Cases: ``warm`` (validate with the cache full), ``one-file`` (validate one named plan, cache
full), ``cold`` (validate with no cache yet), ``report`` (the quarterly review, ``--no-git``).
Each tree keeps its own cache (the cache key includes kolplan's code), warmed before a warm case.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = "2026-10-01"


def cases(corpus: Path) -> dict[str, list[str]]:
    validate = ["validate", "--repo", str(corpus), "--as-of", AS_OF, "--format", "json"]
    return {
        "warm": validate,
        "one-file": [*validate, str(corpus / "plans" / "kol-00007.yaml")],
        "cold": validate,
        "report": ["report", "--repo", str(corpus), "--as-of", AS_OF, "--no-git"],
    }


def run(python: str, src: str, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``kolplan ARGS`` run from the source tree ``src``."""
    env = {**os.environ, "PYTHONPATH": src, "NO_COLOR": "1",
           "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "kolplan-ab-pycache")}
    env.pop("GITHUB_ACTIONS", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([python, "-m", "kolplan", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cases", nargs="+", choices=["warm", "one-file", "cold", "report"])
    ap.add_argument("--before", required=True, help="the src/ folder of the version to compare against")
    ap.add_argument("--after", required=True, help="the src/ folder of the version under test")
    ap.add_argument("--corpus", type=Path, required=True, help="a portfolio made by make_corpus.py")
    ap.add_argument("--runs", type=int, default=9, help="runs of each tree per case (median); default 9")
    ap.add_argument("--python", default=sys.executable, help="the Python with kolplan's dependencies")
    args = ap.parse_args()
    trees = {"before": str(Path(args.before).resolve()), "after": str(Path(args.after).resolve())}
    all_cases = cases(args.corpus.resolve())
    for name in args.cases:
        cmd = all_cases[name]
        for src in trees.values():  # bytecode compiled, each tree's cache filled
            run(args.python, src, all_cases["warm"])
        seen: dict[str, list[tuple[float, float]]] = {label: [] for label in trees}
        for _ in range(args.runs):
            for label, src in trees.items():
                if name == "cold":
                    shutil.rmtree(args.corpus / ".kolplan", ignore_errors=True)
                else:
                    run(args.python, src, all_cases["warm"])  # the cache as this tree leaves it
                seen[label].append(run(args.python, src, cmd))
        wall = {label: statistics.median(w for w, _ in runs) for label, runs in seen.items()}
        cpu = {label: statistics.median(c for _, c in runs) for label, runs in seen.items()}
        print(f"{name:9s} wall {wall['before']:.3f} s -> {wall['after']:.3f} s "
              f"({(wall['after'] / wall['before'] - 1) * 100:+.1f}%)   "
              f"cpu {cpu['before']:.3f} s -> {cpu['after']:.3f} s ({(cpu['after'] / cpu['before'] - 1) * 100:+.1f}%)",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
