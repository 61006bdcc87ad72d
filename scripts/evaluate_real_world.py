"""Scores the trained assistant on the real-world test sets, never trained on.

tests/nlu/real_world.yml (the gate) and tests/nlu/real_world_2.yml (built from the questions
on real public pages: forums, caregiver threads, trial FAQ pages), each reported apart.

Each message is parsed by the real model (as `make run` would), and the reply plan the
actions follow (`bot.understanding.topics.planned_reply`) is compared with the topics the message
asks about, in order. Prints the accuracy of each set by kind of message, writes each set's misses to
results/<set>/, and fails when the first set is under the floor.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Sequence, Union

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file: the project first

from bot.paths import MODEL_FILE, REPO_ROOT
from bot.prescreen.form_requests import Turn, is_emergency
from bot.understanding import topics

Expected = Sequence[Union[str, Sequence[str]]]
# Intents whose reply is another's: keyboard mash gets the bare "say it another way".
SAME_REPLY = {"gibberish": topics.FALLBACK}


def matches(planned: Sequence[str], expected: Expected) -> bool:
    """Every question answered, in order, and nothing else; a list allows alternatives.

    Two questions with one answer ("what tests at each visit, also does it hurt": both are
    the visits topic) are answered once, so a position may be met by the answer before it.
    """
    def fits(got: str, want: Union[str, Sequence[str]]) -> bool:
        return got == want if isinstance(want, str) else got in want

    at = 0
    for want in expected:
        if at < len(planned) and fits(planned[at], want):
            at += 1
        elif not (at > 0 and fits(planned[at - 1], want)):
            return False
    return at == len(planned)


def kind_of(expected: Expected) -> str:
    if len(expected) > 1:
        return "several questions"
    first = expected[0]
    return first if isinstance(first, str) else first[0]


def plan_of(parse: dict[str, Any]) -> list[str]:
    """What the reply is about; emergency guidance, which every action gives first, wins."""
    intent = topics.guesses([parse.get("intent") or {}])[0]
    if is_emergency(Turn(parse.get("text") or "", intent.intent, intent.confidence)):
        return ["emergency"]
    parts = topics.guesses(parse.get(topics.QUESTIONS) or [])
    passages = topics.guesses(parse.get(topics.PASSAGES) or [])
    return [SAME_REPLY.get(i, i) for i in topics.planned_reply(intent, parts, passages)]


async def parse_all(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # No debug line per message: they would bury the figures.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def score(messages: list[dict[str, Any]], parses: list[dict[str, Any]]) -> tuple[Counter, Counter, list]:
    """Right and total by kind of message, and the misses."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for message, parse in zip(messages, parses):
        kind = kind_of(message["expect"])
        total[kind] += 1
        planned = plan_of(parse)
        if matches(planned, message["expect"]):
            right[kind] += 1
        else:
            misses.append({"text": message["text"], "expect": message["expect"], "got": planned})
    return right, total, misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(MODEL_FILE))
    parser.add_argument(
        "--tests", nargs="+",
        default=[str(REPO_ROOT / "tests" / "nlu" / "real_world.yml"),
                 str(REPO_ROOT / "tests" / "nlu" / "real_world_2.yml")],
        help="test sets, each scored and reported apart",
    )
    parser.add_argument("--out", default=str(REPO_ROOT / "results"))
    parser.add_argument("--floor", type=float, default=0.90, help="the first set's floor")
    parser.add_argument("--all-kinds", action="store_true", help="print every kind, not only misses")
    args = parser.parse_args()

    sets = [(Path(t), yaml.safe_load(Path(t).read_text(encoding="utf-8"))["messages"])
            for t in args.tests]
    texts = [m["text"] for _, messages in sets for m in messages]
    parses = asyncio.run(parse_all(Path(args.model), texts))
    failed = False
    at = 0
    for number, (path, messages) in enumerate(sets):
        right, total, misses = score(messages, parses[at:at + len(messages)])
        at += len(messages)
        accuracy = sum(right.values()) / len(messages)
        out = Path(args.out) / path.stem.replace("_", "-")
        out.mkdir(parents=True, exist_ok=True)
        (out / "misses.json").write_text(json.dumps(misses, indent=1), encoding="utf-8")
        gate = f" (floor {args.floor:.2f})" if number == 0 else " (reported)"
        print(f"{path.name} (never trained on): {sum(right.values())}/{len(messages)} "
              f"= {accuracy:.3f}{gate}")
        for kind in sorted(total, key=lambda k: (right[k] / total[k], k)):
            if args.all_kinds or right[kind] < total[kind]:
                print(f"  {kind:24} {right[kind]}/{total[kind]}")
        print(f"  misses: {out / 'misses.json'}")
        failed = failed or (number == 0 and accuracy < args.floor)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
