"""YAML in and out: the fast positioned reader, the comment-keeping editor, atomic writes."""
