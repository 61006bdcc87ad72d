"""What to answer, from what NLU understood of a message and of each question in it.

NLU gives an intent for the whole message and one for each question part
(`bot.understanding.questions_in_message`). A message that asks two or three things gets each answered,
in order; one that asks one thing, with worried context around it, gets the question's
topic. When nothing is clear enough, the likeliest topics are offered ("Did you mean…").
Kept free of Rasa so the action and the real-world evaluation use the same rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional, Sequence

FALLBACK = "nlu_fallback"
# The parse-data key under which NLU puts each question part's text, span, intent, confidence.
QUESTIONS = "questions"
# The parse-data key of the trial file's best passages for the message (bot/trial/passages.py):
# each topic's intent, its best passage's score ("confidence") and the passage's id.
PASSAGES = "passages"
# A passage this close answers a message the classifier is unsure of (on the training
# examples, scripts/calibrate_passages.py: its topic was right 68% of the time at 1.0, 90% at
# 1.1; the reply shows the passage with its source and still offers the likely topics).
SOURCE_ANSWER = 1.0
MOST_ANSWERS = 3
# Intents answered by action_answer_question (a trial topic, care, medicine advice).
NOT_A_TOPIC = frozenset({"ask_capabilities"})
ANSWERED_INTENTS_OUTSIDE_ASK = frozenset({"care"})
# A question part counts when NLU is at least this sure of it.
PART_CONFIDENCE = 0.5
# "Did you mean…" offers topics at least this likely, when nothing is sure enough.
SUGGESTION_CONFIDENCE = 0.08
MOST_SUGGESTIONS = 3


@dataclass(frozen=True)
class Guess:
    intent: str
    confidence: float
    asks: bool = True  # for a part of a message: a question, not context around one


def is_answered_topic(intent: str) -> bool:
    """An intent that action_answer_question answers from the trial file or as care."""
    return (intent.startswith("ask_") and intent not in NOT_A_TOPIC) or (
        intent in ANSWERED_INTENTS_OUTSIDE_ASK
    )


def _unique(intents: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(intents))


def topics_to_answer(whole: Guess, parts: Sequence[Guess]) -> list[str]:
    """The topics to answer, in the order asked (at most three); empty when none is clear.

    Several clear questions are each answered. One question part is more focused than the
    whole ("We are desperate. Does it help?" is about efficacy, whatever the first sentence
    adds), so it wins unless the whole is read more surely ("is it hype or is there real
    proof" is one question, cut in two). Parts that ask nothing are context. Without any,
    the whole message's intent stands when it is a topic.
    """
    asked = _unique(
        p.intent for p in parts
        if p.asks and is_answered_topic(p.intent) and p.confidence >= PART_CONFIDENCE
    )
    if len(asked) > 1:
        return asked[:MOST_ANSWERS]
    whole_is_topic = is_answered_topic(whole.intent)
    if asked and not (whole_is_topic and whole.confidence >= _confidence_of(asked[0], parts)):
        return asked  # one question, read more surely than the whole with its context
    return [whole.intent] if whole_is_topic else []


def _confidence_of(intent: str, parts: Sequence[Guess]) -> float:
    return max(p.confidence for p in parts if p.intent == intent)


# Intents whose action answers the questions of a message too ("hi! is it still open?").
ALSO_ANSWERS_QUESTIONS = frozenset({FALLBACK, "greet"})


def from_sources(intent: Guess, parts: Sequence[Guess], passages: Sequence[Guess]) -> Optional[Guess]:
    """The passage that answers a message no topic is sure of, or None.

    Only when the classifier is unsure of the whole message and of every question in it:
    a sure topic's answer is the one its examples were written for.
    """
    if intent.intent != FALLBACK or topics_to_answer(intent, parts) or not passages:
        return None
    best = passages[0]
    return best if is_answered_topic(best.intent) and best.confidence >= SOURCE_ANSWER else None


def planned_reply(
    intent: Guess, parts: Sequence[Guess], passages: Sequence[Guess] = ()
) -> list[str]:
    """What the reply is about: the topics answered, a passage from the sources, or else the
    intent's own move.

    `intent` is the message's intent after the fallback classifier; what the actions do
    with it is this, so the real-world evaluation scores what a person would get.
    """
    if is_answered_topic(intent.intent) or intent.intent in ALSO_ANSWERS_QUESTIONS:
        topics = topics_to_answer(intent, parts)
        if topics:
            return topics
        found = from_sources(intent, parts, passages)
        if found is not None:
            return [found.intent]
    return [intent.intent]


# Intents never set aside for the questions around them.
KEPT_WHOLE = frozenset({"emergency"})


def message_intent(whole: Guess, parts: Sequence[Guess]) -> Guess:
    """The intent of a message that asks several clear questions is its first question.

    "My mom is 72. Is she too old, and is there a placebo?" may read as a request to be
    checked as a whole; its questions decide what the dialogue does (answer them).
    """
    if whole.intent in KEPT_WHOLE:
        return whole
    asked = topics_to_answer(Guess(FALLBACK, 0.0), parts)
    if len(asked) < 2:
        return whole
    first = next(p for p in parts if p.intent == asked[0] and p.asks)
    return Guess(first.intent, first.confidence)


def suggestions(ranking: Sequence[Guess]) -> list[str]:
    """The likeliest topics to offer as "Did you mean…" buttons (none for gibberish)."""
    return [
        g.intent for g in ranking
        if is_answered_topic(g.intent) and g.confidence >= SUGGESTION_CONFIDENCE
    ][:MOST_SUGGESTIONS]


def guesses(raw: Iterable[Mapping[str, Any]]) -> list[Guess]:
    """Guesses from Rasa's parse data ({"name"|"intent", "confidence", "asks"} dicts)."""
    return [
        Guess(str(r.get("name") or r.get("intent") or ""), float(r.get("confidence") or 0.0),
              bool(r.get("asks", True)))
        for r in raw
    ]
