"""Fixtures the companies tests share (the named actors are in tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture
def fresh_rate_limits():
    """Each test starts and ends with no request counted against any key (the throttle's cache)."""
    cache.clear()
    yield
    cache.clear()
