"""One address, three audiences: the public landing, a company's desk, the regulator's work queue."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from companies.access import membership_for
from companies.models import MemberRole
from companies.selectors import company_filings_by_period, open_periods
from regulator import access
from regulator.models import Assessment
from regulator.selectors import work_queue


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if access.is_staff(user):
        today = timezone.localdate()
        return render(request, "regulator/work_queue.html", {
            "queue": work_queue(user=user, today=today),
            "open_periods": open_periods(today=today),
        })
    membership = membership_for(user=user)
    if membership is not None:
        company = membership.company
        rows = company_filings_by_period(company=company, today=timezone.localdate()).rows
        return render(request, "companies/dashboard.html", {
            "membership": membership,
            "company": company,
            "rows": rows[:8],
            "due_rows": [row for row in rows if row.due_now],
            "overdue_rows": [row for row in rows if row.overdue],
            "can_file": membership.has_role(MemberRole.SUBMITTER),
            "latest_assessment": Assessment.objects.filter(company=company).final().select_related("period")
            .order_by("-period__start", "-version").first(),
        })
    return render(request, "regulator/public_home.html", {"rankings": [], "datasets": []})
