"""Yes, no or unsure, hedges, and negation where it stands ("not on a ventilator"): the rules
of data/phrase_rules/assertion.yml, read over the words made plain. This module only says how a
reply is read with them; the phrases are data, so a reviewer adds "on the fence" without code."""
from __future__ import annotations

from functools import lru_cache
from typing import Literal, Optional

from bot.understanding.phrase_rules import PhraseMatcher, load_phrase_rules, says, says_any
from bot.understanding.plain_text import plain_words


YesNo = Literal["yes", "no", "unsure"]

# Every text is made plain one way (bot/understanding/plain_text.py): "doesn´t" -> "doesnt", "nooo" -> "no".
_words = plain_words

# Longer answers are statements, not yes/no replies: the caller asks again.
MAX_YES_NO_WORDS = 25
# Doubt, a result still to come or one that did not decide: each is "not sure".
UNSURE = ("hedge", "pending", "inconclusive")


@lru_cache(maxsize=1)
def _yes_idioms() -> PhraseMatcher:
    return load_phrase_rules()["yes_idiom"]


@lru_cache(maxsize=1)
def _negation() -> PhraseMatcher:
    return load_phrase_rules()["negation"]


def parse_yes_no(text: Optional[str]) -> Optional[YesNo]:
    """'yes', 'no' or 'unsure' from a short reply; None when it is not a yes/no answer."""
    if not text:
        return None
    words = _words(text)
    if not words or len(words) > MAX_YES_NO_WORDS:
        return None
    joined = _yes_idioms().replaced(" ".join(words), "yes")  # "no problem" is a yes
    if says_any(UNSURE, joined):
        return "unsure"
    if says("firm_no", joined):
        return "no"
    says_yes = says("yes", joined) or says("affirming_aux", joined)  # "he does", "she is"
    says_no = says("no", joined)
    if says_yes and says_no:
        return None
    if says_yes:
        return "yes"
    if says_no:
        return "no"
    return None


def is_hedged(text: Optional[str]) -> bool:
    """Whether the answer doubts itself ("I think", "maybe", "not sure"): a time or an age said
    with it is read wider."""
    return bool(text) and says("hedge", " ".join(_words(text or "")))


def negated_at(text: str, start: int) -> bool:
    """Whether the span starting at `start` (a name) is in the scope of a negator: one stands
    just before it, in the same clause.

    "not on a ventilator", "no longer takes riluzole", "no ventilator, just bipap"
    (the BiPAP is not negated: the comma ends the clause).
    """
    return _negation().in_scope(text, start)


def says_negation(text: str) -> bool:
    """Whether any negator is said anywhere in the answer."""
    return says("negation", " ".join(_words(text)))


def mentions_never(text: Optional[str]) -> bool:
    """True when the answer says it never happened ("never took it"), for 'when did you last...' questions."""
    if not text:
        return False
    return says("never", " ".join(_words(text)))  # not "never stopped" (a pseudo phrase)
