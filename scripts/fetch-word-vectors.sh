#!/usr/bin/env bash
# Installs the pretrained word vectors the intent classifier reads (WordLlama's l2_supercat
# 256-dimension token embeddings and their tokenizer, MIT licence) into models/wordllama/.
#
# WordLlama's own releases need numpy 2 and pydantic 2, which Rasa 3.6 cannot take, so the
# package is never installed: its pinned wheel is downloaded from PyPI, checked against its
# hash, and only the two data files are taken out of it. Nothing is fetched at run time.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.4.0.post1
WHEEL=wordllama-0.4.0.post1-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
SHA256=42c2c88907ace0b0681ac6f9092d6a300a6409a5d2d61071a3fb5e7159370c97
DEST=models/wordllama
FILES=(wordllama/weights/l2_supercat_256.safetensors wordllama/tokenizers/l2_supercat_tokenizer_config.json)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The wheel is platform-tagged for its compiled helpers; the data files inside are not, so the
# same wheel serves every machine.
.venv/bin/python -m pip download --quiet --disable-pip-version-check --no-deps \
  --only-binary=:all: --python-version 3.11 --platform manylinux2014_x86_64 \
  -d "$work" "wordllama==$VERSION"
echo "$SHA256  $work/$WHEEL" | sha256sum --check --quiet
mkdir -p "$DEST"
.venv/bin/python - "$work/$WHEEL" "$DEST" "${FILES[@]}" <<'PY'
import sys, zipfile
from pathlib import Path
wheel, dest, names = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
with zipfile.ZipFile(wheel) as archive:
    for name in names:
        (dest / Path(name).name).write_bytes(archive.read(name))
PY
echo "Word vectors installed in $DEST (WordLlama $VERSION, sha256 checked)."
