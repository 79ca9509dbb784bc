"""Who is calling: ``Authorization: Api-Key <key>`` for platforms, or a signed-in session.

A request made with a key acts as the officer who created the key, so the services'
own role checks apply unchanged. The key stops working the moment it is revoked or
rotated, expires, or its creator stops being an active officer of its company.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework_api_key.permissions import KeyParser

from companies import access
from companies.models import CompanyAPIKey, CompanyStatus
from companies.services.api_keys import apikey_touch
from core.formatting import moment_text

ASK_OFFICER = "Ask your compliance officer for a current key (Company → API keys)."


def _when(moment) -> str:
    return moment_text(moment)


def key_holder(*, key: str) -> tuple[AbstractBaseUser, CompanyAPIKey]:
    """The officer a key acts as, and the key; or AuthenticationFailed saying exactly why not."""
    prefix, _, _ = key.partition(".")
    api_key = (CompanyAPIKey.objects.select_related("company", "created_by")
               .filter(prefix=prefix).first() if prefix else None)
    # Verify the secret before telling the caller anything about the key.
    if api_key is None or not api_key.is_valid(key):
        raise exceptions.AuthenticationFailed(
            f"This API key is not valid. Check that you sent the whole key after 'Api-Key '. {ASK_OFFICER}"
        )
    if api_key.revoked or api_key.revoked_at is not None:
        how = "replaced by a new key" if api_key.replaced_by_id else "revoked"
        when = f" on {_when(api_key.revoked_at)}" if api_key.revoked_at else ""
        raise exceptions.AuthenticationFailed(f"This API key was {how}{when} and no longer works. {ASK_OFFICER}")
    if api_key.has_expired:
        raise exceptions.AuthenticationFailed(f"This API key expired on {_when(api_key.expiry_date)}. {ASK_OFFICER}")
    if api_key.company.status != CompanyStatus.ACTIVE:
        raise exceptions.AuthenticationFailed(
            f"{api_key.company} is {api_key.company.get_status_display().lower()}, so its API keys do not work. "
            "Contact the regulator."
        )
    user = api_key.created_by
    if not access.api_key_acts_for(user, api_key.company):
        raise exceptions.AuthenticationFailed(
            f"The person who created this API key is no longer a compliance officer of {api_key.company}, "
            f"so the key no longer works. {ASK_OFFICER}"
        )
    return user, api_key


class CompanyAPIKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <prefix>.<secret>``; request.user is the key's creator, request.auth the key."""

    keyword = KeyParser.keyword

    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, CompanyAPIKey] | None:
        key = KeyParser().get_from_authorization(request)
        if key is None:
            return None  # no key: let session authentication try
        if not key.strip():
            raise exceptions.AuthenticationFailed("The Authorization header says 'Api-Key' but carries no key.")
        user, api_key = key_holder(key=key.strip())
        apikey_touch(api_key=api_key)
        return user, api_key

    def authenticate_header(self, request: Request) -> str:
        # Makes an unauthenticated request a 401 that names the scheme to use.
        return self.keyword


class CompanyAPIKeyScheme(OpenApiAuthenticationExtension):
    """Describes the key header in the OpenAPI schema."""

    target_class = CompanyAPIKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Send `Authorization: Api-Key <key>`. The request acts as the compliance officer "
                           "who created the key.",
        }
