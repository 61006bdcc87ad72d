#!/usr/bin/env bash
# Starts the action server and the Rasa server in the foreground; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
BIN=.venv/bin
# The action server answers only this machine (Rasa calls it on loopback); it would otherwise
# listen on every interface.
export SANIC_HOST=127.0.0.1
# Library deprecation notices say nothing to someone chatting or testing dialogs.
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

"$BIN/rasa" run actions --actions actions --port "$ACTION_PORT" &
pids+=($!)
# No --enable-api: the HTTP API (trackers, model) stays closed; only the channels are served.
# Loopback by default: the page relays to it, and tunnels or proxies for the messaging apps
# connect from this machine. RASA_HOST=0.0.0.0 opens it to the network.
"$BIN/rasa" run --model models/trial-assistant.tar.gz --interface "${RASA_HOST:-127.0.0.1}" \
  --port "$RASA_PORT" --credentials credentials.yml --endpoints endpoints.yml --cors "*" &
pids+=($!)
# The chat page, with a same-origin relay to Rasa's REST channel.
"$BIN/python" -m bot.web_server --port "$WEB_PORT" --rasa "http://127.0.0.1:$RASA_PORT" &
pids+=($!)

echo "Loading the assistant (about a minute)..."
for _ in $(seq 1 300); do
  if curl -fs "http://127.0.0.1:$RASA_PORT/" >/dev/null 2>&1; then break; fi
  sleep 1
done
cat <<MSG

The trial assistant is ready.
  Chat page: http://127.0.0.1:$WEB_PORT/   (open it in a browser)
  REST:      POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook
             e.g. curl -s -XPOST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook \\
                    -H 'Content-Type: application/json' -d '{"sender":"me","message":"is it recruiting?"}'
  socket.io: http://127.0.0.1:$RASA_PORT/socket.io
  Terminal:  make shell   (in another terminal, with RASA_PORT/ACTION_PORT set to free ports)
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
