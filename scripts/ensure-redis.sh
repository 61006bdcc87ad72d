#!/usr/bin/env bash
# The scale-out test and `make bench` share conversation locks through a real Redis on
# 127.0.0.1:6379. This machine kind starts one before every session and CI run; elsewhere this
# script starts an installed redis-server, or installs Debian's package first.
set -euo pipefail

ready() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; }

if ready; then exit 0; fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing Redis (Debian package) for the scale-out test..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
# Nothing kept on disk: the locks last seconds.
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
for _ in $(seq 1 30); do ready && exit 0; sleep 0.5; done
echo "Redis is not reachable at 127.0.0.1:6379; the scale-out test needs it." >&2
exit 1
