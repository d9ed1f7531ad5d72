"""Hypothesis settings for the fuzz and property-based tests.

CI runs the "ci" profile: a bounded, derandomised number of examples, so a run is as
fast and as repeatable as any other test. `HYPOTHESIS_PROFILE=explore` draws many more
examples with a fresh seed each run, for an afternoon of hunting.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

COMMON = {
    "deadline": None,
    # Examples share the data a test set up once: the requests only read it.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No example database in the work tree: CI starts from a clean checkout anyway.
    "database": None,
}
settings.register_profile("ci", max_examples=60, derandomize=True, **COMMON)
settings.register_profile("explore", max_examples=2000, **COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
