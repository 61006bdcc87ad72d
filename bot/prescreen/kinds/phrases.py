"""A phrase of the trial file said in a reply, one typo in a word allowed ("same dose", "stabel dose")."""
from __future__ import annotations

from bot.trial.model import Question
from bot.understanding.plain_text import phrase_words
from bot.understanding.reading import Reading


# A word this long may carry one typo ("diagnosd") and still restate the question.
TYPO_MIN_LENGTH = 6


def restates(question: Question, reply: Reading) -> bool:
    """The answer says the question's own words back, plainly: "he was diagnosed last year".

    Only when nothing in it negates or doubts (the yes/no reader found no yes or no at all),
    so "he was never diagnosed" stays a no and "yes but not diagnosed" is asked again.
    """
    if not question.affirmed_by or reply.says_negation:
        return False
    return any(says_phrase(reply.words, phrase_words(phrase)) for phrase in question.affirmed_by)


def says_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    for start in range(len(words) - len(phrase) + 1):
        if all(_same_word(said, wanted) for said, wanted in zip(words[start:], phrase)):
            return True
    return False


def _same_word(said: str, wanted: str) -> bool:
    if said == wanted:
        return True
    return len(wanted) >= TYPO_MIN_LENGTH and abs(len(said) - len(wanted)) <= 1 and _one_edit(said, wanted)


def _one_edit(a: str, b: str) -> bool:
    """At most one inserted, dropped or changed letter between a and b."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]
