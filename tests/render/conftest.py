from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import make_repo
from tests.render.portfolio import CONFIG_WITH_CAPS, PLANS


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """The hand-counted fixture portfolio of tests/render/portfolio.py (not a git repository)."""
    return make_repo(tmp_path / "portfolio", PLANS, CONFIG_WITH_CAPS)
