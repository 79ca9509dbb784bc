"""The viewer's company membership, for navigation."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from companies.access import membership_for


def membership(request: HttpRequest) -> dict:
    return {"membership": SimpleLazyObject(lambda: membership_for(user=request.user))}
