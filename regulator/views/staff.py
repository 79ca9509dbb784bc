"""Supervisors see the staff and whether each has set up an authenticator, and reset a colleague's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.two_factor import totp_device_reset
from core.views import perform
from regulator import access
from regulator.selectors import staff_members


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    access.require_staff(request.user)
    access.require_manage_staff(request.user)
    return render(request, "regulator/staff_list.html", {"staff": staff_members()})


@login_required
@require_POST
def staff_authenticator_reset(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    member = get_object_or_404(staff_members(), pk=pk)
    perform(request, lambda: totp_device_reset(actor=request.user, user=member, reason=request.POST.get("reason", "")),
            success=f"The authenticator of {member.get_username()} is removed; they set up a new one at their next "
                    "sign-in.")
    return redirect("staff-list")
