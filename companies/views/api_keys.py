"""The officer's API key pages: list, create, rotate, revoke.

A new key is shown in the response to the request that made it and never again:
it is not put in the session or a message, because both are stored server-side.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from companies import access
from companies.forms import APIKeyForm, RevokeAPIKeyForm
from companies.models import CompanyAPIKey, MemberRole
from companies.selectors import company_api_keys
from companies.services import api_keys as api_key_services
from core.views import confirm_first, perform, perform_form

REFUSAL = "Only the compliance officer manages API keys."


def _own_key(request: HttpRequest, prefix: str) -> CompanyAPIKey:
    # Looked up within the user's company first: another company's key is a 404, not a 403.
    membership = access.member_or_404(request.user)
    api_key = get_object_or_404(company_api_keys(company=membership.company), prefix=prefix)
    access.require_role(membership, MemberRole.OFFICER, refusal=REFUSAL)
    return api_key


def _show_once(request: HttpRequest, api_key: CompanyAPIKey, key: str, *, rotated: CompanyAPIKey | None = None
               ) -> HttpResponse:
    response = render(request, "companies/api_key_shown.html", {"api_key": api_key, "key": key,
                                                                 "rotated": rotated})
    add_never_cache_headers(response)  # no browser or proxy may keep a copy of the key
    return response


@login_required
def api_key_list(request: HttpRequest) -> HttpResponse:
    membership = access.member_or_404(request.user)
    access.require_role(membership, MemberRole.OFFICER, refusal=REFUSAL)
    form = APIKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = perform_form(form, lambda: api_key_services.apikey_create(
            actor=request.user, company=membership.company, name=form.cleaned_data["name"]))
        if outcome:
            return _show_once(request, *outcome.value)
    return render(request, "companies/api_keys.html", {
        "company": membership.company, "keys": company_api_keys(company=membership.company), "form": form,
    })


@login_required
@require_POST
def api_key_rotate(request: HttpRequest, prefix: str) -> HttpResponse:
    old = _own_key(request, prefix)
    if (page := confirm_first(request, title=f"Replace the key {old.name!r} ({old.prefix})?",
                              consequence="A new key is made and shown once; the old key stops working at once, so "
                                          "every system that uses it must be given the new one.",
                              button="Yes, replace the key", back=reverse("api-key-list"))) is not None:
        return page
    outcome = perform(request, lambda: api_key_services.apikey_rotate(actor=request.user, api_key=old), success=None)
    if not outcome:
        return redirect("api-key-list")
    return _show_once(request, *outcome.value, rotated=old)


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    api_key = _own_key(request, prefix)
    if (page := confirm_first(request, title=f"Revoke the key {api_key.name!r} ({api_key.prefix})?",
                              consequence="Requests made with it are refused from now on.",
                              button="Yes, revoke the key", back=reverse("api-key-list"))) is not None:
        return page
    form = RevokeAPIKeyForm(request.POST)
    form.is_valid()
    perform(request, lambda: api_key_services.apikey_revoke(actor=request.user, api_key=api_key,
                                                            reason=form.cleaned_data.get("reason", "")),
            success=f"The key {api_key.name!r} ({api_key.prefix}) is revoked; requests made with it are refused "
                    "from now on.")
    return redirect("api-key-list")
