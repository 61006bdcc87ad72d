#!/usr/bin/env bash
# Creates .venv from Python 3.10 (Rasa 3.6 needs 3.8-3.10) and installs the pinned packages.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python310() {
  if command -v python3.10 >/dev/null 2>&1 && python3.10 -V >/dev/null 2>&1; then
    command -v python3.10; return
  fi
  # pyenv keeps it under its root; its shim refuses unless PYENV_VERSION is set.
  local root
  root=$( (command -v pyenv >/dev/null && pyenv root) || echo "$HOME/.pyenv")
  local found
  found=$(ls -d "$root"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ]; then echo "$found"; return; fi
  echo "Python 3.10 not found: install it (e.g. 'pyenv install 3.10') and run again." >&2
  exit 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
  rm -rf .venv
  "$(find_python310)" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
echo "Installing pinned packages into .venv (the first time takes about 5 minutes)..."
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  -r requirements.txt -c constraints.txt
touch .venv/.installed
