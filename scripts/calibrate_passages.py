"""How sure an answer from the sources is, measured on the TRAINING examples only.

For every example of a trial topic under data/nlu, ranks the trial file's passages and
prints, for score bands, how often the best passage's topic is the example's topic. The
thresholds in bot/understanding/topics.py (SOURCE_ANSWER, SOURCE_MARGIN) are read from this table,
never from the real-world test sets, which only report. Also prints the time per message.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file: the project first

from bot.paths import DATA_DIR  # noqa: E402
from bot.trial.passages import PassageIndex  # noqa: E402
from bot.trial.loading import load_trial  # noqa: E402
from bot.understanding.word_vectors import load_word_vectors  # noqa: E402


def examples() -> list[tuple[str, str]]:
    found = []
    for path in sorted((DATA_DIR / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text()).get("nlu") or []:
            intent = block.get("intent") or ""
            if not intent.startswith("ask_"):
                continue
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    found.append((line.strip()[2:].strip(), intent))
    return found


def main() -> int:
    trial = load_trial()
    index = PassageIndex.of_trial(trial, load_word_vectors())
    known = {f"ask_{t}" for t in trial.topics}
    pairs = [(t, i) for t, i in examples() if i in known]
    started = time.perf_counter()
    ranked = [index.rank(text) for text, _ in pairs]
    per_message = (time.perf_counter() - started) / len(pairs) * 1000
    bands = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1]
    right: Counter[float] = Counter()
    total: Counter[float] = Counter()
    for (text, intent), matches in zip(pairs, ranked):
        top = matches[0]
        for band in bands:
            if top.score >= band:
                total[band] += 1
                right[band] += f"ask_{top.topic}" == intent
    print(f"{len(index.passages)} passages; {len(pairs)} training examples; "
          f"{per_message:.3f} ms a message")
    for band in bands:
        if total[band]:
            print(f"  score >= {band:.1f}: top topic right {right[band]}/{total[band]} "
                  f"= {right[band] / total[band]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
