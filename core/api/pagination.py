"""How lists are paged: ``limit`` and ``offset``, checked, with a maximum page size."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

MAX_LIMIT = 1_000
# Far beyond any list the portal keeps, and safely inside PostgreSQL's bigint for OFFSET.
MAX_OFFSET = 1_000_000_000
_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}").fullmatch  # ASCII digits only: int() also reads "١٢" and "1_0"


def _whole_number(request: Request, name: str, *, low: int, high: int | None, default: int, words: str) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    value = int(raw) if _WHOLE_NUMBER(raw) else None
    if value is None or value < low or (high is not None and value > high):
        raise ValidationError({name: [f"{name} must be {words}; {raw[:40]!r} is not."]})
    return value


class PortalPagination(LimitOffsetPagination):
    """DRF's limit/offset paging, strict about its two numbers: anything but a whole number in range is a 400
    that says what is allowed, instead of being silently replaced by the default. A ``limit`` above the
    maximum is capped at it (the response's ``next`` link goes on from there), as the schema says."""

    default_limit = settings.REST_FRAMEWORK["PAGE_SIZE"]
    max_limit = MAX_LIMIT

    def get_limit(self, request: Request) -> int:
        limit = _whole_number(request, self.limit_query_param, low=1, high=None, default=self.default_limit,
                              words=f"a whole number from 1 up (above {MAX_LIMIT:,} counts as {MAX_LIMIT:,})")
        return min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        return _whole_number(request, self.offset_query_param, low=0, high=MAX_OFFSET, default=0,
                             words=f"a whole number from 0 to {MAX_OFFSET:,}")

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {"name": self.limit_query_param, "required": False, "in": "query",
             "description": f"How many results to return: a whole number from 1 (default {self.default_limit}). "
                            f"A limit above {MAX_LIMIT:,} is capped at {MAX_LIMIT:,}; follow `next` for the rest. "
                            "Anything else is refused with 400.",
             "schema": {"type": "integer", "minimum": 1}},
            {"name": self.offset_query_param, "required": False, "in": "query",
             "description": f"How many results to skip: a whole number from 0 to {MAX_OFFSET:,} (default 0). "
                            "Anything else is refused with 400.",
             "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}},
        ]
