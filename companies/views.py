"""Company-side pages: registration, invitations, the company's members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from companies import services
from companies.forms import AcceptInvitationForm, InvitationForm, RegistrationForm, RemoveMemberForm
from companies.models import MemberRole, Membership
from companies.selectors import company_members, membership_for


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def registration_create(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_submit(data=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("registration-thanks")
    return render(request, "companies/registration_form.html", {"form": form})


def registration_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "companies/registration_thanks.html")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token=token)
    except ValidationError as error:
        return render(request, "companies/invitation_invalid.html", {"message": error.messages[0]}, status=410)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email,
                                initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome. You are now a member of {invitation.company}.")
            return redirect("home")
    return render(request, "companies/invitation_accept.html", {"form": form, "invitation": invitation})


def _membership_or_404(request: HttpRequest) -> Membership:
    membership = membership_for(user=request.user)
    if membership is None:
        raise Http404("You do not belong to a company.")
    return membership


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    membership = _membership_or_404(request)
    is_officer = membership.has_role(MemberRole.OFFICER)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not is_officer:
            raise PermissionDenied("Only the compliance officer may invite members.")
        if form.is_valid():
            try:
                services.invitation_create(actor=request.user, company=membership.company, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
                return redirect("member-list")
    invitations = membership.company.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    return render(request, "companies/member_list.html", {
        "company": membership.company,
        "members": company_members(company=membership.company),
        "invitations": invitations.order_by("-created_at") if is_officer else [],
        "is_officer": is_officer,
        "form": form,
    })


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    # The queryset is filtered first: another company's membership is a 404, not a 403.
    member = get_object_or_404(Membership.objects.visible_to(request.user).active(), pk=pk)
    own = _membership_or_404(request)
    if not own.has_role(MemberRole.OFFICER):
        raise PermissionDenied("Only the compliance officer may remove members.")
    form = RemoveMemberForm(request.POST)
    form.is_valid()
    try:
        services.membership_remove(actor=request.user, membership=member, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.user.email} no longer has access to {member.company}.")
    return redirect("member-list")
