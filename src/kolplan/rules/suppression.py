"""KP901: inline suppressions that cover nothing (found and applied by :mod:`kolplan.lint.suppressions`)."""

from kolplan.diagnostics import Severity
from kolplan.rules.registry import reading_rule

reading_rule("KP901", "unused-suppression", Severity.INFO, """
    An inline suppression covers no diagnostic.

    ``# kolplan: ignore[KP101]`` at the end of a line silences that rule on that line;
    ``# kolplan: ignore-file[KP106]`` anywhere silences it for the file. Once the
    finding is fixed the comment is stale, and a stale suppression would hide the
    next real finding on that line. Reading and schema errors (KP0xx) cannot be
    suppressed.

    Fix: remove the suppression, or correct the code or name it lists.
""", category="suppressions")
