#!/usr/bin/env bash
# The Rasa server, as every shape starts it: `make run` (under scripts/supervise.py), the
# end-to-end and scale-out tests, `make bench`, docker-compose.yml and the Kubernetes values in
# the README. Everything it needs comes from the environment (endpoints.yml):
#   RASA_PORT (5005), RASA_HOST (127.0.0.1), TRACKER_DB (var/tracker.db, or a postgresql:// URL),
#   LOCK_STORE_URL (none: in memory; redis://host:6379/1 when several servers share the stores),
#   ACTION_SERVER_URL (http://127.0.0.1:$ACTION_PORT/webhook), MODEL (models/trial-assistant.tar.gz),
#   ACTION_SERVER_TOKEN (no default: the secret the action server checks; make run makes one).
# No --enable-api: the HTTP API (trackers, model) stays closed; only the channels are served.
# No --cors: no web page elsewhere may call the channels from its visitors' browsers (the chat
# page relays from its own origin; socket.io takes pages only from SOCKETIO_ORIGINS).
set -euo pipefail
cd "$(dirname "$0")/.."
export TRACKER_DB="${TRACKER_DB:-var/tracker.db}"
export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:${ACTION_PORT:-5055}/webhook}"
# One BLAS thread: the matrices here are tiny (a message at a time), and OpenBLAS's second
# thread spun at 80% of a core waiting for work, taking it from the other server.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" \
  MKL_NUM_THREADS="${MKL_NUM_THREADS:-1}"
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
exec "${BIN:-.venv/bin}/rasa" run --model "${MODEL:-models/trial-assistant.tar.gz}" \
  --interface "${RASA_HOST:-127.0.0.1}" --port "${RASA_PORT:-5005}" \
  --credentials credentials.yml --endpoints endpoints.yml
