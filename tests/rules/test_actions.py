"""Every rule has a plain-language action for the quarterly review (SPEC 8: never a YAML key)."""

from __future__ import annotations

import re

from kolplan.rules.actions import ACTIONS, action_for
from kolplan.rules.registry import load_rules


def test_every_rule_has_an_action() -> None:
    missing = sorted(set(load_rules()) - set(ACTIONS))
    assert missing == []


def test_actions_are_plain_words() -> None:
    for code, text in ACTIONS.items():
        assert re.fullmatch(r"[a-z][a-zA-Z0-9 ,'()-]+", text), (code, text)  # no `key:`, no handle, no command
        assert "_" not in text and ":" not in text and "kolplan" not in text, (code, text)


def test_an_unknown_code_gets_a_generic_action() -> None:
    assert action_for("KP999") == "review the plan's open findings"
