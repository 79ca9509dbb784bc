#!/usr/bin/env bash
# `make run`: prepare the database and demo data, then serve the portal with one task worker.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"

$PY manage.py migrate --no-input
$PY manage.py collectstatic --no-input --verbosity 0
$PY manage.py ensure_periods
$PY manage.py seed_demo

$PY manage.py db_worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT

# DEBUG serves static files through whitenoise's runserver_nostatic; gunicorn uses whitenoise too.
.venv/bin/gunicorn config.wsgi:application \
  --bind "${PORTAL_BIND:-127.0.0.1:8000}" --workers "${WEB_CONCURRENCY:-2}" \
  --access-logfile - --graceful-timeout 10
