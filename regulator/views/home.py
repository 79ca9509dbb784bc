"""One address, three audiences: the public landing, a company's desk, the regulator's work queue."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from companies.access import membership_for
from companies.selectors import open_periods, recent_periods
from regulator import access
from regulator.selectors import pending_registrations


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if access.is_staff(user):
        return render(request, "regulator/work_queue.html", {
            "pending_registrations": pending_registrations(user=user)[:20],
            "open_periods": open_periods(today=timezone.localdate()),
        })
    membership = membership_for(user=user)
    if membership is not None:
        today = timezone.localdate()
        return render(request, "companies/dashboard.html", {
            "membership": membership,
            "company": membership.company,
            "open_periods": open_periods(today=today),
            "recent_periods": recent_periods(today=today, count=8),
        })
    return render(request, "regulator/public_home.html", {"rankings": [], "datasets": []})
