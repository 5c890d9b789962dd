"""Writing plans: init, new, and the round-trip editing commands (log, score, feedback)."""
