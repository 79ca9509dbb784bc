"""A second factor for the regulator's staff: a code from an authenticator app (TOTP, django-otp).

Staff (analysts, supervisors, superusers) who signed in with their password reach
nothing but the two-factor page until they give a code; on their first sign-in that
page enrols their app. Company users are not asked (docs/DESIGN.md §2: TOTP for regulator
staff). ``PORTAL_STAFF_TOTP_REQUIRED`` turns the requirement off for a local demo.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import django_otp
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import roles
from core.audit import Action, audit_record

DEVICE_NAME = "Authenticator app"
# The only paths a staff member may reach before giving a code (exact matches; static files are served by
# WhiteNoise before any middleware of ours runs).
OPEN_PATHS = frozenset({"/accounts/two-factor/", "/accounts/logout/", "/healthz"})
ENROLMENT_SESSION_KEY = "portal_totp_enrolment"


def second_factor_required(user: AbstractBaseUser) -> bool:
    """Whether this user must give a code before using the portal."""
    return settings.PORTAL_STAFF_TOTP_REQUIRED and roles.is_staff_account(user)


class StaffSecondFactorMiddleware:
    """Sends staff who have not given a code this session to the two-factor page (after OTPMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (second_factor_required(user) and not user.is_verified()
                and request.path not in OPEN_PATHS):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Give the code from your authenticator app at "
                                               "/accounts/two-factor/ before using the API."}, status=403)
            return redirect(f"{reverse('two-factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def confirmed_device(*, user: AbstractBaseUser) -> TOTPDevice | None:
    """The user's enrolled authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def totp_enrolment_start(*, request: HttpRequest) -> TOTPDevice:
    """The device (a fresh secret) this session is enrolling.

    Each session gets its own secret, kept in the session: a second session of the same
    account (someone else who knows the password) never sees it, and starting an enrolment
    discards every other unfinished one of the user.
    """
    user = request.user
    device = TOTPDevice.objects.filter(pk=request.session.get(ENROLMENT_SESSION_KEY), user=user,
                                       confirmed=False).first()
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        request.session[ENROLMENT_SESSION_KEY] = device.pk
    return device


def _check(device: TOTPDevice, token: str) -> None:
    """Raise a specific error unless the token is the device's current code."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        # django-otp doubles the wait after each wrong code in a row.
        until = (details or {}).get("locked_until")
        wait = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
        raise ValidationError(f"Too many wrong codes in a row. Wait {wait} second{'s' if wait != 1 else ''}, then "
                              f"enter the code your app shows.")
    token = token.replace(" ", "")
    if not (token.isdigit() and len(token) == device.digits):
        raise ValidationError(f"Enter the {device.digits}-digit code your authenticator app shows.")
    if django_otp.verify_token(device.user, device.persistent_id, token) is None:
        raise ValidationError("That code did not match. Codes change every 30 seconds: enter the one your app "
                              "shows now, and check that your phone's clock is right.")


def totp_enrolment_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> TOTPDevice:
    """The first code from the app proves the user holds the secret: the device is enrolled and the session
    verified. Audited."""
    _check(device, token)  # outside the transaction below, so that a wrong code's throttling is kept
    with transaction.atomic():
        changed = TOTPDevice.objects.filter(pk=device.pk, confirmed=False).update(confirmed=True)
        if changed != 1:
            raise ValidationError("This authenticator is already set up; sign in with its code.")
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()  # other unfinished enrolments
        device.refresh_from_db()
        _verified(request, device)
        request.session.pop(ENROLMENT_SESSION_KEY, None)
        audit_record(actor=request.user, action=Action.AUTH_TWO_FACTOR_ENROLLED, obj=request.user,
                     after={"device": device.name})
    return device


def totp_session_verify(*, request: HttpRequest, device: TOTPDevice, token: str) -> None:
    """A code from the enrolled app verifies this session."""
    _check(device, token)
    device.refresh_from_db()
    _verified(request, device)


def _verified(request: HttpRequest, device: TOTPDevice) -> None:
    """Mark the session verified under a new session key, so a cookie seen before the code is worth nothing."""
    django_otp.login(request, device)
    request.session.cycle_key()


@transaction.atomic
def totp_device_reset(*, actor: AbstractBaseUser, user: AbstractBaseUser, reason: str) -> int:
    """A supervisor removes a staff member's authenticator (a lost phone); their next sign-in enrols a new one.

    Never one's own (a second person decides), always with a reason, audited. Sessions the member had
    verified with the removed device stop being verified at once. Returns the devices removed.
    """
    if not (actor.is_superuser or roles.is_supervisor(actor)):
        raise PermissionDenied("Only a supervisor resets a colleague's authenticator.")
    if actor.pk == user.pk:
        raise ValidationError("Ask another supervisor to reset your own authenticator.")
    if not roles.is_staff_account(user):
        raise ValidationError("Only the regulator's staff have an authenticator to reset.")
    if not reason.strip():
        raise ValidationError("Say why the authenticator is reset (for example, a lost phone).")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if not removed:
        raise ValidationError(f"{user.get_username()} has no authenticator to reset.")
    audit_record(actor=actor, action=Action.AUTH_TWO_FACTOR_RESET, obj=user, before={"devices": removed},
                 after={"devices": 0}, reason=reason.strip())
    return removed
