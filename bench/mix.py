"""Who the simulated visitors are and what they say: the message mix of `make bench`.

A visit is one conversation (its own sender id): a few questions, or a whole pre-screen
answered in free text. The stock `rasa init` assistant gets visits made of its own training
phrases, so both are asked what they were built to answer.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Protocol

import yaml

from bench import prescreens
from bot.trial.replies import TECHNICAL_PROBLEM

MIX_FILE = Path(__file__).with_name("mix.yml")


class Visit(Protocol):
    prescreen: bool

    def first(self) -> str: ...

    def after(self, replies: list[dict]) -> tuple[Optional[str], Optional[str]]:
        """(the next message or None when the visit is over, an error or None)."""


def _problem(replies: list[dict]) -> Optional[str]:
    if not replies:
        return "no reply"
    if any(m.get("text") == TECHNICAL_PROBLEM for m in replies):
        return "technical-problem reply"
    return None


@dataclass
class Questions:
    """A visitor who asks a few questions, one after another. Ours answers every message, so
    no reply is an error; the stock assistant is built to say nothing to some of its phrases
    ("yes" out of context), so there only a technical problem is."""

    messages: list[str]
    prescreen: bool = False
    every_message_answered: bool = True

    def first(self) -> str:
        return self.messages.pop(0)

    def after(self, replies: list[dict]) -> tuple[Optional[str], Optional[str]]:
        problem = _problem(replies) if replies or self.every_message_answered else None
        return (self.messages.pop(0) if self.messages else None), problem


@dataclass
class PreScreen:
    """A visitor who does the whole pre-screen as one of bench/prescreens.py's people."""

    expected: str
    answers: dict[str, str]
    prescreen: bool = True
    opening: list[str] = field(default_factory=lambda: list(prescreens.OPENING))

    def first(self) -> str:
        return self.opening.pop(0)

    def after(self, replies: list[dict]) -> tuple[Optional[str], Optional[str]]:
        problem = _problem(replies)
        if problem:
            return None, problem
        if self.opening:
            return self.opening.pop(0), None
        verdict = prescreens.verdict_of(replies)
        if verdict is not None:
            return None, None if verdict == self.expected else f"wrong verdict ({verdict})"
        message = prescreens.next_message(self.answers, replies)
        return message, None if message is not None else "pre-screen stuck"


@dataclass
class Turns:
    """Turns sent so far, by kind: which kind of visit comes next keeps the mix's shares."""

    questions: int = 0
    prescreen: int = 0


class Mix:
    def __init__(self, path: Path = MIX_FILE) -> None:
        spec = yaml.safe_load(path.read_text())
        self.share = float(spec["turn_shares"]["prescreen"])
        self.per_visit = tuple(spec["questions_per_visit"])
        self.kinds = {str(k): float(w) for k, w in spec["question_kinds"].items()}
        self.questions = {str(k): [str(m) for m in ms] for k, ms in spec["questions"].items()}
        self.people = list(prescreens.PERSONAS)

    def visit(self, rng: random.Random, turns: Turns) -> Visit:
        total = turns.questions + turns.prescreen
        if total and turns.prescreen / total < self.share:
            expected = rng.choice(self.people)
            return PreScreen(expected, prescreens.answers_of(expected, rng.randint(30, 74)))
        kinds = rng.choices(list(self.kinds), weights=list(self.kinds.values()),
                            k=rng.randint(*self.per_visit))
        return Questions([rng.choice(self.questions[kind]) for kind in kinds])


class StockMix:
    """The stock assistant's own phrases (its data/nlu.yml), 1 to 5 a visit."""

    def __init__(self, project: Path, per_visit: tuple[int, int] = (1, 5)) -> None:
        nlu = yaml.safe_load((project / "data" / "nlu.yml").read_text())
        self.phrases = [line[2:].strip() for item in nlu["nlu"] if "intent" in item
                        for line in item["examples"].splitlines() if line.startswith("- ")]
        self.per_visit = per_visit

    def visit(self, rng: random.Random, turns: Turns) -> Visit:
        phrases = [rng.choice(self.phrases) for _ in range(rng.randint(*self.per_visit))]
        return Questions(phrases, every_message_answered=False)
