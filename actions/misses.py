"""Counting the messages in a row the assistant did not understand, so that the third one
points to the study team (data/rules.yml reads the `misses` slot)."""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.prescreen.state import MISSES_BEFORE_HANDOFF

NOT_UNDERSTOOD = "action_not_understood"
# Rasa runs this one when no policy is sure what to do; ours replaces its silent default.
DEFAULT_FALLBACK = "action_default_fallback"
# Misses in a row, as of the latest miss: the rule "the third miss in a row" reads it.
MISSES_SLOT = "misses"
# A message answered first by one of these, with no answer from the trial, is a miss.
MISS_ACTIONS = frozenset({NOT_UNDERSTOOD, DEFAULT_FALLBACK})


def misses_before_this_message(tracker: Tracker) -> int:
    """How many messages in a row, just before the latest one, the assistant did not understand.

    The `misses` slot holds the count as of the latest miss. A reply that is only a response
    ("You're welcome") sets no slot, so the count holds only while the message before the
    latest one was answered by a miss action; a new session starts it again.
    """
    if previous_action(tracker) not in MISS_ACTIONS:
        return 0
    return int(tracker.get_slot(MISSES_SLOT) or 0)


def previous_action(tracker: Tracker) -> Optional[str]:
    """The last action other than listening before the latest message, from every event Rasa
    sends (a fallback's, taken back, too); None at the start of a session.

    Only the previous message's events are read, however long the conversation.
    """
    seen_latest = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if seen_latest:
                return None
            seen_latest = True
        elif kind == "session_started" and seen_latest:
            return None
        elif kind == "action" and seen_latest and event.get("name") != "action_listen":
            return event.get("name")
    return None


def misses_after(dispatcher: CollectingDispatcher, misses_before: int) -> int:
    """The count once this message is answered: a reply with an answer from the trial is no
    miss; after a hand-off (the third miss) the count starts again."""
    answered = any((m.get("custom") or {}).get("type") == "answer" for m in dispatcher.messages)
    misses = 0 if answered else misses_before + 1
    return 0 if misses > MISSES_BEFORE_HANDOFF else misses
