"""kolplan.formats.github: workflow commands escaped as GitHub's toolkit escapes them (SPEC 6).
What ``kolplan validate --format github`` prints is in tests/cli/test_validate_cli.py."""

from __future__ import annotations

from kolplan.formats.github import escape_data, escape_property


def test_github_format_escapes_like_the_toolkit() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
