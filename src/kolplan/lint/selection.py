"""Which rules a run reports, and at what severity: ``rules:`` from kolplan.yaml with
``--select`` / ``--ignore``. Reading and schema rules (KP0xx, :attr:`Rule.always_on`)
are always reported at their own severity."""

from __future__ import annotations

from dataclasses import dataclass

from kolplan.diagnostics import Diagnostic, Severity, always_on
from kolplan.errors import UsageError
from kolplan.schema.configview import RulesView


def parse_rule_list(values: list[str], flag: str) -> set[str]:
    """``--select KP101,KP102 --select no-kol-value`` -> {"KP101", "KP102", "KP103"}."""
    # lazy: the rule registry only when rules are named (a plain `validate` names none)
    from kolplan.rules import lookup

    codes: set[str] = set()
    for value in values:
        for token in value.split(","):
            token = token.strip()
            if not token:
                continue
            rule = lookup(token)
            if rule is None:
                raise UsageError(f"{flag} {token}: unknown rule (codes look like KP101, names like "
                                 "activity-without-objective; `kolplan rules` lists them)")
            codes.add(rule.code)
    return codes


@dataclass(frozen=True)
class RuleChoice:
    """``rules:`` from kolplan.yaml with ``--select`` / ``--ignore``, resolved once per run."""

    drop: frozenset[str]
    select: frozenset[str]
    severity: dict[str, str]

    @classmethod
    def of(cls, settings: RulesView, select: set[str], ignore: set[str]) -> RuleChoice:
        if not settings.ignore and not settings.severity:
            return cls(frozenset(ignore), frozenset(select), {})
        # lazy: the rule registry only when kolplan.yaml names rules
        from kolplan.rules import lookup

        drop = {r.code for r in map(lookup, settings.ignore) if r is not None} | ignore
        severity: dict[str, str] = {}
        for key, sev in settings.severity.items():
            rule = lookup(key)
            if rule is not None:
                severity[rule.code] = sev
        return cls(frozenset(drop), frozenset(select), severity)

    def reports(self, code: str) -> bool:
        """Whether a finding of rule ``code`` is reported at all (not switched off)."""
        if always_on(code):
            return True
        return code not in self.drop and (not self.select or code in self.select) and self.severity.get(code) != "off"

    def __call__(self, diags: list[Diagnostic]) -> list[Diagnostic]:
        if not diags:
            return diags
        out: list[Diagnostic] = []
        for d in diags:
            if not self.reports(d.code):
                continue
            override = None if always_on(d.code) else self.severity.get(d.code)
            out.append(d.with_severity(Severity(override)) if override else d)
        return out

