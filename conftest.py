"""The shared fixtures of tests/ (personas, mediation, extra_indicators, …) serve the tests that live in
the business lines' own folders (fazhi/lines/<code>/tests/) too. The real-server fixtures (`served`) come
from tests/serving.py, a plugin so that its session-wide database is made once for every folder using it."""

from tests.conftest import *  # noqa: F403

pytest_plugins = ["tests.serving"]
