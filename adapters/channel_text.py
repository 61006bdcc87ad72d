"""Fitting the assistant's messages to messaging channels: pure text, no Rasa.

Three things the channel adapters (adapters/channels/) need:
- `split_message`: a long answer as several messages, each within the channel's limit;
- `numbered_choices` / `with_numbered_choices`: a message's buttons as numbered
  lines, for channels that cannot show buttons (SMS);
- `choice_for_reply`: a reply like "2", "#2", "two", "the second one" or "2 no" read as
  the payload of that choice.

Lengths are counted in UTF-16 code units, the unit Telegram and SMS count in, so a
message full of emoji still fits (for Slack, which counts characters, it only errs short).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping, Optional

from bot.messages import WORDS
from bot.understanding.grammar_words import load_grammar_words
from bot.understanding.lexicon import load_lexicon
from bot.understanding.phrase_rules import says
from bot.understanding.plain_text import alternation_of, plain_words

CHOICES_PROMPT = WORDS["choices_prompt"]
SINGLE_CHOICE_PROMPT = WORDS["single_choice_prompt"]

# Where a long text may be split, coarsest first: paragraphs, lines, sentences, words.
# Each pattern captures the whitespace it splits at, so a chunk keeps its own layout.
_BOUNDARIES = (
    re.compile(r"(\s*\n[ \t\r\f\v]*\n\s*)"),
    re.compile(r"(\s*\n\s*)"),
    re.compile(r"(?<=[.!?…])(\s+)"),
    re.compile(r"(\s+)"),
)

@dataclass(frozen=True)
class _ChoiceNumbers:
    """How a reply names a numbered choice, from data/grammar_words.yml `choices` and the
    lexicon's number words."""

    reply: re.Pattern[str]
    # "two" -> 2, "first" -> 1, "last" -> -1
    words: Mapping[str, int]


@lru_cache(maxsize=1)
def _choice_numbers() -> _ChoiceNumbers:
    choices = load_grammar_words().choices
    worth = load_lexicon().numbers
    unknown = [word for word in choices.numbers if word.lower() not in worth]
    if unknown:
        raise ValueError(f"data/grammar_words.yml choices.numbers: {', '.join(unknown)} not in the lexicon's numbers")
    numbers = {word.lower(): int(worth[word.lower()]) for word in choices.numbers}
    words = {**numbers, **{word.lower(): number for word, number in choices.ordinals.items()}}
    # "2", "2.", "#2", "(2)", "two", "option 2", "2nd", "the first one", "number 2 please",
    # and a number with that choice's title after it ("2 no", "1. Yes"): the words after
    # the number are kept for `choice_for_reply` to check.
    reply = re.compile(
        rf"^\W*(?:(?:{alternation_of(choices.lead)})\s+)?(?:(?:{alternation_of(choices.before)})\s*)?#?\s*"
        rf"(?P<said>\d{{1,3}}|{alternation_of(list(words))})"
        rf"(?:(?<=\d)(?:st|nd|rd|th))?(?:\s+(?:{alternation_of(choices.after)}))?(?![\w.,]\w)"
        r"\s*[.):!,\-\u2013\u2014]*\s*(?P<rest>.*?)\W*$",
        re.IGNORECASE,
    )
    return _ChoiceNumbers(reply, words)


def _polite(words: str) -> bool:
    """Words around a picked number that add nothing ("2 please", "option 1 thanks"), or none:
    `polite` in data/phrase_rules/steering.yml."""
    return not words or says("polite", words)


