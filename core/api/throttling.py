"""Rate limits: per API key (its prefix), else per signed-in user, else per address."""

from __future__ import annotations

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class APIKeyRateThrottle(SimpleRateThrottle):
    """``settings.PORTAL_API_RATE`` (such as "600/min") per key, counted in Django's default cache."""

    scope = "portal_api"

    def get_rate(self) -> str:
        # Read per request, so a deployment or a test can change it without a restart.
        return settings.PORTAL_API_RATE

    def get_cache_key(self, request: Request, view) -> str:
        prefix = getattr(request.auth, "prefix", None)  # an API key (companies.api.authentication)
        if prefix:
            ident = f"key:{prefix}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"addr:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
