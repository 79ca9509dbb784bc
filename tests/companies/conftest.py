"""Fixtures the companies tests share (the named actors are in tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.companies.factories import FilingFactory, ReportingPeriodFactory


@pytest.fixture
def fresh_rate_limits():
    """Each test starts and ends with no request counted against any key (the throttle's cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def period(db):
    """2026-Q2 (ended): a test file may define its own."""
    return ReportingPeriodFactory(year=2026, quarter=2)


@pytest.fixture
def draft(company_a, period):
    """Company A's draft for ``period``."""
    return FilingFactory(company=company_a, period=period)
