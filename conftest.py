"""Test set-up: one build per session, and nothing the tests run may write into the work tree."""

from __future__ import annotations

import pytest
from hypothesis import settings

# No example database: it would be written into the work tree as .hypothesis/.
settings.register_profile("project", database=None, deadline=None)
settings.load_profile("project")


@pytest.fixture(scope="session")
def built():
    """Every processed table, built from the committed raw files once per test session."""
    from analysis.build import build_all

    return build_all()


#: Fixtures that build the project or read every table: a test using one is not in the fast tier.
BUILDS = {"built", "tables_read", "built_charts", "copy", "prepared", "site"}


def pytest_collection_modifyitems(config, items):
    """Mark as slow every test that builds (``make test-unit`` runs the others, in seconds)."""
    for item in items:
        if BUILDS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
