"""`make bench`: this assistant and the stock `rasa init` assistant under the same load, side by side.

    make bench                                   # the whole run (about 15 minutes)
    .venv/bin/python -m bench --levels 1,10 --seconds 10 --no-scaled   # a quick look

It trains both from a cold cache (timed), starts them (timed until each answers), and for each
number of visitors at once (1, 10, 50, 100) drives each assistant in turn with the same harness
(bench/load.py) for the same seconds: ours with bench/mix.yml (70% questions, 30% pre-screen
turns in free text), stock with its own phrases. Ours runs in two shapes: as `make run` starts
it, and scaled out (two Rasa servers and two action servers on PostgreSQL and Redis). Then 100
pre-screens at once (`make load`) against each of our shapes. Prints a table with every figure
of ours as a ratio to stock, and writes results/bench/latest.json and latest.png.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import sys
import tempfile
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from bench import assistants, prescreens, report
from bench.load import drive
from bench.mix import MIX_FILE, Mix, StockMix
from bot.paths import REPO_ROOT

RESULTS = REPO_ROOT / "results" / "bench"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="1,10,50,100", help="visitors at once, comma-separated")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured seconds per level")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds first")
    parser.add_argument("--mix", type=Path, default=MIX_FILE, help="our message mix (YAML)")
    parser.add_argument("--people", type=int, default=100, help="pre-screens at once (0: none)")
    parser.add_argument("--no-stock", action="store_true", help="only ours (no ratios)")
    parser.add_argument("--no-scaled", action="store_true", help="not the scaled-out shape")
    parser.add_argument("--no-training", action="store_true", help="do not time the trainings")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    results: dict[str, Any] = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
        "mix": str(args.mix), "seconds_per_level": args.seconds, "assistants": {},
    }
    try:
        with ExitStack() as stack:
            shapes = _start_all(args, work, stack, results)
            with assistants.watching_memory([a for a, _ in shapes]):
                for level in levels:
                    for assistant, visits in shapes:
                        print(f"  {level} visitors: {assistant.name}...", flush=True)
                        figures = asyncio.run(drive(assistant.urls, visits, level, args.seconds, args.warmup))
                        results["assistants"][assistant.name]["levels"][str(level)] = figures.as_dict()
                if args.people:
                    for assistant, _ in shapes:
                        if assistant.name != report.STOCK:
                            print(f"  {args.people} pre-screens at once: {assistant.name}...", flush=True)
                            outcomes, wall = prescreens.run(assistant.urls, args.people)
                            results["assistants"][assistant.name]["pre_screens_at_once"] = \
                                prescreens.figures(outcomes, wall)
            for assistant, _ in shapes:
                results["assistants"][assistant.name]["peak_rss_mb"] = assistant.peak_rss_mb
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.with_ratios(results)
    print()
    print(report.table(results))
    for path in report.save(results, args.out):
        print(f"wrote {path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}")
    return 0


def _start_all(args: argparse.Namespace, work: Path, stack: ExitStack,
               results: dict[str, Any]) -> list[tuple[assistants.Assistant, Any]]:
    shapes: list[tuple[assistants.Assistant, Any]] = []

    def started(assistant: assistants.Assistant, visits: Any, training: Optional[float]) -> None:
        stack.callback(assistant.stop)
        shapes.append((assistant, visits))
        results["assistants"][assistant.name] = {
            "startup_seconds": assistant.startup_seconds, "training_seconds": training,
            "servers": [s.role for s in assistant.servers], "levels": {},
        }
        print(f"{assistant.name}: answering {assistant.startup_seconds} s after start", flush=True)

    training = None if args.no_training else assistants.train_ours(work)
    if training:
        print(f"ours: trained in {training} s (cold cache)", flush=True)
    mix = Mix(args.mix)
    started(assistants.start_ours(work / "ours"), mix, training)
    if not args.no_scaled:
        stores = stack.enter_context(assistants.shared_stores())
        started(assistants.start_ours(work / "scaled", copies=2, stores=stores), mix, None)
    if not args.no_stock:
        project = work / "stock"
        project.mkdir()
        stock_training = assistants.build_stock(project, work)
        print(f"stock: rasa init trained in {stock_training} s (cold cache)", flush=True)
        started(assistants.start_stock(project, work), StockMix(project), stock_training)
    return shapes


if __name__ == "__main__":
    sys.exit(main())
