"""Counts how often the reply parsers run while the pre-screen handles one message.

Used by tests/unit/test_reading.py (a reply is parsed once) and scripts/count_parses.py
(the numbers before and after bot/understanding/reading.py). It only wraps functions that exist, so the
same count runs on code from before the reading was introduced.
"""
from __future__ import annotations

import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterator

import spacy.language

from bot.prescreen import screening
from bot.prescreen.form_requests import Turn
from bot.prescreen.state import ASKING, State
from bot.trial.model import Trial

# The parsers a reply goes through (bot/understanding/: assertion, numbers, times, ages; old and new
# entry points).
PARSERS = (
    "parse_yes_no", "is_hedged", "says_negation", "mentions_never", "numbers_to_digits", "negated_at",
    "parse_elapsed", "elapsed_in", "window_days", "window_in", "parse_age", "age_in",
)
SPACY = "spacy pipeline"


@dataclass
class ParseCount:
    """Calls per (parser, text); negated_at per (parser, text, position)."""

    calls: Counter[tuple[Any, ...]] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    @property
    def repeated(self) -> dict[tuple[Any, ...], int]:
        """Parser runs on a text it had already read: what one reading saves."""
        return {key: n for key, n in self.calls.items() if n > 1}

    def by_parser(self) -> Counter[str]:
        counted: Counter[str] = Counter()
        for key, n in self.calls.items():
            counted[key[0]] += n
        return counted


def _counting(name: str, original: Callable[..., Any], count: ParseCount) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = (name, args[0], args[1]) if name == "negated_at" else (name, args[0])
        count.calls[key] += 1
        return original(*args, **kwargs)
    return wrapper


@contextmanager
def counting_parses() -> Iterator[ParseCount]:
    """Wraps each parser wherever a bot module imported it, and spaCy's pipeline call."""
    from bot.understanding import ages, assertion, numbers, times

    count = ParseCount()
    patched: list[tuple[Any, str, Any]] = []
    for name in PARSERS:
        original = next((getattr(m, name) for m in (assertion, numbers, times, ages) if hasattr(m, name)), None)
        if original is None:
            continue
        wrapper = _counting(name, original, count)
        for module_name, module in list(sys.modules.items()):
            if module_name.startswith("bot") and getattr(module, name, None) is original:
                patched.append((module, name, original))
                setattr(module, name, wrapper)
    language_call = spacy.language.Language.__call__

    def pipeline_call(self: Any, text: Any, *args: Any, **kwargs: Any) -> Any:
        count.calls[(SPACY, text)] += 1
        return language_call(self, text, *args, **kwargs)

    patched.append((spacy.language.Language, "__call__", language_call))
    spacy.language.Language.__call__ = pipeline_call  # type: ignore[method-assign]
    try:
        yield count
    finally:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)


# A caregiver for a man, past the first questions; riluzole is asked next.
ANSWERS = {
    "diagnosed": "yes",
    "other_causes_ruled_out": "yes",
    "weakness_started": 12,
    "age": 54,
    "sex": "male",
    "us_resident": "yes",
    "can_travel": "yes",
}
ORDER = list(ANSWERS)
# Said to "Does he take riluzole now?": each is tried against that question, and against
# the next questions (a follow-up) or earlier answers (a correction).
MESSAGES = (
    "he started it last week",  # riluzole yes, and not on a steady dose for 30 days
    "no, he stopped Rilutek about two months ago",  # riluzole no, and none in the last 30 days
    "sorry, his weakness began about 14 months ago",  # a correction of the onset
    "oh wait, I meant he is fifty eight not 54",  # a correction of the age
    "I think so, he takes it twice a day",  # hedged: unsure, no follow-up
)


def fresh_state() -> State:
    return State(stage=ASKING, is_self=False, relation="husband", answers=dict(ANSWERS), order=list(ORDER))


def count_one_message(trial: Trial, text: str, today: date) -> tuple[ParseCount, State]:
    """The parser runs while the state machine handles `text` as the reply to the riluzole question."""
    state = fresh_state()
    with counting_parses() as count:
        screening.step(trial, state, Turn(text=text), today)
    return count, state
