"""kolplan in a child process, for what must not hang or eat the test run: a timeout on
every run, a memory cap, and (as root) no power to override file permissions, so that
``chmod 000`` is real: the child drops CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER
from its bounding set before it runs Python, so root's kolplan meets permissions as any
user's would (it keeps its uid: the interpreter may live where only root can go)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import Result

TIMEOUT = float(os.environ.get("KOLPLAN_TEST_TIMEOUT", "60"))  # seconds: a run this long on a few plans hangs
MEMORY = 2 * 1024**3  # bytes of address space: reading /dev/zero without bound fails fast, not the machine


# linux/capability.h and linux/prctl.h
_CAPS_OVERRIDING_PERMISSIONS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
_PR_CAPBSET_DROP = 24


def _limits(unprivileged: bool) -> Callable[[], None]:
    import ctypes
    import resource

    libc = ctypes.CDLL(None, use_errno=True) if unprivileged else None

    def start() -> None:
        with contextlib.suppress(ValueError, OSError):  # not every system has RLIMIT_AS
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        if libc is not None:
            for cap in _CAPS_OVERRIDING_PERMISSIONS:
                if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                    os._exit(97)

    return start


def kolplan(*args: str, cwd: Path | None = None, unprivileged: bool = False, timeout: float = TIMEOUT) -> Result:
    """``python -m kolplan ARGS`` in a child process; a run past ``timeout`` fails the test.
    ``unprivileged``: as root, without the power to override file permissions."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    for var in ("GITHUB_ACTIONS", "FORCE_COLOR", "KOLPLAN_DEBUG"):
        env.pop(var, None)
    try:
        proc = subprocess.run([sys.executable, "-m", "kolplan", *args], capture_output=True, text=True, check=False,
                              cwd=cwd, env=env, timeout=timeout, stdin=subprocess.DEVNULL,
                              preexec_fn=_limits(unprivileged and os.geteuid() == 0))
    except subprocess.TimeoutExpired:
        pytest.fail(f"kolplan {' '.join(args)} did not finish within {timeout} s (it hangs)")
    assert proc.returncode != 97, "could not drop the capabilities that override permissions"
    assert "Traceback" not in proc.stderr, proc.stderr
    return Result(proc.returncode, proc.stdout, proc.stderr)


def require_permissions_apply(folder: Path) -> None:
    """Skip unless a file with mode 000 is unreadable to :func:`kolplan`'s child processes."""
    probe = folder / "probe"
    probe.write_text("x")
    probe.chmod(0)
    code = "import sys\ntry:\n    open(sys.argv[1]).read()\nexcept PermissionError:\n    sys.exit(0)\nsys.exit(1)"
    try:
        proc = subprocess.run([sys.executable, "-c", code, str(probe)], capture_output=True, check=False,
                              timeout=TIMEOUT, preexec_fn=_limits(os.geteuid() == 0))
    except subprocess.TimeoutExpired:
        pytest.fail("the permission probe hangs")
    finally:
        probe.unlink()
    if proc.returncode != 0:
        pytest.skip("file permissions cannot be made to apply here (root keeps CAP_DAC_OVERRIDE)")


@contextmanager
def permission_folder() -> Iterator[Path]:
    """A temporary folder whose modes the test may take away; given back before removal."""
    import shutil

    folder = Path(tempfile.mkdtemp(prefix="kolplan-perm-"))
    try:
        require_permissions_apply(folder)
        yield folder
    finally:
        for dirpath, dirnames, _ in os.walk(folder):  # top-down: a folder is given back before it is entered
            for name in dirnames:
                path = os.path.join(dirpath, name)
                if not os.path.islink(path):
                    with contextlib.suppress(OSError):
                        os.chmod(path, 0o755)
        shutil.rmtree(folder, ignore_errors=True)
