"""The rule catalogue (SPEC 7). Importing this package registers every rule."""

from kolplan.rules import (  # noqa: F401  (importing registers the rules)
    compliance,
    ownership,
    privacy,
    quality,
    reading,
    suppression,
    timeliness,
)
from kolplan.rules.registry import Rule, all_rules, lookup, rules_of

__all__ = ["Rule", "all_rules", "lookup", "rules_of"]
