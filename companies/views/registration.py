"""Pages for people outside the portal yet: a platform asking to register, and a person accepting an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from companies.forms import AcceptInvitationForm, RegistrationForm
from companies.services.members import invitation_accept as accept
from companies.services.members import invitation_for_token
from companies.services.registrations import registration_submit
from core.views import perform_form


def registration_create(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and perform_form(
            form, lambda: registration_submit(data=form.cleaned_data)):
        return redirect("registration-thanks")
    return render(request, "companies/registration_form.html", {"form": form})


def registration_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "companies/registration_thanks.html")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_for_token(token=token)
    except ValidationError as error:
        return render(request, "companies/invitation_invalid.html", {"message": error.messages[0]}, status=410)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email,
                                initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        outcome = perform_form(form, lambda: accept(token=token, full_name=form.cleaned_data["full_name"],
                                                    password=form.cleaned_data["password1"]))
        if outcome:
            login(request, outcome.value, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome. You are now a member of {invitation.company}.")
            return redirect("home")
    return render(request, "companies/invitation_accept.html", {"form": form, "invitation": invitation})
