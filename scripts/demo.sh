#!/bin/sh
# `make demo`: the whole platform on SQLite, the web server and the task worker together
# (notifications, automatic escalation, reminders). Ctrl-C stops both.
set -eu
PYTHON=${PYTHON:-.venv/bin/python}
ADDR=${DEMO_ADDR:-127.0.0.1:8000}
export DEBUG=true
$PYTHON manage.py migrate --noinput
$PYTHON manage.py load_demo
$PYTHON manage.py setup_schedules
$PYTHON manage.py qcluster &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
echo "task worker started (pid $worker); serving http://$ADDR"
$PYTHON manage.py runserver "$ADDR"
