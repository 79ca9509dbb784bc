"""Sortable table columns: one helper for every list whose headers sort it (aria-sort and the link to follow)."""

from __future__ import annotations

from typing import NamedTuple


class SortHeader(NamedTuple):
    """A sortable column's state for ``aria-sort`` (ascending, descending or none) and the ``o`` value its
    header links to: the other direction when it is the sorted column, else its first direction."""

    state: str
    link: str


def sort_headers(current: str, columns: dict[str, str], *, default: str = "") -> dict[str, SortHeader]:
    """Each column's header, given the requested ordering ``current`` (``"-score"``; empty for ``default``).

    ``columns`` maps each column's key to the ordering its header asks for first ("company" sorts A to Z
    first, "-score" highest first). An ordering not among the columns leaves every column unsorted.
    """
    current = current or default
    headers = {}
    for key, first in columns.items():
        if current.lstrip("-") == key:
            descending = current.startswith("-")
            headers[key] = SortHeader("descending" if descending else "ascending", key if descending else f"-{key}")
        else:
            headers[key] = SortHeader("none", first)
    return headers
