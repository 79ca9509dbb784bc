"""Strict readers for settings that come from the environment.

Each helper either returns a value of the promised type or raises
``ImproperlyConfigured`` naming the variable, so a typo in a deployment fails
at start-up instead of at the first request that needs the value.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, *, default: str | None = None) -> str:
    """Return the variable's text, or ``default``; refuse when neither exists."""
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, *, default: bool) -> bool:
    """Return a boolean written as 1/0, true/false, yes/no or on/off."""
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use true or false.")


def env_int(name: str, *, default: int) -> int:
    """Return a whole number."""
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, *, default: list[str]) -> list[str]:
    """Return a comma-separated list with blanks removed."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str = "DATABASE_URL") -> dict:
    """Return Django's database settings for PostgreSQL.

    With ``DATABASE_URL`` set, that server is used. Without it, the embedded
    PostgreSQL under ``.data/pg`` is started on demand (config/devdb.py), which
    is what a new developer on a fresh laptop gets.
    """
    import dj_database_url

    url = os.environ.get(name)
    if not url:
        from config import devdb

        url = devdb.ensure_running()
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"{name} must point at PostgreSQL; this portal supports no other database.")
    return config
