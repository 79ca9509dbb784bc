"""Template context every page needs: the portal's name and the viewer's role."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from core import roles
from core.two_factor import second_factor_required


def portal(request: HttpRequest) -> dict:
    """The portal's names, and the navigation flags: which staff links the viewer sees."""
    user = request.user
    # Until staff have given their authenticator code, their pages are out of reach: no links to them.
    waiting = second_factor_required(user) and not user.is_verified()
    return {
        "portal_name": settings.PORTAL_NAME,
        "regulator_name": settings.PORTAL_REGULATOR_NAME,
        "is_regulator": roles.is_regulator(user) and not waiting,
        "is_supervisor": roles.is_supervisor(user) and not waiting,
    }
