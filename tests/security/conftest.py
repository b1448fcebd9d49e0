"""The served fixtures live in tests/serving.py (shared with tests/browser/); the names stay importable here."""

from tests.serving import REPO, SECRET, Served, fazhi_command, free_port, server_env

__all__ = ["REPO", "SECRET", "Served", "fazhi_command", "free_port", "server_env"]
