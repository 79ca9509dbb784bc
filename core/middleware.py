"""Request-scoped context the services read without threading a request through every call."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
