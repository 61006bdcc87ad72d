"""The words people use to steer the pre-screen: "I meant", "sorry", "looks right".

They are data (data/phrase_rules/dialogue.yml) for the same reason as the answer vocabulary:
someone reading real conversations should be able to add "I typed it wrong" without
touching code. This module only says whether a reply holds them, and where.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from bot.understanding.lexicon import load_lexicon
from bot.understanding.phrase_rules import PhraseMatcher, PhraseRules, load_phrase_rules, says
from bot.understanding.plain_text import light, plain
from bot.understanding.time_units import unit_words

# The marks after a soft word at the start of a reply ("no, 4 months"): no words, only marks.
_AFTER_SOFT_WORD = re.compile(r"[\s,.;:!-]*")


def _replaced_value(marker: PhraseMatcher) -> re.Pattern[str]:
    """"61 not 16": a marker of the rules, then the old answer, a number maybe with its unit
    (data/lexicon.yml `units`, so "4 months instead of 14 months" loses "14 months")."""
    units = unit_words(load_lexicon()).after_a_number
    return re.compile(rf"{marker.pattern.pattern} \d+(?: (?:{units}))?\b", marker.pattern.flags)


@dataclass(frozen=True)
class DialogueWords:
    """The rules of data/phrase_rules/dialogue.yml, compiled; each reads `plain()` text, or
    `light()` text where a correction's words are taken out of the reply."""

    rules: PhraseRules
    replaced: re.Pattern[str]

    def says_past_correction(self, text: str) -> bool:
        """"I meant 61", "that was wrong": the reply is about an answer already given."""
        return says("past_correction", plain(text))

    def leading_soft_words(self, text: str) -> Optional[str]:
        """The rest of a reply after words like "sorry", "no", "wait" at its start, or None
        when it does not start with them ("no, 4 months" -> "4 months")."""
        soft = self.rules["soft_correction"].pattern
        rest, found = light(text).lstrip(" ,.;:!-"), False
        while True:
            match = soft.match(rest)
            end = _AFTER_SOFT_WORD.match(rest, match.end()).end() if match else 0
            if not match or not rest[end:].strip():
                break  # "sorry, no": the last word is the answer, not a marker
            rest, found = rest[end:].strip(), True
        return rest if found else None

    def without_markers(self, text: str) -> str:
        """The reply with its correction words and the replaced value taken out:
        "oh wait, I meant 61 not 16" -> "61"."""
        words = self.rules["past_correction"].removed(light(text))
        words = self.rules["filler"].removed(words)
        stripped = self.leading_soft_words(words)
        words = stripped if stripped is not None else words
        words = self.replaced.sub(" ", words)
        return " ".join(words.split()).strip(" ,.;:!-")

    def asks_to_pause(self, text: str) -> bool:
        """"I need to stop for now, I'm tired", "can we finish later": a break, not an answer."""
        return says("pause", plain(text))

    def says_a_feeling(self, text: str) -> bool:
        """"this is all so overwhelming", "my mother passed away last week": kind words first."""
        return says("care", plain(text))

    def carries_on(self, text: str) -> bool:
        """"ok I'm ready, carry on where we left off": nothing but going on (no answer in it)."""
        words = plain(text)
        return bool(words) and says("carry_on", words) and says("carry_on_reply", words)

    def confirms_review(self, text: str) -> bool:
        """"yes", "that's all correct", "looks good, thanks": nothing but agreeing words.

        A bare "no" says something is wrong, though "no" may stand among agreeing words
        ("no, all good")."""
        words = plain(text)
        if not words or says("review_change", words):
            return False
        return says("review_reply", words) and says("review_confirm", words)

    def asks_to_change(self, text: str) -> bool:
        """"no", "change an answer", "I made a mistake": something is wrong, not yet what."""
        words = plain(text)
        return says("review_change", words) or says("change_request", words)


@lru_cache(maxsize=1)
def load_dialogue_words() -> DialogueWords:
    """The dialogue rules, compiled once (with the rest of data/phrase_rules/)."""
    rules = load_phrase_rules()
    return DialogueWords(rules, _replaced_value(rules["replaced_marker"]))
