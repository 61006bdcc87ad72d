#!/usr/bin/env bash
# rasa shell for staff, with the action server it needs running beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/private-var.sh  # umask 077; var/ and its files owner-only
BIN=.venv/bin
export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:${ACTION_PORT:-5055}/webhook}"
# The action server answers only this machine (scripts/serve-actions.sh: on loopback), and only
# Rasa: a secret shared by the two for this run (endpoints.yml sends it), never
# written down; an ACTION_SERVER_TOKEN already set (a deployment's) is kept.
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))')}"
bash scripts/serve-actions.sh >var/log/actions-shell.log 2>&1 &
actions=$!
trap 'kill $actions 2>/dev/null || true' EXIT INT TERM HUP  # HUP: the terminal closed
# `rasa shell` is `rasa run` with Rasa's own terminal channel, which takes any sender from a
# request: while it ran, any program on this machine could post to its port as another
# channel's person. ShellChannel is the same terminal chat under its own "shell:" namespace.
"$BIN/rasa" run --connector adapters.channels.rest.ShellChannel --model models/trial-assistant.tar.gz \
  --endpoints endpoints.yml --interface 127.0.0.1 --port "$RASA_PORT"
