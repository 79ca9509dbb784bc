"""Background work of the regulator app."""

from __future__ import annotations

from django_tasks import task

from companies.models import Company, ReportingPeriod
from regulator.services.assessments import assessments_run


@task()
def refresh_assessment(company_id: int, period_id: int) -> int:
    """Recompute one company's assessment for a period after its filing changed; returns versions touched."""
    company = Company.objects.get(pk=company_id)
    period = ReportingPeriod.objects.get(pk=period_id)
    return len(assessments_run(actor=None, period=period, companies=[company]))
