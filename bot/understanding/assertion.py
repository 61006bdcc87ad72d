"""Yes, no or unsure, hedges, and negation where it stands ("not on a ventilator"), from the
lexicon's `assertion` and `negation` words."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Optional
import re

from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.phrase_rules import says
from bot.understanding.plain_text import WORD_RE, light, phrase_pattern, plain_words


YesNo = Literal["yes", "no", "unsure"]

# Every text is made plain one way (bot/understanding/plain_text.py): "doesn´t" -> "doesnt", "nooo" -> "no".
_words = plain_words


@dataclass(frozen=True)
class _AssertionPatterns:
    yes: re.Pattern[str]
    no: re.Pattern[str]
    firm_no: re.Pattern[str]
    yes_idioms: re.Pattern[str]
    unsure: re.Pattern[str]  # hedges, pending and inconclusive
    hedges: re.Pattern[str]
    negators: re.Pattern[str]
    clause_break: re.Pattern[str]
    window: int


@lru_cache(maxsize=4)
def _assertion(lexicon: Lexicon) -> _AssertionPatterns:
    a = lexicon.assertion
    return _AssertionPatterns(
        yes=phrase_pattern(a["yes"]),
        no=phrase_pattern(a["no"]),
        firm_no=phrase_pattern(a["firm_no"]),
        yes_idioms=phrase_pattern(a["yes_idioms"]),
        unsure=phrase_pattern(a["hedges"] + a["pending"] + a["inconclusive"]),
        hedges=phrase_pattern(a["hedges"]),
        negators=phrase_pattern(a.negators),
        clause_break=re.compile(r"[,;.!?]|" + phrase_pattern(a.clause_breaks).pattern),
        window=a.window,
    )


def assertion_patterns(lexicon: Optional[Lexicon] = None) -> _AssertionPatterns:
    return _assertion(lexicon or load_lexicon())


# Longer answers are statements, not yes/no replies: the caller asks again.
MAX_YES_NO_WORDS = 25
SINGLE_LETTER = {"y": "yes", "n": "no"}


def parse_yes_no(text: Optional[str], lexicon: Optional[Lexicon] = None) -> Optional[YesNo]:
    """'yes', 'no' or 'unsure' from a short reply; None when it is not a yes/no answer."""
    if not text:
        return None
    words = _words(text)
    if not words or len(words) > MAX_YES_NO_WORDS:
        return None
    if len(words) == 1 and words[0] in SINGLE_LETTER:
        return SINGLE_LETTER[words[0]]  # type: ignore[return-value]
    p = assertion_patterns(lexicon)
    joined = p.yes_idioms.sub("yes", " ".join(words))
    if p.unsure.search(joined):
        return "unsure"
    if p.firm_no.search(joined):
        return "no"
    says_yes = bool(p.yes.search(joined)) or says("affirming_aux", joined)  # "he does", "she is"
    says_no = bool(p.no.search(joined))
    if says_yes and says_no:
        return None
    if says_yes:
        return "yes"
    if says_no:
        return "no"
    return None


def is_hedged(text: Optional[str], lexicon: Optional[Lexicon] = None) -> bool:
    """Whether the answer doubts itself ("I think", "maybe", "not sure")."""
    return bool(text) and bool(assertion_patterns(lexicon).hedges.search(" ".join(_words(text or ""))))


def negated_at(text: str, start: int, lexicon: Optional[Lexicon] = None) -> bool:
    """Whether a negator comes just before position `start`, in the same clause.

    "not on a ventilator", "no longer takes riluzole", "no ventilator, just bipap"
    (the BiPAP is not negated: the comma ends the clause).
    """
    p = assertion_patterns(lexicon)
    clause = p.clause_break.split(light(text[:start]))[-1]
    words = WORD_RE.findall(clause)[-p.window:]
    return bool(p.negators.search(" ".join(words)))


def says_negation(text: str, lexicon: Optional[Lexicon] = None) -> bool:
    """Whether any negator is said anywhere in the answer."""
    return bool(assertion_patterns(lexicon).negators.search(" ".join(_words(text))))


def mentions_never(text: Optional[str]) -> bool:
    """True when the answer says it never happened ("never took it"), for 'when did you last...' questions."""
    if not text:
        return False
    return says("never", " ".join(_words(text)))  # not "never stopped" (a pseudo phrase)
