"""How the API reads JSON: DRF's parser, with a depth limit and its refusals in words."""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A batch is {"items": [{...}]}: three levels. Anything much deeper is no request of the portal's; Python's
# parser would otherwise recurse until it gives up with a server error.
MAX_JSON_DEPTH = 10


def json_depth(value: Any, *, stop_at: int) -> int:
    """How many arrays and objects are nested in ``value`` (0 for a plain value); counting stops past ``stop_at``."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > stop_at:
            break
        pending.extend((child, level + 1) for child in children)
    return deepest


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


class PortalJSONParser(JSONParser):
    """JSON bodies of at most ``MAX_JSON_DEPTH`` levels, in UTF-8; every refusal is a 400 that says what to fix."""

    def parse(self, stream: IO[bytes] | None, media_type: str | None = None,
              parser_context: dict[str, Any] | None = None) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ParseError(f"The body is not UTF-8: byte 0x{raw[error.start]:02X} at position {error.start + 1:,} "
                             "cannot be read. Send JSON encoded as UTF-8.") from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(f"The JSON is nested too deeply to read; at most {MAX_JSON_DEPTH} levels of arrays "
                             "and objects are accepted.") from None
        except json.JSONDecodeError as error:
            raise ParseError(f"The body is not valid JSON: {error.msg} at line {error.lineno}, column "
                             f"{error.colno}.") from None
        except ValueError as error:
            if "is not a JSON number" in str(error):
                raise ParseError(f"The body is not valid JSON: {error}; send a number or null.") from None
            raise ParseError(f"The body has a number longer than {sys.get_int_max_str_digits():,} digits, which "
                             "cannot be read; no field of the API takes one.") from None
        depth = json_depth(data, stop_at=MAX_JSON_DEPTH)
        if depth > MAX_JSON_DEPTH:
            raise ParseError(f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep; at most "
                             f"{MAX_JSON_DEPTH} levels of arrays and objects are accepted.")
        return data

