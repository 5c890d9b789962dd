"""Load and check ``kolplan.yaml`` (SPEC 3): the model, and the checks a model cannot make
(a person's department exists, rule codes under ``rules:`` are known and switchable)."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
from collections.abc import Iterator
from pathlib import Path

from kolplan.diagnostics import Diagnostic, reading_diagnostic
from kolplan.errors import ConfigError
from kolplan.repo.files import read_config_bytes
from kolplan.rules import lookup
from kolplan.rules.registry import unknown_rule_hint
from kolplan.schema import Config
from kolplan.schema.parse import parse_model


def load_config(path: Path, shown: str) -> tuple[Config, str]:
    """Parse and check ``kolplan.yaml``; raise :class:`ConfigError` with positioned diagnostics."""
    try:
        data = read_config_bytes(path)
    except OSError as exc:
        raise ConfigError(f"cannot read {shown}: {exc.strerror or exc}") from None
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    parsed, diags = parse_model(shown, data, Config)
    if parsed is None:
        raise _config_error(shown, [_empty_hint(d) for d in diags])
    config, res = parsed.model, parsed.document
    for loc, message in _semantic_problems(config):
        # a rule code under rules.severity is a key: point at it, not at its value
        line, col = res.position(loc, "key" if loc[:2] == ("rules", "severity") else "value")
        diags.append(reading_diagnostic(shown, line, col, "KP010", message))
    if diags:
        raise _config_error(shown, diags)
    return config, digest


def _semantic_problems(config: Config) -> Iterator[tuple[tuple[str | int, ...], str]]:
    departments = list(config.departments)
    for handle, person in config.people.items():
        if person.department not in config.departments:
            guess = difflib.get_close_matches(person.department, departments, n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else f"departments are: {', '.join(departments)}"
            yield (("people", handle, "department"),
                   f"person {handle} is in department '{person.department}', which is not defined under "
                   f"departments ({hint})")
    for i, code in enumerate(config.rules.ignore):
        if lookup(code) is None:
            yield (("rules", "ignore", i), f"rules.ignore: unknown rule '{code}' ({unknown_rule_hint(code)})")
    for code in config.rules.severity:
        rule = lookup(code)
        if rule is None:
            yield (("rules", "severity", code), f"rules.severity: unknown rule '{code}' ({unknown_rule_hint(code)})")
        elif rule.always_on:
            yield (("rules", "severity", code), f"rules.severity: {rule.code} {rule.name} is a reading or schema "
                                                 "rule, always reported at its own severity: remove it")
    for i, code in enumerate(config.rules.ignore):
        rule = lookup(code)
        if rule is not None and rule.always_on:
            yield (("rules", "ignore", i), f"rules.ignore: {rule.code} {rule.name} is a reading or schema rule "
                                            "and cannot be switched off: remove it")


def _config_error(shown: str, diags: list[Diagnostic]) -> ConfigError:
    n = len(diags)
    return ConfigError(f"{shown} has {n} problem{'s' if n != 1 else ''}: fix {'them' if n != 1 else 'it'} "
                       "and run again", diagnostics=sorted(diags, key=Diagnostic.sort_key))



def _empty_hint(d: Diagnostic) -> Diagnostic:
    """An empty ``kolplan.yaml`` is told what it needs at least."""
    if d.code == "KP003" and d.message.startswith("file is empty"):
        return dataclasses.replace(d, message="file is empty: kolplan.yaml needs at least schema: kolplan/v1 and "
                                   "organization: (see kolplan init)")
    return d
