"""The validate engine: one file checked, the parallel runner, cross-plan rules, suppressions, the cache."""
