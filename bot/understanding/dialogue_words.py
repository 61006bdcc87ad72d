"""The words people use to steer the pre-screen: "I meant", "sorry", "looks right".

They are data (data/dialogue_words.yml) for the same reason as the answer vocabulary:
someone reading real conversations should be able to add "I typed it wrong" without
touching code. This module only says whether a reply holds one of them, and where.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from bot.paths import DATA_DIR
from bot.understanding.lexicon import load_lexicon
from bot.understanding.plain_text import light, plain
from bot.understanding.time_units import unit_words
from bot.understanding.vocabulary_files import DialogueWordsFile, load_as

DEFAULT_PATH = DATA_DIR / "dialogue_words.yml"


def _phrases_re(phrases: list[str]) -> re.Pattern[str]:
    ordered = sorted({plain(p) for p in phrases if plain(p)}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b")


def _replaced_values(markers: list[str]) -> tuple[re.Pattern[str], ...]:
    units = unit_words(load_lexicon()).after_a_number
    ordered = sorted(dict.fromkeys(plain(m) for m in markers), key=len, reverse=True)
    return tuple(re.compile(rf"\b{re.escape(marker)} \d+(?: (?:{units}))?\b") for marker in ordered)


@dataclass(frozen=True)
class DialogueWords:
    """Compiled phrase sets; each matches whole words in `plain()` text."""

    past_correction: re.Pattern[str]
    soft_correction: re.Pattern[str]
    # "61 not 16": a marker, then the old answer (a number, maybe with its unit), longest marker first.
    replaced: tuple[re.Pattern[str], ...]
    filler: re.Pattern[str]
    review_confirm: frozenset[str]
    review_change: frozenset[str]
    review_confirm_run: re.Pattern[str]
    change_request: re.Pattern[str]
    review_confirm_any: re.Pattern[str]
    pause: re.Pattern[str]
    care: re.Pattern[str]
    carry_on: re.Pattern[str]
    carry_on_run: re.Pattern[str]

    def says_past_correction(self, text: str) -> bool:
        """"I meant 61", "that was wrong": the reply is about an answer already given."""
        return bool(self.past_correction.search(plain(text)))

    def leading_soft_words(self, text: str) -> Optional[str]:
        """The rest of a reply after words like "sorry", "no", "wait" at its start, or None
        when it does not start with them ("no, 4 months" -> "4 months")."""
        rest, found = light(text).lstrip(" ,.;:!-"), False
        while True:
            match = self.soft_correction.match(rest)
            if not match or not rest[match.end():].strip():
                break  # "sorry, no": the last word is the answer, not a marker
            rest, found = rest[match.end():].strip(), True
        return rest if found else None

    def without_markers(self, text: str) -> str:
        """The reply with its correction words and the replaced value taken out:
        "oh wait, I meant 61 not 16" -> "61"."""
        words = self.past_correction.sub(" ", light(text))
        words = self.filler.sub(" ", words)
        stripped = self.leading_soft_words(words)
        words = stripped if stripped is not None else words
        for replaced in self.replaced:
            words = replaced.sub(" ", words)
        return " ".join(words.split()).strip(" ,.;:!-")

    def asks_to_pause(self, text: str) -> bool:
        """"I need to stop for now, I'm tired", "can we finish later": a break, not an answer."""
        return bool(self.pause.search(plain(text)))

    def says_a_feeling(self, text: str) -> bool:
        """"this is all so overwhelming", "my mother passed away last week": kind words first."""
        return bool(self.care.search(plain(text)))

    def carries_on(self, text: str) -> bool:
        """"ok I'm ready, carry on where we left off": nothing but going on (no answer in it)."""
        words = plain(text)
        return bool(words) and bool(self.carry_on.search(words)) and bool(self.carry_on_run.fullmatch(words))

    def confirms_review(self, text: str) -> bool:
        """"yes", "that's all correct", "looks good, thanks": nothing but agreeing words."""
        words = plain(text)
        if not words or words in self.review_change:
            return False  # a bare "no" says something is wrong
        if words in self.review_confirm:
            return True
        return bool(self.review_confirm_run.fullmatch(words)) and bool(self.review_confirm_any.search(words))

    def asks_to_change(self, text: str) -> bool:
        """"no", "change an answer", "I made a mistake": something is wrong, not yet what."""
        words = plain(text)
        return words in self.review_change or bool(self.change_request.search(words))


@lru_cache(maxsize=4)
def load_dialogue_words(path: Path = DEFAULT_PATH) -> DialogueWords:
    words = load_as(path, DialogueWordsFile)
    corrections, review, form = words.corrections, words.review, words.in_the_form
    return DialogueWords(
        past_correction=_phrases_re(corrections.past),
        soft_correction=re.compile(_phrases_re(corrections.soft).pattern + r"[\s,.;:!-]*"),
        replaced=_replaced_values(corrections.replaced),
        filler=_phrases_re(corrections.filler),
        review_confirm=frozenset(plain(p) for p in review.confirm),
        review_change=frozenset(plain(p) for p in review.change),
        review_confirm_any=_phrases_re(review.confirm),
        change_request=_phrases_re(review.change_request),
        review_confirm_run=re.compile(
            r"(?:" + _phrases_re(review.confirm + review.glue).pattern + r"\s*)+"
        ),
        pause=_phrases_re(form.pause),
        care=_phrases_re(form.care),
        carry_on=_phrases_re(form.carry_on),
        carry_on_run=re.compile(r"(?:" + _phrases_re(form.carry_on + form.carry_on_glue).pattern + r"\s*)+"),
    )
