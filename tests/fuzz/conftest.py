"""Hypothesis profiles for the fuzz tests.

* ``kolplan-fast`` (default): few examples, derandomized and without an example
  database, so that every CI run tries exactly the same inputs.
* ``kolplan-long`` (``KOLPLAN_FUZZ=long``): many random examples, for a night run:
  ``KOLPLAN_FUZZ=long .venv/bin/python -m pytest tests/fuzz`` (``KOLPLAN_FUZZ_EXAMPLES=N``
  sets how many per test; 5000 by default).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers import make_repo

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
          HealthCheck.function_scoped_fixture]

settings.register_profile("kolplan-fast", max_examples=100, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("kolplan-long", max_examples=int(os.environ.get("KOLPLAN_FUZZ_EXAMPLES", "5000")),
                          deadline=None, derandomize=False, database=None, suppress_health_check=_QUIET,
                          print_blob=True)
settings.load_profile("kolplan-long" if os.environ.get("KOLPLAN_FUZZ") == "long" else "kolplan-fast")


@pytest.fixture(scope="module")
def fuzz_repo() -> Iterator[Path]:
    """One repository (the test config, no plans) per module: hypothesis runs each test many
    times, and a function-scoped ``tmp_path`` would be shared by all of them anyway."""
    with tempfile.TemporaryDirectory() as tmp:
        yield make_repo(Path(tmp) / "repo")
