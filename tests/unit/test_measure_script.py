"""The README's library figures come from scripts/measure_parsing_libraries.py: it must still run
on today's code and test corpus (it broke once when a test constant it read was renamed)."""
from __future__ import annotations

import subprocess
import sys

from bot.paths import REPO_ROOT


def test_the_library_measurement_script_runs_and_names_each_library_it_could_not_load() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/measure_parsing_libraries.py"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ""},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for measure in ("measure_dateparser", "measure_negspacy", "measure_context", "measure_numbers"):
        assert measure in done.stdout
