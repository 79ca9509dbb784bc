"""The base of every API view: sign-in, access, the rate limit, JSON in and out, visible_to querysets."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.exceptions import api_exception_handler
from core.api.parsers import PortalJSONParser
from core.api.permissions import PortalAccess
from core.api.throttling import APIKeyRateThrottle


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


ERROR = OpenApiResponse(ErrorSerializer, description="The reason, in words.")
INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Field name → list of messages; `non_field_errors` for the request as a whole."
)


class PortalAPIMixin:
    """What every endpoint shares. Each app's base view adds how callers sign in and answers ``caller_may``
    from its access rules (companies.api.views.CompanyAPIMixin)."""

    permission_classes = [PortalAccess]
    throttle_classes = [APIKeyRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [PortalJSONParser]

    def get_exception_handler(self):
        return api_exception_handler

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        # An error is JSON whatever the caller's Accept header chose (a CSV endpoint's 404 or 405 too), so a
        # program reads every refusal the same way.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def caller_may(self, request: Request) -> bool:
        """Whether a caller who is not the regulator's staff may make this request; refuses by default."""
        return False

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return self.queryset.none()
        return self.queryset.all().visible_to(self.request.user)

    def validated(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
