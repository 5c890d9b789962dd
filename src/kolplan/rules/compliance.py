"""Rules: compliance (see SPEC 7)."""
