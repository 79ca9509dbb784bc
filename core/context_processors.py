"""Template context every page needs: the portal's name and the viewer's role."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from core import roles


def portal(request: HttpRequest) -> dict:
    user = request.user
    return {
        "portal_name": settings.PORTAL_NAME,
        "regulator_name": settings.PORTAL_REGULATOR_NAME,
        "is_regulator": roles.is_regulator(user),
        "is_supervisor": roles.is_supervisor(user),
    }
