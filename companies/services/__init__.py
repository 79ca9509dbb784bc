"""Every write about companies lives in this package: people.py (registration, invitations,
members, periods), filings.py (filings, uploads, items) and api_keys.py (integration keys).
Views, the API, tasks and commands call these functions; nothing else writes."""

from companies.services.people import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    membership_remove,
    periods_ensure,
    registration_approve,
    registration_reject,
    registration_submit,
)

__all__ = [
    "invitation_accept",
    "invitation_create",
    "invitation_for_token",
    "membership_remove",
    "periods_ensure",
    "registration_approve",
    "registration_reject",
    "registration_submit",
]
