"""Pages that belong to no one app."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from core import two_factor as tf


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def perform(request: HttpRequest, action: Callable[[], object], *, success: str) -> bool:
    """Run one service call for a form post: its ValidationError becomes an error message on the next
    page, success a success message. Returns whether it succeeded."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Give the code from the authenticator app; on the first visit, enrol the app."""
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    if request.user.is_verified() or not tf.second_factor_required(request.user):
        return redirect(target)
    device = tf.confirmed_device(user=request.user)
    enrolling = device is None
    if enrolling:
        device = tf.totp_enrolment_start(request=request)
    error = None
    if request.method == "POST":
        token = request.POST.get("token", "")
        try:
            if enrolling:
                tf.totp_enrolment_confirm(request=request, device=device, token=token)
            else:
                tf.totp_session_verify(request=request, device=device, token=token)
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            return redirect(target)
    context = {"enrolling": enrolling, "error": error, "next": target}
    if enrolling:
        secret = b32encode(device.bin_key).decode()
        context |= {
            "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
            "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code of the secret key"),
        }
    return render(request, "core/two_factor.html", context, status=400 if error else 200)
