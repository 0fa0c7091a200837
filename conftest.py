"""Test set-up: nothing the tests run may write into the work tree."""

from __future__ import annotations

import os
import tempfile

from hypothesis import settings

from analysis.paths import FIGURES_REDIRECT_ENV

# No example database: it would be written into the work tree as .hypothesis/.
settings.register_profile("project", database=None, deadline=None)
settings.load_profile("project")


def pytest_configure(config):
    # Notebooks executed by nbval (and their kernels, which inherit the environment) write
    # their charts here instead of figures/.
    if FIGURES_REDIRECT_ENV not in os.environ:
        os.environ[FIGURES_REDIRECT_ENV] = tempfile.mkdtemp(prefix="titp-nbval-figures-")
