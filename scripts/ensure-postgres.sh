#!/usr/bin/env bash
# The store tests run on a real PostgreSQL at 127.0.0.1:5432 (trust auth, database "test").
# This machine kind starts one before every session and CI run; elsewhere this script
# starts an installed cluster, or installs Debian's postgresql, then makes sure "test" exists.
set -euo pipefail

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "Installing PostgreSQL (Debian package) for the store tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! ready; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$version" ]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
if ! ready; then
  echo "PostgreSQL is not reachable at 127.0.0.1:5432; the store tests need it." >&2
  exit 1
fi
# Trust auth for postgres on loopback is what this machine kind ships; a fresh install uses
# peer/md5, so the tests' URL (postgresql://postgres@127.0.0.1:5432/test) may need it set up.
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  echo "Cannot log in as postgres on 127.0.0.1 without a password: allow trust for 127.0.0.1 in pg_hba.conf." >&2
  exit 1
fi
if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1 from pg_database where datname='test'")" != "1" ]; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test'
fi
