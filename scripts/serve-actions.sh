#!/usr/bin/env bash
# The action server, as every shape starts it (see scripts/serve-rasa.sh). From the
# environment: ACTION_PORT (5055), SANIC_HOST (127.0.0.1: it answers only this machine, as Rasa
# calls it on loopback; a cluster sets 0.0.0.0 inside its private network), SCREENING_DB_URL,
# ACTION_SERVER_TOKEN (required: only a caller with it is served, see actions/action_server.py).
set -euo pipefail
cd "$(dirname "$0")/.."
# One BLAS thread: the matrices here are tiny (a message at a time), and OpenBLAS's second
# thread spun at 80% of a core waiting for work, taking it from the other server.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" \
  MKL_NUM_THREADS="${MKL_NUM_THREADS:-1}"
export SANIC_HOST="${SANIC_HOST:-127.0.0.1}"
exec "${BIN:-.venv/bin}/rasa" run actions --actions actions --port "${ACTION_PORT:-5055}"
