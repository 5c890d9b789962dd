"""``kolplan init --install SPEC``: what the workflow and the pre-commit hook ``pip install``.

SPEC is what you would type after ``pip install``, as shell words: a requirement
(``kolplan==1.2``, ``kolplan>=1.2,<2``), a URL (``https://pkgs.example.com/kolplan-1.2.tar.gz``,
``git+https://git.example.com/tools/kolplan@v1.2``), a path, or any of these with pip's options
(``kolplan==1.2 --index-url https://pypi.internal.example.com/simple``). Quote a word that holds
spaces as in a shell. The default is ``kolplan==<this version>``.

Refused (exit 2): an empty SPEC, unbalanced quotes, a character that is not printable (a line
break would end the YAML line and start another), ``${{`` (GitHub would evaluate it as an
expression before the shell ever saw it), and a SPEC with no word naming kolplan. The words
are then written safely for each consumer: shell-quoted on the workflow's ``run:`` line, which
is a YAML block scalar (any printable text is literal there), and JSON-quoted (a YAML
double-quoted string) as separate items of the hook's ``additional_dependencies``, which
pre-commit hands to ``pip install`` one argument each.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

from kolplan import __version__
from kolplan.errors import UsageError


@dataclass(frozen=True)
class Install:
    words: tuple[str, ...]

    @property
    def command(self) -> str:
        """The workflow's shell line: ``pip install kolplan==1.2``."""
        return "pip install " + " ".join(shlex.quote(w) for w in self.words)

    @property
    def yaml_list(self) -> str:
        """The words as a YAML flow sequence: ``["kolplan==1.2"]``."""
        return "[" + ", ".join(json.dumps(w) for w in self.words) + "]"

    @property
    def shown(self) -> str:
        """The words as typed in a shell (for comments)."""
        return " ".join(shlex.quote(w) for w in self.words)


def install_spec(spec: str | None) -> Install:
    """The pip arguments of ``--install SPEC`` (None: ``kolplan==<this version>``), checked."""
    if spec is None:
        return Install((f"kolplan=={__version__}",))
    hint = "give what you would type after pip install, e.g. --install 'kolplan==1.2 --index-url URL'"
    bad = next((c for c in spec if not c.isprintable()), None)
    if bad is not None:
        raise UsageError(f"--install: {bad!a} cannot be written into the workflow or the hook; {hint}")
    if "${{" in spec:
        raise UsageError(f"--install: '${{{{' would be evaluated by GitHub Actions as an expression; {hint}")
    try:
        words = tuple(shlex.split(spec))
    except ValueError as exc:
        raise UsageError(f"--install: {exc}; {hint}") from None
    if not words:
        raise UsageError(f"--install is empty; {hint}")
    if not any("kolplan" in w.lower() and not w.startswith("-") for w in words):
        raise UsageError(f"--install {spec}: no word names kolplan (a requirement, URL or path of it); {hint}")
    return Install(words)
