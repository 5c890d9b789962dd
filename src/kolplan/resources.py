"""Where the built-in templates are: inside the installed package, or the source tree's
top-level ``templates/`` when running from a checkout (editable install)."""

from __future__ import annotations

from pathlib import Path


def builtin_templates_dir() -> Path:
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    source = Path(__file__).resolve().parents[2] / "templates"
    if source.is_dir():
        return source
    raise FileNotFoundError("kolplan's built-in templates are missing from this installation; reinstall kolplan")
