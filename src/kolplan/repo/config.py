"""Find the repository root and load ``kolplan.yaml`` (SPEC 2-3)."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kolplan.diagnostics import Diagnostic, reading_diagnostic
from kolplan.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from kolplan.schema.config import Config

CONFIG_NAME: Final = "kolplan.yaml"
PLANS_DIR: Final = "plans"


@dataclass
class Repo:
    """A kolplan repository: its root, its parsed configuration and the config's digest."""

    root: Path
    config: Config
    config_digest: str

    @property
    def plans_dir(self) -> Path:
        return self.root / PLANS_DIR

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    def rel(self, path: Path) -> str:
        """``path`` relative to the root, with ``/`` separators (as diagnostics print it)."""
        import os

        return Path(os.path.relpath(path.absolute(), self.root)).as_posix()


def find_root(start: Path) -> Path | None:
    """The first folder at or above ``start`` holding ``kolplan.yaml``."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def open_repo(repo: Path | None = None, cwd: Path | None = None, *, snapshot: bool = False) -> Repo:
    """The repository named by ``--repo`` or found above ``cwd``; its config loaded and checked.

    ``snapshot`` (``validate``): if this very ``kolplan.yaml`` was checked before, take its
    checked content from the cache instead (:func:`kolplan.lint.cache.config_snapshot`).
    """
    if repo is not None:
        if not repo.exists():
            raise UsageError(f"--repo {repo}: no such folder")
        if not repo.is_dir():
            raise UsageError(f"--repo {repo}: not a folder")
        root = repo.absolute()
        if not (root / CONFIG_NAME).is_file():
            raise ConfigError(f"no {CONFIG_NAME} in {repo}: run `kolplan init {repo}` to create one")
    else:
        found = find_root(cwd or Path.cwd())
        if found is None:
            raise ConfigError(f"no {CONFIG_NAME} found in this folder or any parent: run `kolplan init` to "
                              "create one, or pass --repo DIR")
        root = found
    if snapshot:
        from kolplan.lint.cache import config_snapshot

        try:
            digest = hashlib.blake2b(read_config_bytes(root / CONFIG_NAME), digest_size=16).hexdigest()
        except OSError:
            pass  # load_config says what is wrong
        else:
            view = config_snapshot(root, digest)
            if view is not None:
                return Repo(root, view, digest)
    config, digest = load_config(root / CONFIG_NAME, CONFIG_NAME)
    return Repo(root, config, digest)


def read_config_bytes(path: Path) -> bytes:
    """The bytes of ``kolplan.yaml``, as a plan's are read: only a regular file is opened
    (non-blocking: never a FIFO or a device), and at most one byte past the reader's 1 MiB
    limit is read (the reader then says the file is too large)."""
    import os
    import stat

    from kolplan.lint.check import MAX_READ, file_kind, read_fd_capped

    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise OSError(0, f"it is {file_kind(mode)}, not a file")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(0, f"it is {file_kind(st.st_mode)}, not a file")
        return read_fd_capped(fd, st.st_size, MAX_READ)
    finally:
        os.close(fd)


def load_config(path: Path, shown: str) -> tuple[Config, str]:
    """Parse and check ``kolplan.yaml``; raise :class:`ConfigError` with positioned diagnostics."""
    from pydantic import ValidationError

    from kolplan.schema import Config
    from kolplan.schema.problems import schema_problems
    from kolplan.yamlio.reader import YamlProblem, read_bytes

    try:
        data = read_config_bytes(path)
    except OSError as exc:
        raise ConfigError(f"cannot read {shown}: {exc.strerror or exc}") from None
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    res = read_bytes(data)
    if isinstance(res, YamlProblem):
        message = res.message
        if message.startswith("file is empty"):
            message = ("file is empty: kolplan.yaml needs at least schema: kolplan/v1 and organization: "
                       "(see kolplan init)")
        raise _config_error(shown, [reading_diagnostic(shown, res.line, res.column, res.code, message)])
    diags = [reading_diagnostic(shown, p.line, p.column, p.code, p.message) for p in res.problems]
    try:
        config = Config.model_validate(res.data)
    except ValidationError as exc:
        diags += [reading_diagnostic(shown, p.line, p.column, "KP010", p.message)
                  for p in schema_problems(exc, res, Config)]
        raise _config_error(shown, diags) from None
    for loc, message in _semantic_problems(config):
        # a rule code under rules.severity is a key: point at it, not at its value
        line, col = res.position(loc, "key" if loc[:2] == ("rules", "severity") else "value")
        diags.append(reading_diagnostic(shown, line, col, "KP010", message))
    if diags:
        raise _config_error(shown, diags)
    return config, digest


def _semantic_problems(config: Config) -> Iterator[tuple[tuple[str | int, ...], str]]:
    from kolplan.rules import lookup
    from kolplan.rules.registry import unknown_rule_hint

    departments = list(config.departments)
    for handle, person in config.people.items():
        if person.department not in config.departments:
            guess = difflib.get_close_matches(person.department, departments, n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else f"departments are: {', '.join(departments)}"
            yield (("people", handle, "department"),
                   f"person {handle} is in department '{person.department}', which is not defined under "
                   f"departments ({hint})")
    for i, code in enumerate(config.rules.ignore):
        if lookup(code) is None:
            yield (("rules", "ignore", i), f"rules.ignore: unknown rule '{code}' ({unknown_rule_hint(code)})")
    for code in config.rules.severity:
        rule = lookup(code)
        if rule is None:
            yield (("rules", "severity", code), f"rules.severity: unknown rule '{code}' ({unknown_rule_hint(code)})")
        elif rule.always_on:
            yield (("rules", "severity", code), f"rules.severity: {rule.code} {rule.name} is a reading or schema "
                                                 "rule, always reported at its own severity: remove it")
    for i, code in enumerate(config.rules.ignore):
        rule = lookup(code)
        if rule is not None and rule.always_on:
            yield (("rules", "ignore", i), f"rules.ignore: {rule.code} {rule.name} is a reading or schema rule "
                                            "and cannot be switched off: remove it")


def _config_error(shown: str, diags: list[Diagnostic]) -> ConfigError:
    n = len(diags)
    return ConfigError(f"{shown} has {n} problem{'s' if n != 1 else ''}: fix {'them' if n != 1 else 'it'} "
                       "and run again", diagnostics=sorted(diags, key=Diagnostic.sort_key))

