#!/usr/bin/env bash
# Starts the action server, the Rasa server and the chat page; Ctrl-C stops them all.
# scripts/supervise.py keeps them running: a server that stops unexpectedly is started again
# after a back-off, with a line saying so. Their logs go to var/log/ (LOG_DIR) so the terminal
# shows what a newcomer needs: where to chat, and the end of a log when a server keeps failing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
. scripts/private-var.sh  # umask 077; var/ and its files owner-only
LOGS="${LOG_DIR:-$VAR_DIR/log}"
mkdir -p "$LOGS"
# The action server answers only this machine (Rasa calls it on loopback); it would otherwise
# listen on every interface (scripts/serve-actions.sh).
export SANIC_HOST=127.0.0.1
# ...and only Rasa: a secret shared by the two for this run (endpoints.yml sends it), never
# written down; an ACTION_SERVER_TOKEN already set (a deployment's) is kept.
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))')}"

# A port already taken (often an earlier `make run`) would make a server fail, or worse, make
# another program look like ours.
for var in ACTION_PORT RASA_PORT WEB_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/${!var}") 2>/dev/null; then
    echo "Port ${!var} ($var) is already in use, perhaps by another 'make run'." >&2
    echo "Stop that, or pick free ports, e.g. $var=$(( ${!var} + 1 )) make run" >&2
    exit 1
  fi
done

# Retention (RETENTION_DAYS, default 90 days): older screenings, hand-off requests and
# conversation history go before anything starts (the servers purge again when they start).
"$BIN/python" -m staff purge --yes | sed 's/^/Retention: /'

supervisor=""
stop() { [ -z "$supervisor" ] || { kill -TERM "$supervisor" 2>/dev/null; wait "$supervisor"; } || true; }
trap stop EXIT
trap 'exit 130' INT TERM HUP  # Ctrl-C: stop everything quietly (the EXIT trap)

# The servers start as in every other shape (scripts/serve-rasa.sh says what each reads from
# the environment); the chat page has a same-origin relay to Rasa's REST channel.
"$BIN/python" scripts/supervise.py --logs "$LOGS" \
  actions -- bash scripts/serve-actions.sh \
  :: rasa -- bash scripts/serve-rasa.sh \
  :: web -- "$BIN/python" -m web.page_server --port "$WEB_PORT" --rasa "http://127.0.0.1:$RASA_PORT" &
supervisor=$!

echo "Loading the assistant (a few seconds; logs in $LOGS/)..."
ready=false
for _ in $(seq 1 300); do
  if curl -fs "http://127.0.0.1:$RASA_PORT/" >/dev/null 2>&1; then ready=true; break; fi
  # The supervisor gives up on a server that keeps stopping (it shows the end of its log).
  kill -0 "$supervisor" 2>/dev/null || { supervisor=""; exit 1; }
  sleep 1
done
if [ "$ready" != true ]; then
  echo "Rasa did not answer on port $RASA_PORT within 5 minutes; see $LOGS/rasa.log." >&2
  exit 1
fi
cat <<MSG

The trial assistant is ready.
  Chat page: http://127.0.0.1:$WEB_PORT/   (open it in a browser)
  REST:      POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook
             e.g. curl -s -XPOST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook \\
                    -H 'Content-Type: application/json' -d '{"sender":"me","message":"is it recruiting?"}'
  socket.io: http://127.0.0.1:$RASA_PORT/socket.io   (web pages only from SOCKETIO_ORIGINS)
  Terminal:  make shell   (in another terminal, with RASA_PORT/ACTION_PORT set to free ports)
  Logs:      $LOGS/rasa.log, $LOGS/actions.log, $LOGS/web.log
Press Ctrl-C to stop.
MSG
set +e
wait "$supervisor"
status=$?
supervisor=""
exit "$status"
