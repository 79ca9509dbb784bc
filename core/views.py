"""Pages that belong to no one app."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Generic, TypeVar

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults

from core import two_factor as tf
from core.refusals import is_api, refusal

T = TypeVar("T")


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- error pages: JSON for the API (its callers are programs), the portal's own pages elsewhere ------------


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Django could not read (handler400): a body over the limit is a 413 that says the limit."""
    if isinstance(exception, RequestDataTooBig):
        return refusal(request, status=413, message=(
            f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes, the most the portal "
            "reads outside a file upload."))
    if isinstance(exception, TooManyFieldsSent):
        return refusal(request, status=400, message=(
            f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} fields; no form of the portal "
            "needs that many."))
    if is_api(request):
        return refusal(request, status=400, message="The request could not be read; check its body and headers.")
    return defaults.bad_request(request, exception)


# The pages (templates/403.html, 404.html, 500.html) have the portal's look, say why in plain words, and link home
# and back to the page the person came from when it is one of the portal's own.


def _way_back(request: HttpRequest) -> str | None:
    """The page the person came from, when it is on this site and is not the page that failed."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                          require_https=request.is_secure()):
        return None
    return None if referer == request.build_absolute_uri() else referer


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: the API's refusals are JSON with their reason; a page says the reason in the portal's look."""
    if is_api(request):
        return refusal(request, status=403, message=str(exception) or "You may not do this.")
    # The refusal the code raised ("Only a supervisor edits the rulebook."), or a general one.
    reason = str(exception) if exception is not None and str(exception) else ""
    return render(request, "403.html", {"reason": reason, "back": _way_back(request)}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: an API address that matches no endpoint (such as /api/v1/filings/abc/) is a JSON 404."""
    if is_api(request):
        return refusal(request, status=404, message=(
            f"No API endpoint answers at {request.path}. Ids are whole numbers, such as /api/v1/filings/12/; "
            "every endpoint is listed at /api/docs/."))
    # Never says whether the thing exists for someone else (another company's filing is a 404 too).
    return render(request, "404.html", {"back": _way_back(request)}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a fault of the portal's; the API still answers in JSON."""
    if is_api(request):
        return refusal(request, status=500, message=(
            "The portal could not answer this request because of a fault on its side. Try again later; if it "
            "keeps failing, tell the regulator the time of the request."))
    # Rendered without the database or the context processors (either may be what failed), from the settings alone.
    back = None
    with suppress(Exception):  # a broken request (a host not allowed, say) must not stop the error page
        back = _way_back(request)
    page = loader.get_template("500.html").render({
        "portal_name": settings.PORTAL_NAME, "regulator_name": settings.PORTAL_REGULATOR_NAME, "back": back,
    })
    return HttpResponse(page, status=500)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a service call for a form post came to: whether it succeeded, and what it returned."""

    ok: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.ok


def perform(request: HttpRequest, action: Callable[[], T], *, success: str | Callable[[T], str] | None,
            form: forms.Form | None = None, refused: str = "") -> Outcome[T]:
    """Run one service call for a post whose page redirects: its ValidationError becomes an error message on
    the next page; success a success message (text, or made from what the service returned; None for none).

    With ``form``, the service runs only when the form is valid; otherwise its errors become the error
    message, after ``refused`` (such as "The narrative was not saved:").
    """
    if form is not None and not form.is_valid():
        if refused:  # say which field each problem is about
            messages.error(request, f"{refused} " + "; ".join(
                f"{form.fields[name].label if name in form.fields else 'the form'}: {' '.join(errors)}"
                for name, errors in form.errors.items()))
        else:
            messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return Outcome(ok=False)
    try:
        value = action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return Outcome(ok=False)
    if success is not None:
        messages.success(request, success(value) if callable(success) else success)
    return Outcome(ok=True, value=value)


def perform_form(form: forms.Form, action: Callable[[], T]) -> Outcome[T]:
    """Run one service call for a form that is shown again on failure: the service's ValidationError is put on
    the form, each message on its field (or on the whole form when the field is not on it)."""
    try:
        return Outcome(ok=True, value=action())
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            form.add_error(None, error.messages)
        return Outcome(ok=False)


CONFIRMED = "confirmed"  # the field a confirmation page adds to the post it repeats


def confirm_first(request: HttpRequest, *, title: str, consequence: str, button: str, back: str) -> HttpResponse | None:
    """Ask before an action that cannot be undone, without JavaScript: None once the post is confirmed;
    otherwise a page that says what will happen and repeats the post (its fields and ``confirmed``) when
    the person presses ``button``, with a way ``back`` that changes nothing."""
    if request.POST.get(CONFIRMED) == "yes":
        return None
    return render(request, "core/confirm.html", {"title": title, "consequence": consequence, "button": button,
                                                 "back": back, "fields": repeated_fields(request),
                                                 "action": request.path})


def repeated_fields(request: HttpRequest, *, leave_out: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The fields of a post, to be posted again from a confirmation or review page (hidden inputs)."""
    skip = {"csrfmiddlewaretoken", CONFIRMED, *leave_out}
    return [(name, value) for name, values in request.POST.lists() for value in values if name not in skip]


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
