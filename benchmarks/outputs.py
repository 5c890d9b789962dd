#!/usr/bin/env python3
"""Record what kolplan prints on a portfolio, to compare two versions byte for byte.

A refactoring must not change a byte of kolplan's output. Run this before and after,
on the same portfolio, and compare the folders:

    .venv/bin/python benchmarks/outputs.py --repo . --as-of 2026-11-20 /tmp/before-sample
    (change the code)
    .venv/bin/python benchmarks/outputs.py --repo . --as-of 2026-11-20 /tmp/after-sample
    diff -r /tmp/before-sample /tmp/after-sample && echo identical

Each command's stdout, stderr and exit code go to one file. ``--no-cache`` and
``--no-git`` keep the runs independent of what an earlier run left behind.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path


def plan_ids(repo: Path, n: int) -> list[str]:
    files = sorted((repo / "plans").rglob("*.yaml"))
    step = max(1, len(files) // n)
    return [f.stem for f in files[::step][:n]]


def commands(repo: Path, as_of: str) -> dict[str, list[str]]:
    base = ["--repo", str(repo), "--as-of", as_of]
    cmds = {
        "validate.json": ["validate", *base, "--format", "json", "--no-cache"],
        "validate.txt": ["validate", *base, "--no-cache"],
        "list.json": ["list", *base, "--format", "json"],
        "owners.json": ["owners", *base, "--format", "json"],
        "report.md": ["report", *base, "--no-git"],
    }
    for pid in plan_ids(repo, 3):
        cmds[f"render-{pid}.md"] = ["render", pid, *base]
    return cmds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="folder for the outputs (created)")
    ap.add_argument("--repo", type=Path, required=True)
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--kolplan", default=None, help="the kolplan command (default: this Python's -m kolplan)")
    args = ap.parse_args()
    kolplan = args.kolplan.split() if args.kolplan else [sys.executable, "-m", "kolplan"]
    args.out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("GITHUB_ACTIONS", None)
    for name, cmd in commands(args.repo.resolve(), args.as_of).items():
        proc = subprocess.run([*kolplan, *cmd], capture_output=True, env=env, stdin=subprocess.DEVNULL)
        (args.out / name).write_bytes(proc.stdout + b"\n--- stderr ---\n" + proc.stderr
                                      + f"\n--- exit {proc.returncode} ---\n".encode())
        print(f"{name}: exit {proc.returncode}, {len(proc.stdout):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
