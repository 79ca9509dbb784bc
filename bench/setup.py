"""Django set-up shared by the benchmarks: a database of their own on the server of DATABASE_URL.

The benchmarks make a thousand companies and millions of items, and keep them between
runs; in a database of their own (``BENCH_DATABASE``, default ``portal_bench``, created
when missing) they never show up in the portal that ``make run`` serves from the same server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"


def _own_database() -> None:
    """Point DATABASE_URL at the benchmarks' database on the same server, creating it when missing."""
    import psycopg
    from psycopg import sql

    url = os.environ.get("DATABASE_URL")
    if not url:
        from config import devdb

        url = devdb.ensure_running()  # what the portal itself does without DATABASE_URL
    name = os.environ.get("BENCH_DATABASE", "portal_bench")
    parts = urlsplit(url)
    if parts.path.lstrip("/") == name:
        return
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    _own_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages render with the manifest storage
