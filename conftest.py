"""The shared fixtures of tests/ (personas, mediation, extra_indicators, …) serve the tests that live in
the business lines' own folders (fazhi/lines/<code>/tests/) too."""

from tests.conftest import *  # noqa: F403
