"""Where the project's folders are, from one place."""
from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
MODELS_DIR = REPO_ROOT / "models"
# The assistant `make train` writes and every server, test and benchmark of ours loads.
MODEL_FILE = MODELS_DIR / "trial-assistant.tar.gz"
VAR_DIR = REPO_ROOT / "var"
