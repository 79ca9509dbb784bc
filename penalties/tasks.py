"""Background work of the penalties app (django-tasks; `manage.py db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task

from companies.models import ReportingPeriod
from penalties.services.escalation import escalation_run


@task()
def escalate(company_id: int, period_id: int) -> int:
    """Propose the cases a company's newly final assessment calls for; returns the cases proposed."""
    return len(escalation_run(actor=None, period=ReportingPeriod.objects.get(pk=period_id),
                              company_ids=[company_id]).created)
