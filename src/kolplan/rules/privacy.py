"""Rules: privacy (see SPEC 7)."""
