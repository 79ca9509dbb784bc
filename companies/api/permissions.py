"""Who may do what through the API. Objects of another company never get this far:
every queryset is filtered by ``visible_to(user)`` first, so they are a 404."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from companies.models import MemberRole
from companies.selectors import membership_for
from companies.services.filings import require_company_role
from core import roles


class CompanyRole(BasePermission):
    """Reads: company members (own company) and regulator staff (everything, read-only).

    Writes: members whose role reaches the one the view names for the action in
    ``write_roles`` (officer when it names none). A refusal says which role is needed.
    """

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
        membership = membership_for(user=user)
        if membership is None:
            return False
        if request.method not in SAFE_METHODS:
            role = getattr(view, "write_roles", {}).get(view.action, MemberRole.OFFICER)
            require_company_role(user, membership.company, role)  # raises PermissionDenied with the reason
        return True
