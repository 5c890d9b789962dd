"""How far a template may go (SPEC 8): time and output limits, from the environment
(``KOLPLAN_TEMPLATE_TIMEOUT``, ``KOLPLAN_TEMPLATE_MAX_OUTPUT``), and the error raised when
a template goes past them."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Final

from kolplan.errors import UsageError

TIMEOUT_VAR: Final = "KOLPLAN_TEMPLATE_TIMEOUT"
MAX_OUTPUT_VAR: Final = "KOLPLAN_TEMPLATE_MAX_OUTPUT"
DEFAULT_TIMEOUT: Final = 60.0  # seconds
DEFAULT_MAX_OUTPUT: Final = 50_000_000  # bytes of UTF-8
MEMORY_HEADROOM: Final = 512 * 2**20  # what a rendering child may allocate, beyond 8 x the output limit
REPLY_SLACK: Final = 1 << 16  # a child's answer: the text (at most the output limit) and its tag
CHECK_EVERY: Final = 1024  # pieces of output between two looks at the clock


class LimitExceeded(Exception):
    """A template asked for more than its limits allow; the message says what."""


class RenderTimeout(LimitExceeded):
    """The time limit passed while rendering in this process."""


@dataclass(frozen=True)
class RenderLimits:
    """How long a template may render (seconds) and how much it may write (bytes of UTF-8)."""

    timeout: float = DEFAULT_TIMEOUT
    max_output: int = DEFAULT_MAX_OUTPUT

    @classmethod
    def from_environ(cls) -> RenderLimits:
        """The defaults, or ``KOLPLAN_TEMPLATE_TIMEOUT`` and ``KOLPLAN_TEMPLATE_MAX_OUTPUT``; a bad value is exit 2."""
        timeout, max_output = DEFAULT_TIMEOUT, DEFAULT_MAX_OUTPUT
        text = os.environ.get(TIMEOUT_VAR, "").strip()
        if text:
            try:
                timeout = float(text)
            except ValueError:
                timeout = math.nan
            if not (math.isfinite(timeout) and timeout > 0):
                raise UsageError(f"{TIMEOUT_VAR}={text!r}: give the time a template may take in seconds, "
                                 f"e.g. {TIMEOUT_VAR}=120 (default {DEFAULT_TIMEOUT:g})")
        text = os.environ.get(MAX_OUTPUT_VAR, "").strip()
        if text:
            try:
                max_output = int(text.replace("_", ""))
            except ValueError:
                max_output = 0
            if max_output <= 0:
                raise UsageError(f"{MAX_OUTPUT_VAR}={text!r}: give the most a template may write in bytes, "
                                 f"e.g. {MAX_OUTPUT_VAR}=100000000 (default {DEFAULT_MAX_OUTPUT:,})")
        return cls(timeout, max_output)

    @property
    def memory_headroom(self) -> int:
        """What a rendering child may allocate beyond what it inherits (bytes)."""
        return MEMORY_HEADROOM + 8 * self.max_output
