"""Request-scoped context the services read without threading a request through every call, and the refusal
of requests that carry a NUL character."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict

from core.refusals import refusal

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind PORTAL_TRUSTED_PROXIES load balancers, the address they
    report in X-Forwarded-For (counted from the right, so a client cannot forge it)."""
    proxies = settings.PORTAL_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def current_client_ip() -> str | None:
    """The address of the request being served, or None outside a request (commands, tasks)."""
    return _client_ip.get()


class RequestContextMiddleware:
    """Remember the client address so audit events can record it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)


# --- NUL characters -------------------------------------------------------------------------------

NUL_REFUSED = "which the portal does not accept"
# A JSON string escape \u0000 that is not itself escaped (an odd number of backslashes before "u0000").
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_JSON_TYPES = ("application/json",)


def streams_upload(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a view that reads a file upload itself (to refuse an oversized body before reading it), so the NUL
    check does not parse its multipart body first. A NUL inside the file is the file validator's to report."""
    view.portal_streams_upload = True
    return view


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _header_name(key: str) -> str:
    return key.removeprefix("HTTP_").replace("_", "-").title()


def _nul_in_query(query: QueryDict) -> str | None:
    for name, values in query.lists():
        if "\x00" in name:
            return "a parameter name"
        if any("\x00" in value for value in values):
            return f"the parameter {name!r}"
    return None


class RefuseNulMiddleware:
    """Answers 400 to a request with a NUL character (0x00) in its address, query string, headers, JSON body or
    form fields, before anything reads it.

    PostgreSQL cannot store NUL in text and psycopg refuses to send it, so without this check such a value
    becomes a server error wherever it reaches a query (a filter, a lookup by id, a sign-in attempt). No field
    of the portal has a use for it. Files are different: a NUL inside an uploaded file is reported by the file
    validator as a row error, so multipart bodies are checked field by field and never for their files.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return refusal(request, status=400, message=(
                f"The address contains a NUL character (%00), {NUL_REFUSED}. Remove it from the address and try "
                "again."))
        where = _nul_in_query(request.GET)
        if where is not None:
            return refusal(request, status=400, message=(
                f"The query string has a NUL character (%00) in {where}, {NUL_REFUSED}. Remove it and try "
                "again."))
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                return refusal(request, status=400, message=(
                    f"The {_header_name(key)} header contains a NUL character, {NUL_REFUSED}."))
        if request.content_type in _JSON_TYPES or request.content_type.endswith("+json"):
            length = _content_length(request)
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return refusal(request, status=413, message=(
                    f"The JSON body is {length:,} bytes; at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes are "
                    "read. Send at most 1,000 items per batch, or upload a file instead."))
            body = request.body
            escaped = _JSON_NUL.search(body)
            at = [position for position in (body.find(b"\x00"), escaped.end() - 6 if escaped else -1) if position >= 0]
            if at:
                at = min(at)
                return refusal(request, status=400, message=(
                    f"The JSON body contains a NUL character (\\u0000) at byte {at:,}, {NUL_REFUSED}. Remove it "
                    "and send the request again."))
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any,
                     kwargs: Any) -> HttpResponse | None:
        # Form fields, after the view is known: a view that streams its own upload (and the API, which parses
        # its multipart bodies itself after checking their size) keeps its body unread.
        if request.content_type == "application/x-www-form-urlencoded" or (
                request.content_type == "multipart/form-data" and not getattr(view, "portal_streams_upload", False)
                and not getattr(view, "csrf_exempt", False)):
            where = _nul_in_query(request.POST)
            if where is not None:
                where = where.replace("parameter", "form field")
                return refusal(request, status=400, message=(
                    f"The form has a NUL character in {where}, {NUL_REFUSED}. Remove it and send the form again."))
        return None
