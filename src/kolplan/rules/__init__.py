"""The rule catalogue (SPEC 7).

Each module registers its rules when imported; :func:`~kolplan.rules.registry.load_rules`
imports them all on the first question about rules (:func:`lookup`, :func:`all_rules`,
:func:`rules_of`), so that a run that needs no rule never pays for their import.
"""

from kolplan.rules.registry import Rule, all_rules, lookup, rules_of

__all__ = ["Rule", "all_rules", "lookup", "rules_of"]
