"""Pointing a person to the study team, when they ask for a person or when we keep missing
them; the adapter records the request for staff (Reply.handoff), never what they typed."""
from __future__ import annotations

from bot.answering.outcome import Outcome
from bot.prescreen.state import Reply
from bot.trial import replies
from bot.trial.model import Trial

ASKED = "asked"
REPEATED_FAILURE = "repeated_failure"


def handoff(trial: Trial, reason: str) -> Outcome:
    """How to reach the study team; "where does that come from?" then cites its sources."""
    answer = replies.handoff_answer(trial, reason)
    return Outcome([Reply(text=answer.text, custom=answer.payload(), handoff=reason)], answer.topic)
