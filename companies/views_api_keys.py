"""The officer's API key pages: list, create, rotate, revoke.

A new key is shown in the response to the request that made it and never again:
it is not put in the session or a message, because both are stored server-side.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from companies.forms import APIKeyForm, RevokeAPIKeyForm
from companies.models import CompanyAPIKey, MemberRole, Membership
from companies.selectors import company_api_keys
from companies.services import api_keys as api_key_services
from companies.views import _apply_errors, _membership_or_404


def _require_officer(membership: Membership) -> None:
    if not membership.has_role(MemberRole.OFFICER):
        raise PermissionDenied("Only the compliance officer manages API keys.")


def _own_key(request: HttpRequest, prefix: str) -> CompanyAPIKey:
    # Looked up within the user's company first: another company's key is a 404, not a 403.
    membership = _membership_or_404(request)
    api_key = get_object_or_404(company_api_keys(company=membership.company), prefix=prefix)
    _require_officer(membership)
    return api_key


def _show_once(request: HttpRequest, api_key: CompanyAPIKey, key: str, *, rotated: CompanyAPIKey | None = None
               ) -> HttpResponse:
    response = render(request, "companies/api_key_shown.html", {"api_key": api_key, "key": key,
                                                                 "rotated": rotated})
    add_never_cache_headers(response)  # no browser or proxy may keep a copy of the key
    return response


@login_required
def api_key_list(request: HttpRequest) -> HttpResponse:
    membership = _membership_or_404(request)
    _require_officer(membership)
    form = APIKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api_key, key = api_key_services.apikey_create(
                actor=request.user, company=membership.company, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _show_once(request, api_key, key)
    return render(request, "companies/api_keys.html", {
        "company": membership.company, "keys": company_api_keys(company=membership.company), "form": form,
    })


@login_required
@require_POST
def api_key_rotate(request: HttpRequest, prefix: str) -> HttpResponse:
    old = _own_key(request, prefix)
    try:
        api_key, key = api_key_services.apikey_rotate(actor=request.user, api_key=old)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("api-key-list")
    return _show_once(request, api_key, key, rotated=old)


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    api_key = _own_key(request, prefix)
    form = RevokeAPIKeyForm(request.POST)
    form.is_valid()
    try:
        api_key_services.apikey_revoke(actor=request.user, api_key=api_key,
                                       reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The key {api_key.name!r} ({api_key.prefix}) is revoked; requests made with "
                                  "it are refused from now on.")
    return redirect("api-key-list")
