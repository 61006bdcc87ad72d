#!/usr/bin/env bash
# rasa shell for staff, with the action server it needs running beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
BIN=.venv/bin
"$BIN/rasa" run actions --actions actions --port "$ACTION_PORT" >var/actions-shell.log 2>&1 &
actions=$!
trap 'kill $actions 2>/dev/null || true' EXIT INT TERM
"$BIN/rasa" shell --model models/trial-assistant.tar.gz --endpoints endpoints.yml --port "$RASA_PORT"
