"""Rules: timeliness (see SPEC 7)."""
