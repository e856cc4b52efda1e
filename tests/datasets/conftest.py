"""Fixtures of the data set tests (defined in toy_mirror.py): ``toy``, ``server`` and an isolated cache."""
from toy_mirror import isolated_env, server, toy  # noqa: F401
