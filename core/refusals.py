"""How the portal refuses a request before any view could answer it: a 4xx or 5xx with a plain message.

The API's callers are programs, so anything under /api/ is answered in JSON (``{"detail": message}``, the shape
DRF's own errors have); a person in a browser gets a short page of its own that needs nothing from the
request (no session, no signed-in user), since it is also shown for requests refused before those are read.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

API_PREFIX = "/api/"

TITLES = {
    400: "The request was refused",
    404: "Page not found",
    405: "Method not allowed",
    413: "The request is too large",
    500: "Something went wrong on our side",
}


def is_api(request: HttpRequest) -> bool:
    """Whether the request is for the API (whose callers expect JSON, whatever went wrong)."""
    return request.path_info.startswith(API_PREFIX)


def refusal(request: HttpRequest, *, status: int, message: str) -> HttpResponse:
    """The refusal of ``request`` with ``status`` and ``message``: JSON for the API, a short page otherwise."""
    if is_api(request):
        return JsonResponse({"detail": message}, status=status)
    html = render_to_string("core/refused.html", {"title": TITLES.get(status, "The request was refused"),
                                                  "message": message})
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
