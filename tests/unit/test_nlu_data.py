"""The NLU data and the real-world test set stay honest.

A line in two training files is counted twice by cross-validation (and can land in both
training and test folds); a test-set line in the training data makes the real-world figure
a lie. Both are mistakes people make when adding examples, so they are checked here.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
NLU_DIR = REPO / "data" / "nlu"
REAL_WORLD = REPO / "tests" / "nlu" / "real_world.yml"
DOMAIN = yaml.safe_load((REPO / "domain.yml").read_text())


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def training_examples() -> list[tuple[str, str, str]]:
    """(file, intent, example) for every example line under data/nlu."""
    found = []
    for path in sorted(NLU_DIR.glob("*.yml")):
        for block in yaml.safe_load(path.read_text()).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    found.append((path.name, block["intent"], line.strip()[2:].strip()))
    return found


def real_world() -> list[dict]:
    return yaml.safe_load(REAL_WORLD.read_text())["messages"]


def test_no_example_is_written_twice() -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for file, intent, text in training_examples():
        seen[text.lower().strip()].append(f"{file}:{intent}")
    repeated = {text: where for text, where in seen.items() if len(where) > 1}
    assert repeated == {}


def test_no_real_world_question_is_trained_on() -> None:
    trained = {normalised(text) for _, _, text in training_examples()}
    leaked = [m["text"] for m in real_world() if normalised(m["text"]) in trained]
    assert leaked == []


def test_the_real_world_set_is_big_enough_and_covers_every_topic() -> None:
    messages = real_world()
    assert len(messages) >= 150
    expected = set()
    for message in messages:
        for want in message["expect"]:
            expected.update([want] if isinstance(want, str) else want)
    known = set(DOMAIN["intents"]) | {"nlu_fallback"}
    assert expected <= known, expected - known
    topics = {i for i in DOMAIN["intents"] if i.startswith("ask_") or i == "care"}
    assert topics <= expected, topics - expected
    several = [m for m in messages if len(m["expect"]) > 1]
    assert len(several) >= 30
