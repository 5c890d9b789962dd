"""What kolplan shows of plans: the typed plan loader, list/owners rows, the plan document, the review, Jinja."""
