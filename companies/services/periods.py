"""Reporting periods: the calendar quarters companies report on, created up to today."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from companies.models import ReportingPeriod
from core import calendar
from core.audit import Action, audit_record


@transaction.atomic
def periods_ensure(*, today: dt.date, first: str | None = None) -> list[ReportingPeriod]:
    """Create every quarter from ``first`` (PORTAL_FIRST_PERIOD) up to the one containing ``today``.

    Idempotent: existing periods are left alone; returns only the ones created.
    """
    year, quarter = calendar.parse_quarter_code(first or settings.PORTAL_FIRST_PERIOD)
    created: list[ReportingPeriod] = []
    while True:
        start, end = calendar.quarter_bounds(year, quarter)
        if start > today:
            break
        period, was_created = ReportingPeriod.objects.get_or_create(
            year=year, quarter=quarter,
            defaults={
                "code": calendar.quarter_code(year, quarter), "start": start, "end": end,
                "due_date": end + dt.timedelta(days=settings.PORTAL_FILING_DUE_DAYS),
            },
        )
        if was_created:
            audit_record(actor=None, action=Action.PERIOD_CREATED, obj=period,
                         after={"code": period.code, "due_date": period.due_date})
            created.append(period)
        year, quarter = calendar.next_quarter(year, quarter)
    return created
