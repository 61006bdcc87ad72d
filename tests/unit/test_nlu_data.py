"""The NLU data and the real-world test sets stay honest.

A line in two training files is counted twice by cross-validation (and can land in both
training and test folds); a test-set line in the training data makes the real-world figure
a lie. Both are mistakes people make when adding examples, so they are checked here, for
both never-trained sets (real_world.yml, and real_world_2.yml built from public pages'
questions).
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from bot.paths import REPO_ROOT

NLU_DIR = REPO_ROOT / "data" / "nlu"
REAL_WORLD = REPO_ROOT / "tests" / "nlu" / "real_world.yml"
REAL_WORLD_2 = REPO_ROOT / "tests" / "nlu" / "real_world_2.yml"
TEST_SETS = (REAL_WORLD, REAL_WORLD_2)
DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())


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


def real_world(path: Path = REAL_WORLD) -> list[dict]:
    return yaml.safe_load(path.read_text())["messages"]


def expected_intents(messages: list[dict]) -> set[str]:
    expected: set[str] = set()
    for message in messages:
        for want in message["expect"]:
            expected.update([want] if isinstance(want, str) else want)
    return expected


def test_no_example_is_written_twice() -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for file, intent, text in training_examples():
        seen[text.lower().strip()].append(f"{file}:{intent}")
    repeated = {text: where for text, where in seen.items() if len(where) > 1}
    assert repeated == {}


@pytest.mark.parametrize("path", TEST_SETS, ids=lambda p: p.name)
def test_no_real_world_question_is_trained_on(path: Path) -> None:
    trained = {normalised(text) for _, _, text in training_examples()}
    leaked = [m["text"] for m in real_world(path) if normalised(m["text"]) in trained]
    assert leaked == []


def words(text: str) -> frozenset[str]:
    """The set of lowercased words of a line: what a near-duplicate is measured on."""
    return frozenset(re.findall(r"\w+", text.lower()))


def near_duplicate(a: frozenset[str], b: frozenset[str]) -> bool:
    """Jaccard similarity of the two word sets at or above two thirds (exact integer test)."""
    return bool(a | b) and 3 * len(a & b) >= 2 * len(a | b)


def test_near_duplicate_measure_catches_reworded_copies_and_spares_different_questions() -> None:
    """The examples that showed the sets were less unseen than they looked are caught; two
    questions that share only a frame are not."""
    caught = [
        ("How often are the injections given?", "how often are the injections"),
        ("can people from outside the US join?", "can people from outside the us take part"),
        ("is it only for men", "is it for men only"),
    ]
    spared = [
        ("how do the cells get into the body, IV or spinal",
         "how do the cells get into the spinal fluid"),
        ("Will I be charged for the fat biopsy and the injections?",
         "will i be awake for the fat biopsy"),
    ]
    assert all(near_duplicate(words(a), words(b)) for a, b in caught)
    assert not any(near_duplicate(words(a), words(b)) for a, b in spared)


@pytest.mark.parametrize("path", TEST_SETS, ids=lambda p: p.name)
def test_no_real_world_question_is_a_near_copy_of_a_training_line(path: Path) -> None:
    """No training line of a topic a test message expects is a near copy of that message.

    The exact check above misses a training line one filler word or a word order away from a
    test line ("how often are the injections" for "How often are the injections given?"),
    and such a pair measures recall of a memorised line, not understanding. The measure is
    the Jaccard similarity of the two lines' sets of lowercased words, flagged at 2/3 and
    above: the words the two lines share are at least two thirds of all the words either
    uses. At that level the pairs in this data differ by a word or two or by order ("can
    people from outside the US join?" against "... take part", 6 of 9 words); just under it
    they are different questions sharing a frame ("how do the cells get into the body, IV
    or spinal" against "... into the spinal fluid", 0.64). Only training lines of an intent
    the message expects count: a look-alike labelled with another topic makes the test
    harder, not easier. Training lines were reworded or removed to pass this, never the
    test lines (they are the fixed yardstick, written apart from the training data).
    """
    trained = [(intent, text, words(text)) for _, intent, text in training_examples()]
    near = [
        (message["text"], text)
        for message in real_world(path)
        for intent, text, trained_words in trained
        if intent in expected_intents([message])
        and near_duplicate(words(message["text"]), trained_words)
    ]
    assert near == []


def test_the_two_test_sets_share_no_message() -> None:
    first = {normalised(m["text"]) for m in real_world(REAL_WORLD)}
    assert [m["text"] for m in real_world(REAL_WORLD_2) if normalised(m["text"]) in first] == []


@pytest.mark.parametrize("path, least_several", [(REAL_WORLD, 30), (REAL_WORLD_2, 15)],
                         ids=["real_world.yml", "real_world_2.yml"])
def test_each_real_world_set_is_big_enough_and_names_only_known_intents(
    path: Path, least_several: int
) -> None:
    messages = real_world(path)
    assert len(messages) >= 150
    known = set(DOMAIN["intents"]) | {"nlu_fallback"}
    expected = expected_intents(messages)
    assert expected <= known, expected - known
    several = [m for m in messages if len(m["expect"]) > 1]
    assert len(several) >= least_several


def test_the_real_world_sets_cover_every_topic() -> None:
    expected = expected_intents(real_world(REAL_WORLD) + real_world(REAL_WORLD_2))
    topics = {i for i in DOMAIN["intents"] if i.startswith("ask_") or i == "care"}
    assert topics <= expected, topics - expected
