"""`make bench` and `make load` are not part of `make test` (they take minutes), so their
commands are at least started here: a name they read that moved fails this test, not the next
person who measures a change."""
from __future__ import annotations

import subprocess
import sys

import pytest

from bot.paths import REPO_ROOT


@pytest.mark.parametrize("command, option", [("bench", "--levels"), ("bench.prescreens", "--people")])
def test_the_benchmark_commands_start(command: str, option: str) -> None:
    done = subprocess.run([sys.executable, "-m", command, "--help"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert option in done.stdout
