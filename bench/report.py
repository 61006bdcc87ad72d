"""The figures of one `make bench` run: a table on the terminal, JSON and a small chart.

Every figure of ours is also given as a ratio to the stock assistant's, measured in the same
run on the same machine: throughput as ours / stock (above 1 is better), latency as
ours / stock (below 1 is better).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

STOCK = "stock rasa init"


def ratio(ours: float, stock: float) -> float | None:
    return round(ours / stock, 2) if stock else None


def with_ratios(results: dict[str, Any]) -> dict[str, Any]:
    """Adds, for each of our shapes and each level, its figures as ratios to stock."""
    stock = results["assistants"].get(STOCK)
    if not stock:
        return results
    for name, assistant in results["assistants"].items():
        if name == STOCK:
            continue
        assistant["x_stock"] = {
            level: {key: ratio(figures[key], stock["levels"][level][key])
                    for key in ("per_second", "p50_ms", "p95_ms", "p99_ms")}
            for level, figures in assistant["levels"].items() if level in stock["levels"]
        }
        assistant["x_stock"]["startup_seconds"] = ratio(assistant["startup_seconds"],
                                                        stock["startup_seconds"])
    return results


def table(results: dict[str, Any]) -> str:
    lines = [f"{'visitors':>8}  {'assistant':22} {'msg/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
             f"{'p99 ms':>8} {'errors':>6}   {'x stock: msg/s':>14} {'p95':>5}"]
    levels = sorted({int(level) for a in results["assistants"].values() for level in a["levels"]})
    for level in levels:
        for name, assistant in results["assistants"].items():
            figures = assistant["levels"].get(str(level))
            if figures is None:
                continue
            x = assistant.get("x_stock", {}).get(str(level), {})
            shown = (f"{x['per_second']:>13}x {x['p95_ms']:>5}" if x else "")
            lines.append(f"{level:>8}  {name:22} {figures['per_second']:>7} {figures['p50_ms']:>8} "
                         f"{figures['p95_ms']:>8} {figures['p99_ms']:>8} {figures['errors']:>6}   {shown}")
        lines.append("")
    for name, assistant in results["assistants"].items():
        memory = ", ".join(f"{role} {mb:.0f} MB" for role, mb in assistant["peak_rss_mb"].items())
        training = assistant.get("training_seconds")
        lines.append(f"{name}: ready to answer {assistant['startup_seconds']} s after start"
                     + (f"; training {training} s (cold cache)" if training else "")
                     + f"; peak memory (RSS of each server's largest process): {memory}")
        if assistant.get("pre_screens_at_once"):
            load = assistant["pre_screens_at_once"]
            lines.append(f"  {load['people']} pre-screens at once: {load['right_verdicts']} right "
                         f"verdicts, reply median {load['reply_seconds']['median']} s, "
                         f"95% {load['reply_seconds']['p95']} s, longest {load['reply_seconds']['max']} s, "
                         f"{len(load['errors'])} failed")
    return "\n".join(lines)


def chart(results: dict[str, Any], path: Path) -> None:
    """Throughput and 95th-percentile latency by number of visitors, each shape and stock."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), dpi=100)
    for name, assistant in results["assistants"].items():
        levels = sorted(assistant["levels"], key=int)
        xs = [int(level) for level in levels]
        style = "--" if name == STOCK else "-"
        left.plot(xs, [assistant["levels"][lv]["per_second"] for lv in levels], style, marker="o", label=name)
        right.plot(xs, [assistant["levels"][lv]["p95_ms"] for lv in levels], style, marker="o", label=name)
    left.set(title="Messages answered a second", xlabel="visitors at once", xscale="log")
    right.set(title="95% of replies within (ms)", xlabel="visitors at once", xscale="log", yscale="log")
    left.legend(fontsize=8)
    for axis in (left, right):
        axis.grid(True, alpha=0.3)
    figure.suptitle(f"make bench, {results['when'][:10]}, {results['machine']}", fontsize=9)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def save(results: dict[str, Any], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = results["when"].replace(":", "").replace("-", "")[:15]
    written = []
    for name in (f"{stamp}.json", "latest.json"):
        (folder / name).write_text(json.dumps(results, indent=1) + "\n")
        written.append(folder / name)
    chart(results, folder / "latest.png")
    written.append(folder / "latest.png")
    return written
