"""Who may call the API. Objects a caller may not see never get this far: every queryset is filtered by
``visible_to(user)`` first, so they are a 404."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from core import roles


class PortalAccess(BasePermission):
    """Signed-in callers only. The regulator's staff read everything and write nothing; anyone else is
    answered by the view's ``caller_may(request)``, which asks its app's access rules."""

    message = "Only members of a registered company and the regulator's staff use this API."

    def has_permission(self, request: Request, view) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        if roles.is_regulator(user):
            if request.method in SAFE_METHODS:
                return True
            self.message = "Regulator staff have read-only access to the API."
            return False
        return view.caller_may(request)
