"""Prints how many parser runs one pre-screen message causes (issue 12, "Read a reply once").

    .venv/bin/python scripts/count_parses.py

For the numbers before bot/understanding/reading.py, run it over an older tree's bot/ and data/:
    git archive <commit> bot data | tar -x -C /tmp/before
    PYTHONPATH=/tmp/before:. .venv/bin/python scripts/count_parses.py
Counts calls, not time: a count does not depend on how busy the machine is.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

# The repository root after anything on PYTHONPATH, so an older bot/ given there is the one read,
# but before the installed packages, one of which brings a `tests` package of its own.
_installed = next((i for i, p in enumerate(sys.path) if "-packages" in p), len(sys.path))
sys.path.insert(_installed, str(Path(__file__).resolve().parent.parent))

from bot.prescreen import screening  # noqa: E402
from bot.trial.loading import load_trial  # noqa: E402
from tests.parse_spy import MESSAGES, count_one_message  # noqa: E402

TODAY = date(2025, 6, 15)


def main() -> None:
    trial = load_trial()
    print(f"bot/ from {Path(screening.__file__).parent}")
    total = repeated = 0
    for text in MESSAGES:
        count, _ = count_one_message(trial, text, TODAY)
        again = sum(n - 1 for n in count.repeated.values())
        total, repeated = total + count.total, repeated + again
        parsers = ", ".join(f"{name} {n}" for name, n in sorted(count.by_parser().items()))
        print(f"{count.total:4d} runs, {again:3d} on a text already read  {text!r}\n      {parsers}")
    print(f"{total:4d} runs in all, {repeated} of them on a text already read")


if __name__ == "__main__":
    main()
