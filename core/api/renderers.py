"""Renderers beyond JSON: the CSV error report."""

from __future__ import annotations

from typing import Any

from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    """Lets a client ask for ``text/csv``. The report itself is streamed from storage as it is, and errors are
    rendered as JSON whatever was asked for (core.api.base); this renders anything else as one line of text."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        detail = data.get("detail", data) if isinstance(data, dict) else data
        return f"{detail}\n".encode()
