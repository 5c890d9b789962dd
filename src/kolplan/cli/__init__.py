"""The ``kolplan`` command: a thin typer app over the core.

``main`` maps every :class:`~kolplan.errors.KolplanError` to its message and exit code
in one place, and any other exception to a one-line report request (exit 3) unless
``--debug`` asks for the traceback. ``kolplan --version`` answers before typer is imported.
"""

from __future__ import annotations

import os
import sys

from kolplan import __version__
from kolplan.errors import EXIT_INTERNAL, KolplanError

ISSUES_URL = "https://github.com/kolplan/kolplan/issues"


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        sys.stdout.write(f"kolplan {__version__}\n")
        raise SystemExit(0)
    debug = "--debug" in args or os.environ.get("KOLPLAN_DEBUG", "") not in ("", "0")
    args = [a for a in args if a != "--debug"]
    try:
        if args[:1] == ["validate"]:  # the hot path (pre-commit, CI): no typer when the options are plain
            from kolplan.cli.validate_run import fast_validate

            code = fast_validate(args[1:])
            if code is not None:
                raise SystemExit(code)
        from kolplan.cli.app import app

        app(args=args, prog_name="kolplan")
    except KolplanError as exc:
        from kolplan.cli.output import print_error

        print_error(exc)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        sys.stderr.write("kolplan: interrupted\n")
        raise SystemExit(130) from None
    except BrokenPipeError:
        # the reader went away (`kolplan list | head`): not an error worth a message
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0) from None
    except Exception as exc:
        if debug:
            raise
        from kolplan.formats.text import clean  # the exception may quote plan text: one safe line

        sys.stderr.write(
            f"kolplan: internal error ({type(exc).__name__}: {clean(str(exc))}). "
            f"This is a bug in kolplan {__version__}: "
            f"please report it at {ISSUES_URL} with the output of the same command run with --debug.\n"
        )
        raise SystemExit(EXIT_INTERNAL) from None
