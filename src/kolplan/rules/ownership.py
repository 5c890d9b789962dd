"""Rules: ownership (see SPEC 7)."""
