"""Prints how long the parsing steps take per message: figures, not a pass/fail.

Timings on shared machines are noisy, so tests never assert them; run
`make bench` before and after a change and compare. With a trained model, the whole
NLU pipeline (classifier, questions of the message, entities, fallback) is timed too.
"""
from __future__ import annotations

import asyncio
import logging
import statistics
import time
from datetime import date

from bot.paths import MODEL_FILE
from bot.prescreen import screening
from bot.prescreen.form_requests import Turn
from bot.prescreen.state import State
from bot.understanding.ages import parse_age
from bot.understanding.assertion import parse_yes_no
from bot.understanding.times import parse_days_since, parse_months_since
from bot.understanding.nlp import find_entities
from bot.trial.loading import load_trial

MESSAGES = {
    "short answer": "I take Rilutek twice a day",
    "three questions": "Is it still open? Who pays for it, and how many visits are there?",
    "caregiver sentence": "my husband stopped radicava 2 weeks ago and is on prednisone for his RA",
    "capped paste (600 chars)": ("my mom has been very tired lately and walks slowly. " * 12)[:600],
}


def _time(fn, text: str, repeat: int = 50) -> list[float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(text)
        runs.append((time.perf_counter() - started) * 1000)
    return runs


def main() -> None:
    find_entities("warm up")
    today = date.today()
    steps = {
        "find_entities": find_entities,
        "parse_yes_no": parse_yes_no,
        "parse_age": parse_age,
        "parse_months_since": lambda t: parse_months_since(t, today),
        "parse_days_since": lambda t: parse_days_since(t, today),
    }
    steps["pre-screen turn"] = _prescreen_turn(today)
    steps["rank passages"] = _passage_ranking()
    parse = _nlu_parser()
    if parse is not None:
        steps["nlu (whole pipeline)"] = parse
    print(f"{'message':28} {'step':20} {'median ms':>10} {'p95 ms':>8}")
    for label, text in MESSAGES.items():
        for name, fn in steps.items():
            runs = sorted(_time(fn, text))
            print(f"{label:28} {name:20} {statistics.median(runs):10.2f} {runs[int(len(runs) * 0.95) - 1]:8.2f}")


# A pre-screen half way through (a caregiver, at the riluzole question): one message there is
# read against the question asked, the answers it might correct and the questions it may also answer.
HALF_WAY = ("Yes, I agree", "yes", "yes they did an emg", "about 14 months ago", "58", "yes", "yes")


def _prescreen_turn(today: date):
    """The state machine's whole turn for one message (reading, corrections, read-back)."""
    trial = load_trial()
    state = screening.start(trial, "can my husband join?")
    for text in HALF_WAY:
        screening.step(trial, state, Turn(text), today)
    saved = state.to_dict()

    def turn(text: str) -> None:
        copy = State.from_dict(saved)
        screening.step(trial, copy, Turn(text), today)
        screening.prompt(trial, copy)

    return turn


def _passage_ranking():
    """The trial file's passages ranked against a message (asked only when the classifier is unsure)."""
    from bot.trial.passages import PassageIndex
    from bot.understanding.word_vectors import load_word_vectors

    index = PassageIndex.of_trial(load_trial(), load_word_vectors())
    index.rank("warm up")
    return index.rank


def _nlu_parser():
    """The trained model's NLU as a function of the text, or None without a model."""
    if not MODEL_FILE.exists():
        print(f"(no model at {MODEL_FILE}: 'make train' adds the NLU pipeline to these figures)")
        return None
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(MODEL_FILE))
    loop = asyncio.new_event_loop()
    return lambda text: loop.run_until_complete(agent.parse_message(text))


if __name__ == "__main__":
    main()
