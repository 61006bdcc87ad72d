"""The latest message as NLU read it, held as plain data.

The action adapter reads it from Rasa's tracker once (actions/latest_message.py); every reply
outside the pre-screen is chosen from this, so none of them reads the tracker or the parse
data again, and each can be tested without Rasa.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Mapping, Optional

from bot.understanding import topics
from bot.understanding.lexicon import load_lexicon
from bot.understanding.topics import Guess

# Longer than any lexicon name; a longer entity value is no name of ours.
MAX_ENTITY_LENGTH = 100


@dataclass(frozen=True)
class Passage:
    """The trial file's best passage for one topic (bot/trial/passages.py)."""

    guess: Guess  # the topic's intent, and how close the passage is
    passage_id: str


@dataclass(frozen=True)
class Message:
    text: str
    intent: Guess  # the whole message's, after the fallback classifier
    parts: tuple[Guess, ...] = ()  # each question in it (bot.understanding.questions_in_message)
    medications: tuple[str, ...] = ()  # medicine names its entities carry, as typed into them
    last_topic: Optional[str] = None  # the topic answered before, for "where is that from?"
    # NLU's ranking of every intent and the trial file's best passages, as NLU gave them: only
    # a message no topic is sure of reads them (`ranking`, `passages`), so most replies never
    # pay for turning them into guesses.
    raw_ranking: tuple[Mapping[str, Any], ...] = ()
    raw_passages: tuple[Mapping[str, Any], ...] = ()

    @classmethod
    def from_parse(cls, parse: Mapping[str, Any], last_topic: Optional[str] = None) -> "Message":
        """From Rasa's parse data, as untrusted input.

        A person can type an intent with entities of their own (`/ask_medications{"medication":
        ["x"]}`, a name of 10,000 characters, a number): only a string short enough to be a
        lexicon name is kept, anything else is skipped, never an error.
        """
        return cls(
            text=parse.get("text") or "",
            intent=topics.guesses([parse.get("intent") or {}])[0],
            parts=tuple(topics.guesses(parse.get(topics.QUESTIONS) or [])),
            medications=tuple(entity_values(parse, "medication")),
            last_topic=last_topic,
            raw_ranking=tuple(parse.get("intent_ranking") or []),
            raw_passages=tuple(parse.get(topics.PASSAGES) or []),
        )

    @cached_property
    def ranking(self) -> tuple[Guess, ...]:
        return tuple(topics.guesses(self.raw_ranking))

    @cached_property
    def passages(self) -> tuple[Passage, ...]:
        return tuple(
            Passage(guess, str(raw.get("passage")))
            for guess, raw in zip(topics.guesses(self.raw_passages), self.raw_passages)
        )

    def asked_topics(self) -> list[str]:
        """The topics it asks about, from NLU's reading of the whole and of each question."""
        return topics.topics_to_answer(self.intent, list(self.parts))

    def medication_groups(self) -> list[str]:
        """Groups (riluzole, edaravone, immunosuppressant...) of the medicines it names."""
        lexicon = load_lexicon()
        groups = []
        for value in self.medications:
            try:
                groups.append(lexicon.group_of_medication(value))
            except KeyError:  # not a name in the lexicon
                continue
        return groups


def entity_values(parse: Mapping[str, Any], entity: str) -> list[str]:
    """The string values of the parse data's entities of one kind, in order."""
    entities: Any = parse.get("entities") or []
    if not isinstance(entities, list):
        return []
    return [
        e["value"] for e in entities
        if isinstance(e, dict) and e.get("entity") == entity and isinstance(e.get("value"), str)
        and 0 < len(e["value"]) <= MAX_ENTITY_LENGTH
    ]
