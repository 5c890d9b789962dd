"""PyYAML's parser: libyaml's C one, in PyYAML's wheels; a source build without libyaml
still works, slower."""

from __future__ import annotations

from typing import Any

try:  # libyaml is in PyYAML's wheels; a source build without it still works, slower
    from yaml._yaml import CParser as Parser  # type: ignore[import-not-found, import-untyped, unused-ignore]
except ImportError:  # pragma: no cover - exercised only where libyaml is missing
    from yaml.composer import Composer
    from yaml.parser import Parser as _YamlParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class Parser(Reader, Scanner, _YamlParser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: Any) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _YamlParser.__init__(self)
            Composer.__init__(self)

__all__ = ["Parser"]
