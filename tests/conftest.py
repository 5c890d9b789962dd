from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import VALID_PLAN, make_repo
from tests.portfolio import CONFIG_WITH_CAPS, PLANS


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see no GitHub Actions, no forced colour, whatever the machine sets."""
    for var in ("GITHUB_ACTIONS", "FORCE_COLOR", "NO_COLOR", "KOLPLAN_DEBUG"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository holding one valid plan, plans/jane-okafor.yaml."""
    return make_repo(tmp_path / "repo", {"jane-okafor.yaml": VALID_PLAN})


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """Run as a terminal's foreground job would, whoever started pytest: a background job
    (`pytest &` in a script, some CI runners) inherits SIGINT and SIGTERM ignored, and kolplan
    rightly keeps an ignored signal ignored (``nohup``), so the tests that send Ctrl-C to a
    kolplan process would test nothing. Children inherit what this process has."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_IGN:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def pytest_report_header() -> str:
    return f"kolplan tests; cpu count {os.cpu_count()}"


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """The hand-counted fixture portfolio of tests/portfolio.py (not a git repository)."""
    return make_repo(tmp_path / "portfolio", PLANS, CONFIG_WITH_CAPS)
