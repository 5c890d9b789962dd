"""The repository on disk: its root and kolplan.yaml, plan files (found, read, looked up by id) and git."""
