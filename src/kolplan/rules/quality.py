"""Rules: quality (see SPEC 7)."""
