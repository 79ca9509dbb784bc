"""The company's members: everyone reads the list; the compliance officer invites and removes people."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from companies import access
from companies.forms import InvitationForm, RemoveMemberForm
from companies.models import MemberRole, Membership
from companies.selectors import company_members, open_invitations
from companies.services.members import invitation_create, membership_remove
from core.views import confirm_first, perform, perform_form

INVITE_REFUSAL = "Only the compliance officer may invite members."
REMOVE_REFUSAL = "Only the compliance officer may remove members."


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    membership = access.member_or_404(request.user)
    is_officer = membership.has_role(MemberRole.OFFICER)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        access.require_role(membership, MemberRole.OFFICER, refusal=INVITE_REFUSAL)
        if form.is_valid() and perform_form(form, lambda: invitation_create(
                actor=request.user, company=membership.company, **form.cleaned_data)):
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("member-list")
    return render(request, "companies/member_list.html", {
        "company": membership.company,
        "members": company_members(company=membership.company),
        "invitations": open_invitations(company=membership.company) if is_officer else [],
        "is_officer": is_officer,
        "form": form,
    })


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    # The queryset is filtered first: another company's membership is a 404, not a 403.
    member = get_object_or_404(Membership.objects.visible_to(request.user).active(), pk=pk)
    access.require_role(access.member_or_404(request.user), MemberRole.OFFICER, refusal=REMOVE_REFUSAL)
    if (page := confirm_first(request, title=f"Remove {member.user.email}?",
                              consequence=f"{member.user.email} loses access to {member.company} at once. They can "
                                          "only come back through a new invitation.",
                              button="Yes, remove them", back=reverse("member-list"))) is not None:
        return page
    form = RemoveMemberForm(request.POST)
    form.is_valid()
    perform(request, lambda: membership_remove(actor=request.user, membership=member,
                                               reason=form.cleaned_data.get("reason", "")),
            success=f"{member.user.email} no longer has access to {member.company}.")
    return redirect("member-list")
