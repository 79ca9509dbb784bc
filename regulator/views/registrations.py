"""Registration requests: analysts read them; a supervisor approves or rejects."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from companies import access as company_access
from companies.forms import RejectRegistrationForm
from companies.models import RegistrationRequest, RegistrationStatus
from companies.services.registrations import registration_approve as approve
from companies.services.registrations import registration_reject as reject
from core.views import confirm_first, perform
from regulator import access


@login_required
def registration_list(request: HttpRequest) -> HttpResponse:
    access.require_staff(request.user)
    requests = RegistrationRequest.objects.visible_to(request.user).select_related("decided_by")
    status = request.GET.get("status", RegistrationStatus.PENDING)
    if status in RegistrationStatus.values:
        requests = requests.filter(status=status)
    return render(request, "regulator/registration_list.html", {"requests": requests[:200], "status": status})


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    registration = get_object_or_404(RegistrationRequest.objects.visible_to(request.user), pk=pk)
    return render(request, "regulator/registration_detail.html", {
        "registration": registration,
        "reject_form": RejectRegistrationForm(),
        "can_decide": company_access.DECIDE_REGISTRATION.allows(request.user),
    })


@login_required
@require_POST
def registration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    registration = get_object_or_404(RegistrationRequest.objects.visible_to(request.user), pk=pk)
    company_access.DECIDE_REGISTRATION.require(request.user)
    back = reverse("registration-detail", args=[pk])
    if (page := confirm_first(request, title=f"Approve the registration of {registration.legal_name}?",
                              consequence=f"{registration.legal_name} becomes a registered company from today and "
                                          f"its officer, {registration.officer_email}, is e-mailed an invitation.",
                              button="Yes, approve the registration", back=back)) is not None:
        return page
    outcome = perform(request, lambda: approve(actor=request.user, request_id=registration.pk),
                      success=lambda made: f"{made[0]} is registered; an invitation was e-mailed to "
                                           f"{made[1].email}.")
    if not outcome:
        return redirect("registration-detail", pk=pk)
    company, _invitation = outcome.value
    return redirect("staff-company-detail", slug=company.slug)


@login_required
@require_POST
def registration_reject(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    registration = get_object_or_404(RegistrationRequest.objects.visible_to(request.user), pk=pk)
    company_access.DECIDE_REGISTRATION.require(request.user)
    form = RejectRegistrationForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    back = reverse("registration-detail", args=[pk])
    if reason and (page := confirm_first(request, title=f"Reject the registration of {registration.legal_name}?",
                                         consequence=f"{registration.officer_email} is told it was rejected, with "
                                                     f"your reason: “{reason}”",
                                         button="Yes, reject the registration", back=back)) is not None:
        return page
    outcome = perform(request, lambda: reject(actor=request.user, request_id=registration.pk, reason=reason),
                      success=f"The request from {registration.legal_name} was rejected.")
    return redirect("registration-list") if outcome else redirect("registration-detail", pk=pk)
