"""kolplan: plan, lint and report Key Opinion Leader engagement plans kept as YAML in git."""

__version__ = "0.1.0"
