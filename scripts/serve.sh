#!/usr/bin/env bash
# `make run`: prepare the database and demo data, then serve the portal with one task worker.
#
# Ctrl-C is how this server is stopped: it ends the web server and the worker and exits 0, and
# config/devdb.py then stops the embedded database. Any other failure keeps its non-zero status.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
BIND="${PORTAL_BIND:-127.0.0.1:8000}"

# The address printed for signing in, and links in e-mails, follow the address served
# (PORTAL_BIND=127.0.0.1:8123 → http://127.0.0.1:8123), unless PORTAL_BASE_URL says otherwise.
if [[ -z "${PORTAL_BASE_URL:-}" && "$BIND" != unix:* && "$BIND" != fd:* ]]; then
  case "$BIND" in
    *:*[0-9]) host=${BIND%:*} port=${BIND##*:} ;;  # host:port or [v6 address]:port
    *) host=$BIND port=8000 ;;                      # a host alone: gunicorn's port
  esac
  case "$host" in
    0.0.0.0 | "") host=127.0.0.1 ;;
    "[::]") host="[::1]" ;;
  esac
  export PORTAL_BASE_URL="http://$host:$port"
fi

web="" worker="" stopped_by=""
finish() {
  trap '' INT TERM HUP
  local pid
  # First the worker's supervisor stops restarting it. On Ctrl-C the worker had the SIGINT itself and is finishing
  # its current task; otherwise the supervisor passes the TERM on.
  if [[ -n "$worker" ]]; then
    if [[ "$stopped_by" == INT ]]; then kill -USR1 "$worker" 2>/dev/null || true; else kill -TERM "$worker" 2>/dev/null || true; fi
  fi
  for pid in $web $worker; do
    if [[ "$stopped_by" == INT || "$pid" == "$worker" ]]; then
      # Ctrl-C reached the whole job, so both are shutting down already (the worker finishes its
      # current task); give them gunicorn's graceful timeout before asking again.
      for _ in {1..50}; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap finish EXIT
trap 'stopped_by=INT; exit 0' INT
trap 'stopped_by=TERM; exit 143' TERM
trap 'stopped_by=HUP; exit 129' HUP

$PY manage.py migrate --no-input
$PY manage.py collectstatic --no-input --verbosity 0
$PY manage.py ensure_periods
$PY manage.py seed_demo

# The task worker, restarted after a short pause whenever it dies (killed, out of memory): one process, not the
# autoreloader's two, so that stopping it by its pid stops it. A file it was loading is failed at once by
# `check_uploads` (its lock went with the worker, docs/DECISIONS.md §14), which also runs every minute.
supervise_worker() {
  local child="" stopping="" status last_check=$SECONDS
  trap 'stopping=TERM; [[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null' TERM
  trap 'stopping=INT' USR1
  while [[ -z "$stopping" ]]; do
    $PY manage.py db_worker --no-reload &
    child=$!
    while [[ -z "$stopping" ]] && kill -0 "$child" 2>/dev/null; do
      sleep 2 & wait $! 2>/dev/null || true  # a trapped signal ends the wait at once
      if (( SECONDS - last_check >= 60 )); then
        $PY manage.py check_uploads || true
        last_check=$SECONDS
      fi
    done
    status=0
    wait "$child" 2>/dev/null || status=$?
    # Exit status 0 means it was asked to stop (a signal it handles, as at Ctrl-C): that is no death.
    [[ -n "$stopping" || "$status" == 0 ]] && break
    echo "The task worker stopped (exit status $status); starting a new one in 2 seconds." >&2
    $PY manage.py check_uploads || true
    sleep 2
  done
  wait "$child" 2>/dev/null || true
}
supervise_worker &
worker=$!

echo "Serving the portal at ${PORTAL_BASE_URL:-$BIND}/ with one task worker. Ctrl-C stops both and the database."
# DEBUG serves static files through whitenoise's runserver_nostatic; gunicorn uses whitenoise too.
# No control socket: its default path is shared by every checkout on the machine.
.venv/bin/gunicorn config.wsgi:application \
  --bind "$BIND" --workers "${WEB_CONCURRENCY:-2}" \
  --access-logfile - --graceful-timeout 10 --no-control-socket &
web=$!
# Returns when gunicorn ends, or at once when a trapped signal arrives (then its trap runs).
wait "$web"
