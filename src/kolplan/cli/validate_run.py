"""``kolplan validate`` without typer: the command's body, and a fast path to it.

``validate`` runs in every pre-commit hook and CI job, mostly on a warm cache, where
its own work takes a few milliseconds. typer's import, and the pydantic adapters it
builds for each option, cost more than that, so :func:`fast_validate` reads the
command line itself when it holds nothing but validate's own options in their plain
forms, and hands everything else (``--help``, a typo, a missing value, ``-fjson``) to
typer, which answers exactly as before. Both paths end in :func:`run_validate`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kolplan.cli import PipeClosed
from kolplan.cli.asof import parse_as_of
from kolplan.cli.output import write_plain, write_text_report
from kolplan.errors import ConfigError, UsageError
from kolplan.formats import FORMAT_NAMES, get_formatter
from kolplan.formats.escape import clean
from kolplan.lint.engine import ValidateOptions, ValidationReport
from kolplan.lint.engine import validate as run
from kolplan.repo.root import find_root, open_repo

if TYPE_CHECKING:
    from kolplan.formats import Formatter

_VALUED: Final = {"--format": "fmt", "-f": "fmt", "--select": "select", "--ignore": "ignore",
                  "--as-of": "as_of", "--repo": "repo", "--output": "output", "-o": "output"}
_FLAGS: Final = {"--strict": "strict", "--no-cache": "no_cache", "--quiet": "quiet", "-q": "quiet"}


def run_validate(paths: list[Path], fmt: str | None, select: list[str], ignore: list[str], strict: bool,
                 as_of: str | None, no_cache: bool, repo: Path | None, output: str | None = None,
                 quiet: bool = False) -> int:
    """Validate, print the report (or write it to ``-o output``); the exit code (raises :class:`KolplanError`).

    ``quiet`` (``-q``) shortens the text format to its summary line, and to nothing at all
    when there is nothing to report (no diagnostic of any severity). The machine formats
    (json, github, sarif, markdown) are documents other programs read: ``-q`` leaves them whole, so
    adding it to a CI command line never breaks a parser."""
    name = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    formatter = get_formatter(name)
    if formatter is None:
        raise UsageError(f"--format {name}: unknown format; choose one of {', '.join(FORMAT_NAMES)}")
    if quiet and name == "text":
        formatter = _quiet_text
    opts = ValidateOptions(
        paths=list(paths),
        select=list(select),
        ignore=list(ignore),
        as_of=parse_as_of(as_of),
        strict=strict,
        use_cache=not no_cache,
    )
    try:
        opened = open_repo(repo, snapshot=opts.use_cache)
    except ConfigError as exc:
        if name == "text" or not exc.diagnostics:
            raise
        return _broken_config(exc, formatter, repo, paths, output)
    if output is not None and output != "-":
        # lazy: only with -o
        from kolplan.cli.outfile import open_output  # only here: the hook's usual run imports nothing more

        target = open_output(output, opened.root, paths)  # before the work: a refused -o fails fast
        report = run(opened, opts)
        target.write(formatter(report))
        return report.exit_code
    report = run(opened, opts)
    out = formatter(report)
    try:
        if name == "text":
            write_text_report(out)
        else:
            write_plain(out)
        sys.stdout.flush()
    except BrokenPipeError:  # `kolplan validate | head -1`: the findings decide the code all the same

        raise PipeClosed(report.exit_code) from None
    return report.exit_code


def _broken_config(exc: ConfigError, formatter: Formatter, repo: Path | None, paths: list[Path],
                   output: str | None) -> int:
    """A broken ``kolplan.yaml`` under a machine format (json, github, sarif, markdown): the document, with the
    config's diagnostics, on standard output (or ``-o``), one line on stderr, and exit 2 (SPEC 6), so
    that a CI step that parses the output sees what is wrong."""
    # lazy: only when kolplan.yaml is broken
    from kolplan.cli.outfile import open_output

    root = repo.absolute() if repo is not None else find_root(Path.cwd())
    report = ValidationReport(list(exc.diagnostics), 1, root=root)
    text = formatter(report)
    if output is not None and output != "-" and root is not None:
        open_output(output, root, paths).write(text)
    else:
        try:
            write_plain(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise PipeClosed(exc.exit_code) from None
    sys.stderr.write(f"kolplan: error: {clean(exc.message)}\n")
    return exc.exit_code


def _quiet_text(report: ValidationReport) -> str:
    """``validate -q``: the summary line, or nothing when there is no diagnostic at all."""
    # lazy: only with -q
    from kolplan.formats.text import summary

    return f"{summary(report)}\n" if report.diagnostics else ""


def fast_validate(args: list[str]) -> int | None:
    """Run ``validate`` if ``args`` (after ``validate``) are plain; None hands them to typer."""
    parsed = parse_validate_args(args)
    if parsed is None:
        return None
    return run_validate(**parsed)  # type: ignore[arg-type]


def parse_validate_args(args: list[str]) -> dict[str, object] | None:
    """The keyword arguments of :func:`run_validate`, or None for anything unusual."""
    out: dict[str, object] = {"paths": [], "fmt": None, "select": [], "ignore": [], "strict": False,
                              "as_of": None, "no_cache": False, "repo": None, "output": None,
                          "quiet": False}
    paths: list[Path] = []
    select: list[str] = []
    ignore: list[str] = []
    i = 0
    only_paths = False
    while i < len(args):
        arg = args[i]
        i += 1
        if only_paths or not arg.startswith("-"):
            if not arg:
                return None
            paths.append(Path(arg))
            continue
        if arg == "--":
            only_paths = True
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _FLAGS and not eq:
            out[_FLAGS[name]] = True
            continue
        key = _VALUED.get(name)
        if key is None:
            return None
        if not eq:
            if i >= len(args):
                return None
            value = args[i]
            i += 1
        if not value or value.startswith("-"):
            return None
        if key == "select":
            select.append(value)
        elif key == "ignore":
            ignore.append(value)
        else:
            out[key] = value
    repo = out["repo"]
    if isinstance(repo, str):
        # typer's --repo is a folder: let it word the error for a file or an unreadable path
        if os.path.exists(repo) and (not os.path.isdir(repo) or not os.access(repo, os.R_OK)):
            return None
        out["repo"] = Path(repo)
    out["paths"], out["select"], out["ignore"] = paths, select, ignore
    return out
