"""The home page for every role, and the regulator's staff pages."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from companies import services as company_services
from companies.forms import RejectRegistrationForm
from companies.models import Company, RegistrationRequest
from companies.selectors import company_members, membership_for, open_periods, recent_periods
from core import roles
from core.models import AuditEvent
from core.templatetags.numbers import plain
from core.two_factor import totp_device_reset
from core.views import perform
from regulator.charts import metric_history_charts, score_history_chart
from regulator.dashboards import company_history
from regulator.metrics import CORE_KEYS
from regulator.selectors import company_overview, pending_registrations, staff_members


def home(request: HttpRequest) -> HttpResponse:
    """One address, three audiences: the public landing, a company's desk, the regulator's work queue."""
    user = request.user
    if roles.is_regulator(user):
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


def _staff_only(request: HttpRequest) -> None:
    if not roles.is_regulator(request.user):
        raise PermissionDenied("This page is for the regulator's staff.")


@login_required
def registration_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    requests = RegistrationRequest.objects.visible_to(request.user).select_related("decided_by")
    status = request.GET.get("status", "pending")
    if status in {"pending", "approved", "rejected"}:
        requests = requests.filter(status=status)
    return render(request, "regulator/registration_list.html", {"requests": requests[:200], "status": status})


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    registration = get_object_or_404(RegistrationRequest.objects.visible_to(request.user), pk=pk)
    return render(request, "regulator/registration_detail.html", {
        "registration": registration,
        "reject_form": RejectRegistrationForm(),
        "can_decide": roles.is_supervisor(request.user),
    })


@login_required
@require_POST
def registration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    registration = get_object_or_404(RegistrationRequest.objects.visible_to(request.user), pk=pk)
    try:
        company, invitation = company_services.registration_approve(actor=request.user, request_id=registration.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registration-detail", pk=pk)
    messages.success(request, f"{company} is registered; an invitation was e-mailed to {invitation.email}.")
    return redirect("staff-company-detail", slug=company.slug)


@login_required
@require_POST
def registration_reject(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    registration = get_object_or_404(RegistrationRequest.objects.visible_to(request.user), pk=pk)
    form = RejectRegistrationForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        company_services.registration_reject(actor=request.user, request_id=registration.pk, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registration-detail", pk=pk)
    messages.success(request, f"The request from {registration.legal_name} was rejected.")
    return redirect("registration-list")


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    companies = company_overview(user=request.user)
    tier = request.GET.get("tier")
    if tier in {"A", "B", "C"}:
        companies = companies.filter(size_tier=tier)
    page = Paginator(companies, 100).get_page(request.GET.get("page"))
    return render(request, "regulator/company_list.html", {"companies": page, "page": page, "tier": tier})


@login_required
def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _staff_only(request)
    company = get_object_or_404(Company.objects.visible_to(request.user), slug=slug)
    history = AuditEvent.objects.filter(object_type="companies.company", object_id=str(company.pk))[:50]
    metrics = company_history(company=company)
    filings = company.filings.select_related("period").order_by("-period__start", "-version")[:40]
    return render(request, "regulator/company_detail.html", {
        "company": company, "members": company_members(company=company), "history": history,
        "metrics": metrics, "charts": metric_history_charts(metrics), "core_count": len(CORE_KEYS),
        "score_chart": score_history_chart(metrics),
        "filings": filings,
    })


@login_required
def company_metrics_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The data of the company page's charts: each metric and the score, per period."""
    _staff_only(request)
    company = get_object_or_404(Company.objects.visible_to(request.user), slug=slug)
    metrics = company_history(company=company)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{company.slug}-metrics.csv"'
    writer = csv.writer(response)
    writer.writerow(["period", "metric", "label", "value", "threshold", "passed"])
    for index, period in enumerate(metrics.periods):
        for key, label, cells in metrics.rows:
            value, passed, threshold = cells[index]
            writer.writerow([period, key, label, _plain(value), _plain(threshold),
                             "" if passed is None else "yes" if passed else "no"])
        writer.writerow([period, "score", "Score", _plain(metrics.scores[index]), "", ""])
    return response


def _plain(number: Decimal | None) -> str:
    """A stored decimal without its padding zeros (0.750000 → 0.75, 100.0000 → 100); empty for none."""
    return "" if number is None else plain(number)


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """Supervisors see the staff and whether each has set up an authenticator, and can reset one."""
    _staff_only(request)
    if not roles.is_supervisor(request.user):
        raise PermissionDenied("Only a supervisor manages the staff's authenticators.")
    return render(request, "regulator/staff_list.html", {"staff": staff_members()})


@login_required
@require_POST
def staff_authenticator_reset(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    member = get_object_or_404(staff_members(), pk=pk)
    perform(request, lambda: totp_device_reset(actor=request.user, user=member, reason=request.POST.get("reason", "")),
            success=f"The authenticator of {member.get_username()} is removed; they set up a new one at their next "
                    "sign-in.")
    return redirect("staff-list")
