"""The ``kolplan`` command: a thin typer app over the core.

``main`` maps every :class:`~kolplan.errors.KolplanError` to its message and exit code
in one place, and any other exception to a one-line report request (exit 3) unless
``--debug`` asks for the traceback. ``kolplan --version`` answers before typer is imported.

Ctrl-C and SIGTERM (SPEC 9) raise :class:`KeyboardInterrupt` and
:class:`~kolplan.errors.Terminated` in the main process, so that every ``finally`` on
the way out runs (temporary files removed, worker processes and git killed and
reaped); ``main`` then prints one line and exits 130 or 143. Only the first signal
does that: one that follows while kolplan is already on its way out is ignored, so
that nothing interrupts the cleanup with a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType
from typing import Any

from kolplan import __version__
from kolplan.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_USAGE, KolplanError, Terminated

ISSUES_URL = "https://github.com/kolplan/kolplan/issues"
GONE_CWD = "the current folder no longer exists; cd to your repository"

# The signal that came (SIGINT or SIGTERM): main exits with its code, whatever happened after.
_received: int | None = None
_closing = False  # main is on its way out: a signal changes nothing any more


def main(argv: list[str] | None = None) -> None:
    global _received, _closing
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        sys.stdout.write(f"kolplan {__version__}\n")
        raise SystemExit(0)
    debug = "--debug" in args or os.environ.get("KOLPLAN_DEBUG", "") not in ("", "0")
    args = [a for a in args if a != "--debug"]
    previous = _catch_signals()
    try:
        try:
            _run(args, debug)
        except KeyboardInterrupt:  # from our handler, or raised without a signal
            _received = _received or _SIGINT
        except Terminated:
            _received = _received or _SIGTERM
        except SystemExit:
            # typer turns a KeyboardInterrupt into a silent exit 130: still one line, and our code
            if _received is None:
                raise
        else:
            if _received is None:
                return
        _stop(_received)
    finally:
        _closing = True  # from here on, a signal changes nothing (it would only interrupt the exit)
        if argv is not None:  # called from Python (the tests): leave the signals as they were
            _release_signals(previous)
        elif previous:
            # the kolplan process itself: ignored, not just answered by a handler that does
            # nothing, because Python gives its handlers back to the system while it shuts
            # down, and a Ctrl-C then would kill the process without its line
            _ignore_signals(previous)


class PipeClosed(Exception):
    """The reader of standard output went away (``kolplan validate | head -1``) after the
    command knew its exit ``code``. Not an :class:`OSError`, so that typer passes it on."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _run(args: list[str], debug: bool) -> None:
    """Run the command. A reader of standard output that goes away early (``kolplan list |
    head -1``) changes nothing: no message, and the exit code the command has anyway (0 for
    every command that prints; ``validate``'s own 0 or 1, so a CI gate under ``set -o
    pipefail`` never passes because its output was cut short), whichever write found the
    pipe closed: ours, rich's, typer's or the last flush."""
    try:
        try:
            _dispatch(args)
        except SystemExit:
            if _typer_saw_broken_pipe():  # typer turns EPIPE into exit 1 (`kolplan --help | head -1`)
                _quiet_stdout()
                raise SystemExit(0) from None
            _flush_stdout()
            raise
        _flush_stdout()
    except KolplanError as exc:
        from kolplan.cli.output import print_error  # lazy: `kolplan --version` imports nothing more

        print_error(exc)
        raise SystemExit(exc.exit_code) from None
    except PipeClosed as exc:
        _quiet_stdout()
        raise SystemExit(exc.code) from None
    except BrokenPipeError:
        # the reader went away (`kolplan list | head`) while a command that succeeds printed
        _quiet_stdout()
        raise SystemExit(0) from None
    except Exception as exc:
        if isinstance(exc, FileNotFoundError) and _cwd_gone():
            # `mkdir d; cd d; rmdir ../d; kolplan ...`: whatever needed the folder failed
            sys.stderr.write(f"kolplan: error: {GONE_CWD}\n")
            raise SystemExit(EXIT_USAGE) from None
        if debug:
            raise
        # lazy: only on an internal error
        from kolplan.formats.text import clean  # the exception may quote plan text: one safe line

        sys.stderr.write(
            f"kolplan: internal error ({type(exc).__name__}: {clean(str(exc))}). "
            f"This is a bug in kolplan {__version__}: "
            f"please report it at {ISSUES_URL} with the output of the same command run with --debug.\n"
        )
        raise SystemExit(EXIT_INTERNAL) from None


