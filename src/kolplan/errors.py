"""Errors that stop a command, each mapped to its exit code in one place (SPEC 9).

* :class:`UsageError` (exit 2): the request itself is wrong: a bad flag or value, a
  bad id, an unknown plan, handle, path or template, no or broken ``kolplan.yaml``.
* :class:`RefusedError` (exit 1): the repository's state forbids what was asked
  (an existing file, a duplicate KOL, a plan that does not parse).
* :class:`WorkerLost` (exit 3): a worker process was killed from outside.

Every error kolplan reports is defined here, the specific ones under the kind they are:
:class:`ConfigError` and :class:`TemplateError` (:class:`TemplateRefused`) are usage
errors, :class:`WriteError` and :class:`AppendError` refusals.

Anything else that escapes a command is a bug: exit 3. Ctrl-C exits 130, SIGTERM 143
(:class:`Terminated`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kolplan.diagnostics import Diagnostic

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM


class KolplanError(Exception):
    """Base of every error kolplan reports to the user as one clear message."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics or []


class UsageError(KolplanError):
    """The request is wrong (exit 2)."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """``kolplan.yaml`` is missing or broken (exit 2); ``diagnostics`` say where."""


class Terminated(BaseException):
    """SIGTERM arrived: raised like :class:`KeyboardInterrupt` is for SIGINT, so that
    cleanup runs on the way out; the CLI exits 143 (128 + 15)."""


class RefusedError(KolplanError):
    """The repository's state forbids the request (exit 1)."""

    exit_code = EXIT_FINDINGS


class TemplateError(UsageError):
    """A template is missing or failed (exit 2), named with its file and line."""


class TemplateRefused(TemplateError):
    """A template file kolplan will not read: outside its folder, not a regular file, too large."""


class WriteError(RefusedError):
    """The file could not be written (disk full, permissions); nothing was changed (exit 1).

    ``errno`` is the operating system's error number, when there was one.
    """

    def __init__(self, message: str, *, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno


class AppendError(RefusedError):
    """The item cannot be appended without touching other content (exit 1); the file is unchanged."""


class WorkerLost(KolplanError):
    """A worker process ended while it had work: killed from outside (out of memory, say).
    Not a bug, not a wrong request: one line, and the exit code of a run that could not
    be completed (3)."""

    exit_code = EXIT_INTERNAL
