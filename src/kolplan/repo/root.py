"""The repository: found from the current folder or ``--repo``, with ``kolplan.yaml``
checked (SPEC 2-3). Its plans live under ``plans/`` (:mod:`kolplan.repo.discovery`)."""

from __future__ import annotations

import hashlib
import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kolplan.errors import ConfigError, UsageError
from kolplan.repo.files import read_config_bytes

if TYPE_CHECKING:
    from kolplan.schema.config import Config
    from kolplan.schema.configview import ConfigView

CONFIG_NAME: Final = "kolplan.yaml"
PLANS_DIR: Final = "plans"


class Repo:
    """A kolplan repository: its root, its checked configuration and the config's digest.

    :attr:`view` (who is who, rule settings) is always there; :attr:`config` (the whole
    model, which plan rules and documents need) is loaded on first use when the view came
    from the cache (a warm ``validate`` then never imports pydantic).
    """

    def __init__(self, root: Path, config_digest: str, *, config: Config | None = None,
                 view: ConfigView | None = None) -> None:
        if config is None and view is None:
            raise ValueError("a Repo needs its config or its view")
        self.root = root
        self.config_digest = config_digest
        if config is not None:
            self.config = config
        self._view = view

    @cached_property
    def config(self) -> Config:
        """The checked ``kolplan.yaml`` model (loaded now if only the cached view was read)."""
        # lazy: pydantic and the models: a warm validate reads the cached config view instead
        from kolplan.repo.config import load_config

        return load_config(self.config_path, CONFIG_NAME)[0]

    @property
    def config_loaded(self) -> bool:
        """Whether :attr:`config` is in memory (then the cache keeps its view for next time)."""
        return "config" in self.__dict__

    @property
    def view(self) -> ConfigView:
        return self._view if self._view is not None else self.config.view

    @property
    def plans_dir(self) -> Path:
        return self.root / PLANS_DIR

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    def rel(self, path: Path) -> str:
        """``path`` relative to the root, with ``/`` separators (as diagnostics print it)."""
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
        # lazy: the cache files only with a snapshot; pydantic and the models only without a cached view
        from kolplan.lint.cachefiles import config_snapshot

        try:
            digest = hashlib.blake2b(read_config_bytes(root / CONFIG_NAME), digest_size=16).hexdigest()
        except OSError:
            pass  # load_config says what is wrong
        else:
            view = config_snapshot(root, digest)
            if view is not None:
                return Repo(root, digest, view=view)
    from kolplan.repo.config import load_config

    config, digest = load_config(root / CONFIG_NAME, CONFIG_NAME)
    return Repo(root, digest, config=config)