def interrupted() -> KeyboardInterrupt:
    """The user gave up at a prompt (Ctrl-C, or Ctrl-D: the end of input): the same way out as
    a SIGINT (one line, exit 130). Raise what this returns."""
    global _received
    if _received is None:
        _received = _SIGINT
    return KeyboardInterrupt()


def _dispatch(args: list[str]) -> None:
    # lazy: validate's fast path runs without typer and the other commands, and they without validate's
    if args[:1] == ["validate"]:  # the hot path (pre-commit, CI): no typer when the options are plain
        from kolplan.cli.validate_run import fast_validate

        code = fast_validate(args[1:])
        if code is not None:
            raise SystemExit(code)
    from kolplan.cli.app import app

    app(args=args, prog_name="kolplan")


def _quiet_stdout() -> None:
    """Standard output's reader is gone: what is still buffered, and anything printed on the
    way out, goes to /dev/null instead of failing again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # not a real file (tests capture into a StringIO)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _flush_stdout() -> None:
    """Flush now, not in the interpreter's exit (where a closed pipe prints 'Exception ignored')."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()


def _typer_saw_broken_pipe() -> bool:
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def _cwd_gone() -> bool:
    try:
        os.getcwd()
    except FileNotFoundError:
        return True
    return False


_SIGINT = 2  # signal.SIGINT and SIGTERM: their numbers are fixed by POSIX
_SIGTERM = 15


def _stop(signum: int) -> None:
    """After a signal: no worker left running, one line, the signal's exit code."""
    workers = sys.modules.get("kolplan.lint.workers")
    if workers is not None:  # a worker pool the interrupted code could not stop itself
        workers.stop_all()
    sys.stderr.write("kolplan: terminated\n" if signum == _SIGTERM else "kolplan: interrupted\n")
    raise SystemExit(EXIT_TERMINATED if signum == _SIGTERM else EXIT_INTERRUPTED) from None


def _on_signal(signum: int, frame: FrameType | None) -> None:
    global _received
    if _received is not None or _closing:
        return
    _received = signum
    raise Terminated if signum == _SIGTERM else KeyboardInterrupt


def _catch_signals() -> dict[int, Any]:
    """Route SIGINT and SIGTERM to :func:`_on_signal`; the handlers they had. A signal
    ignored when kolplan started (``nohup``, a background job) stays ignored."""
    global _received, _closing

    _received, _closing = None, False
    previous: dict[int, Any] = {}
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            old = signal.getsignal(sig)
            if old is not signal.SIG_IGN:
                signal.signal(sig, _on_signal)
                previous[sig] = old
    except ValueError:  # not the main thread (an embedding program): its signals are its own
        pass
    if previous:
        previous[_UNRAISABLE] = _UnraisableHook(sys.unraisablehook)
        sys.unraisablehook = previous[_UNRAISABLE]
    return previous


# A key of the saved handlers that is no signal number: the previous sys.unraisablehook.
_UNRAISABLE = -1


class _UnraisableHook:
    """Python cannot raise an exception from a finalizer (``__del__``, a weakref callback):
    it prints "Exception ignored in: …" with a traceback instead, and goes on. When that
    exception is the one our signal handler raised, it is not printed: the signal is already
    in ``_received``, and ``main`` exits with its code once the run has come back (one line,
    no traceback). Anything else goes to the hook that was there before."""

    def __init__(self, previous: Any) -> None:
        self.previous = previous

    def __call__(self, info: Any) -> None:
        if isinstance(info.exc_value, KeyboardInterrupt | Terminated) and _received is not None:
            return
        self.previous(info)


def _ignore_signals(previous: dict[int, Any]) -> None:
    for sig in previous:
        if sig != _UNRAISABLE:
            signal.signal(sig, signal.SIG_IGN)


def _release_signals(previous: dict[int, Any]) -> None:
    hook = previous.pop(_UNRAISABLE, None)
    if isinstance(hook, _UnraisableHook):
        sys.unraisablehook = hook.previous
    for sig, handler in previous.items():
        signal.signal(sig, signal.SIG_DFL if handler is None else handler)
