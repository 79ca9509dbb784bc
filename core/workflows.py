"""The one way a workflow moves: check the model's table of allowed moves, then compare-and-set.

Every workflow model declares ``TRANSITIONS``, a mapping of each status to the statuses it
may move to. ``transition()`` refuses a move the table does not allow, then updates the row
only if it still has the status the caller read, so two people acting at once cannot both
move it: exactly one row changes, or nothing does and the caller is told why.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models


def allowed_moves(model: type[models.Model]) -> dict[str, set[str]]:
    """The model's table of allowed moves (status → statuses it may move to)."""
    table = getattr(model, "TRANSITIONS", None)
    if table is None:
        raise ImproperlyConfigured(f"{model.__name__} declares no TRANSITIONS table.")
    return table


def is_allowed(model: type[models.Model], old: str, new: str) -> bool:
    """Whether the table lets a row of ``model`` move from ``old`` to ``new``."""
    return new in allowed_moves(model).get(old, set())


def _label(model: type[models.Model], field: str, value: str | None) -> str:
    if value is None:
        return "gone"
    choices = dict(model._meta.get_field(field).flatchoices)
    return str(choices.get(value, value)).lower()


def transition(obj: models.Model, *, old: str, new: str, field: str = "status", conflict: str | None = None,
               **fields: Any) -> None:
    """Move ``obj`` from ``old`` to ``new`` (and set ``fields``), or raise ValidationError and change nothing.

    Refused when the table forbids the move; otherwise one UPDATE … WHERE pk = … AND status = old,
    which fails unless exactly that row moved (``conflict`` then replaces the standard message).
    On success ``obj`` carries the new values.
    """
    model = type(obj)
    if not is_allowed(model, old, new):
        raise ValidationError(f"A {model._meta.verbose_name} cannot go from {_label(model, field, old)} to "
                              f"{_label(model, field, new)}; nothing changed.")
    changed = model._default_manager.filter(pk=obj.pk, **{field: old}).update(**{field: new}, **fields)
    if changed != 1:
        if conflict:
            raise ValidationError(conflict)
        current = model._default_manager.filter(pk=obj.pk).values_list(field, flat=True).first()
        raise ValidationError(f"This {model._meta.verbose_name} is {_label(model, field, current)}, not "
                              f"{_label(model, field, old)}; nothing changed.")
    for name, value in {field: new, **fields}.items():
        setattr(obj, name, value)
