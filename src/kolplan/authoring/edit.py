"""Changing one plan without losing a concurrent change (SPEC 5.1).

:func:`edit_plan` is the one way a command changes an existing plan (``log`` now;
``update``, ``score``, ``feedback`` and ``import`` are to use it too):

1. lock the plan file (:func:`kolplan.yamlio.lock.plan_lock`): another kolplan command
   changing the same plan waits for this one, then reads what it wrote;
2. read the plan under the lock;
3. compute the new bytes with the command's ``change`` (which checks its own result:
   the old data plus exactly the intended change);
4. write them to a temporary file, fsync, and right before the rename check that the
   plan is still the file that was locked, byte for byte what was read: a program that
   takes no lock (an editor, ``git checkout``) may have changed it meanwhile. If so,
   nothing is written and steps 1-4 run again on the new content, at most
   :data:`ATTEMPTS` times; then the command refuses (exit 1) and says why.

So two kolplan commands on one plan at once both land, one after the other, and a
command never prints "done" for a change that another one overwrote.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Final

from kolplan.errors import RefusedError
from kolplan.lint.check import parse_plan
from kolplan.repo.files import read_plan_bytes
from kolplan.yamlio.atomic import atomic_write
from kolplan.yamlio.lock import PlanChanged, plan_lock

ATTEMPTS: Final = 3


def edit_plan(root: Path, rel: str, change: Callable[[bytes], bytes], *, timeout: float | None = None) -> bytes:
    """Replace plan ``rel`` (repo-relative) by ``change(its bytes)`` under its lock; the bytes written.

    ``change`` may run more than once (on the content of each attempt), so it must not
    have side effects; any :class:`~kolplan.errors.KolplanError` it raises stops the
    edit with the file untouched. ``timeout``: seconds to wait for the lock (default
    :data:`kolplan.yamlio.lock.LOCK_TIMEOUT`).
    """
    path = root / rel
    for _ in range(ATTEMPTS):
        with plan_lock(path, rel, timeout) as lock:
            raw, problem = read_plan_bytes(root, rel)
            if problem is not None:
                raise RefusedError(f"{rel} cannot be read: fix it first", diagnostics=[problem])
            assert raw is not None
            new = change(raw)
            if new == raw:
                return new  # nothing to change (``update`` to the value the plan has): nothing is written
            try:
                atomic_write(path, new, root=root, before_replace=partial(lock.check_unchanged, raw))
            except PlanChanged:
                continue  # someone changed it under us: nothing was written; read it again
            return new
    raise RefusedError(f"{rel} changed {ATTEMPTS} times while kolplan was writing it (another program is editing "
                       "it: an editor, a git checkout?); nothing was written: try again when it is done")


def require_readable(rel: str, raw: bytes, again: str = "run again") -> None:
    """Refuse (exit 1, with its diagnostics) a plan with reading or schema errors: an edit
    is made only to a plan that validates, so its result can be checked."""
    parsed, diags = parse_plan(rel, raw)
    if parsed is None:
        n = len(diags)
        raise RefusedError(f"{rel} has {n} reading or schema error{'s' if n != 1 else ''}: fix "
                           f"{'them' if n != 1 else 'it'} (kolplan validate {rel}), then {again}",
                           diagnostics=diags)
