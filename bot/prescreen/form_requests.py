"""What a reply asks of the pre-screen besides an answer: help in an emergency, a person,
to stop, start over, see or delete the answers, or what the question means.

Each is read before the reply is taken as an answer, so "stop" is never an answer and
"I can't breathe" gets emergency guidance whatever the form is asking.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.understanding.message_text import bounded
from bot.understanding.phrase_rules import says
from bot.prescreen.whom import named_subject

# A trial question asked mid-form is answered only when NLU is this sure of it
# and it reads like a question, not a short answer ("male" is not "ask_age_sex").
QUESTION_CONFIDENCE = 0.8
QUESTION_MIN_WORDS = 3
# Emergency guidance needs no certainty: the `emergency` phrases alone trigger it
# (data/phrase_rules/steering.yml, as are the other phrases read here).
EMERGENCY_CONFIDENCE = 0.8

# "Can I talk to a real person?" mid-form: the study team's contact route, then the form
# asks its question again. NLU's talk_to_person intent catches the other wordings.
HANDOFF_INTENT = "talk_to_person"


@dataclass(frozen=True)
class Turn:
    """What the person sent, as NLU saw it. Its text is bounded (bot.understanding.message_text) before the
    pre-screen's readers see it, whoever made the turn."""

    text: str
    intent: str = ""
    confidence: float = 0.0
    # The topics NLU found asked in the message, each clear, in order (bot.understanding.topics):
    # a message with several questions gets each answered, in the form as outside it.
    topics: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", bounded(self.text or ""))


def is_intent(turn: Turn, intent: str) -> bool:
    return turn.intent == intent and turn.confidence >= QUESTION_CONFIDENCE


def is_emergency(turn: Turn) -> bool:
    """Breathing trouble, choking or self-harm, said in words or recognised by NLU.

    NLU alone is not trusted on a reply that only says whom the questions are about:
    it has learnt "myself" from "hurt myself", and "for myself" is no emergency.
    """
    text = turn.text or ""
    if says("emergency", text):
        return True
    if says("subject_only", text) and named_subject(text) is not None:
        return False  # "my breathing" names no one: NLU is still trusted on it
    if says("no_breathing_trouble", text):
        return False  # "no breathing machine": NLU hears "breathing", the words say none
    return turn.intent == "emergency" and turn.confidence >= EMERGENCY_CONFIDENCE


def wants_a_person(turn: Turn) -> bool:
    """The person asks to talk to a person, in words or recognised by NLU.

    NLU alone is not trusted when the message says whom the questions are about
    ("Someone I care for", "my mom"): those mention people without asking for one.
    """
    text = turn.text or ""
    if says("handoff", text):
        return True
    return is_intent(turn, HANDOFF_INTENT) and named_subject(text) is None