def text_length(text: str) -> int:
    """The length of `text` in UTF-16 code units (an emoji counts 2)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int) -> list[str]:
    """`text` as messages of at most `limit` units each, in order, nothing left out.

    Splits at paragraph breaks first, then line breaks, then sentence ends, then
    spaces, and packs as much as fits into each message. Only a single word longer
    than `limit` (a long link) is cut. Empty or blank text gives no messages.
    """
    if limit < 2:
        raise ValueError("a message must hold at least 2 units (one emoji)")
    text = text.strip()
    if not text:
        return []
    return _split(text, limit, 0)


def _split(text: str, limit: int, level: int) -> list[str]:
    if text_length(text) <= limit:
        return [text]
    if level == len(_BOUNDARIES):
        return _cut(text, limit)
    parts = _BOUNDARIES[level].split(text)
    chunks: list[str] = []
    current: list[str] = []  # the message being filled, as pieces and separators
    current_length = 0
    for index in range(0, len(parts), 2):
        piece, separator = parts[index], parts[index - 1] if index else ""
        if not piece:
            continue
        length = text_length(piece)
        # A piece too long for one message is split finer; its first part may
        # still join the message being filled.
        pieces = [piece] if length <= limit else _split(piece, limit, level + 1)
        for position, part in enumerate(pieces):
            if len(pieces) > 1:
                length = text_length(part)
            joined = current_length + text_length(separator) + length
            if position == 0 and current and joined <= limit:
                current += [separator, part]
                current_length = joined
                continue
            if current:
                chunks.append("".join(current))
            current, current_length = [part], length
    if current:
        chunks.append("".join(current))
    return chunks


def _cut(word: str, limit: int) -> list[str]:
    """A word longer than the limit, cut into pieces that fit (never inside a character)."""
    pieces, start, length = [], 0, 0
    for index, char in enumerate(word):
        width = 2 if ord(char) > 0xFFFF else 1
        if length + width > limit:
            pieces.append(word[start:index])
            start, length = index, 0
        length += width
    pieces.append(word[start:])
    return pieces


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str


def choices_of(buttons: Iterable[Mapping[str, Any]]) -> list[Choice]:
    """The buttons a person can pick from, in order; buttons without a title are left out."""
    choices = []
    for button in buttons or ():
        title = " ".join(str(button.get("title") or "").split())
        if title:
            choices.append(Choice(title, str(button.get("payload") or title)))
    return choices


def numbered_choices(buttons: Iterable[Mapping[str, Any]]) -> str:
    """The buttons' titles as numbered lines under "Reply with a number:" ("" when none).

    Payloads (like "/affirm") are never shown: the number stands for them.
    """
    choices = choices_of(buttons)
    if not choices:
        return ""
    if len(choices) == 1:
        # A lone choice ("Not sure") sits beside a question that wants typed words.
        return f"{SINGLE_CHOICE_PROMPT} {choices[0].title}"
    lines = [f"{number}. {choice.title}" for number, choice in enumerate(choices, 1)]
    return "\n".join([CHOICES_PROMPT, *lines])


def with_numbered_choices(
    text: str, buttons: Iterable[Mapping[str, Any]], limit: int
) -> list[str]:
    """A message with buttons as messages of at most `limit` units, choices at the end.

    The numbered choices go in the same message as the end of the text (the
    question), moving the text before it to the previous message if need be. When
    that would cut a word, they come in messages of their own after the text.
    """
    chunks = split_message(text, limit)
    choices = numbered_choices(buttons)
    if not choices or not chunks:
        return chunks + split_message(choices, limit)
    room = limit - 2 - text_length(choices)
    if room < 2:
        return chunks + split_message(choices, limit)
    last = split_message(chunks[-1], room)
    if [w for part in last for w in part.split()] != chunks[-1].split():
        return chunks + split_message(choices, limit)
    return chunks[:-1] + last[:-1] + [f"{last[-1]}\n\n{choices}"]


def _said_number(reply: str) -> Optional[tuple[int, str]]:
    """The number a reply starts with (-1 for "last") and the words after it, else None."""
    numbers = _choice_numbers()
    match = numbers.reply.match(reply or "")
    if match is None:
        return None
    said = match.group("said").lower()
    number = numbers.words.get(said) or int(said)
    return number, " ".join(match.group("rest").split())


def may_pick_a_choice(reply: str) -> bool:
    """Whether a reply starts like a pick from numbered choices ("2", "2 no", "the first one").

    Cheap, needs no buttons: channel adapters look up what was offered only then.
    """
    return _said_number(reply) is not None


def reply_number(reply: str) -> Optional[int]:
    """The number a reply consists of ("2", " 2. ", "#2", "two", "2nd", "option 2 please"),
    else None. "last" is None here: it has no number until the choices are known."""
    said = _said_number(reply)
    if said is None or said[0] < 0 or not _polite(said[1]):
        return None
    return said[0]


def choice_for_reply(reply: str, buttons: Iterable[Mapping[str, Any]]) -> Optional[str]:
    """The payload of the choice a numbered reply picks; None for any other reply.

    Numbers count from 1 as in `numbered_choices`; "the last one" is the last choice.
    Words after the number must be that choice's title ("2 no") or polite filler
    ("2 please"): a number out of range, or a reply that is more than a number
    ("2 years ago", "1 no" when 1 is "Yes"), picks nothing.
    """
    said = _said_number(reply)
    if said is None:
        return None
    number, rest = said
    choices = choices_of(buttons)
    if number < 0:
        number = len(choices)
    if not 1 <= number <= len(choices):
        return None
    choice = choices[number - 1]
    if not (_polite(rest) or _same_words(rest, choice.title)):
        return None
    return choice.payload


def _same_words(said: str, title: str) -> bool:
    return bool(plain_words(said)) and plain_words(said) == plain_words(title)
