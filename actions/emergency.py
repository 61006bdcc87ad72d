"""Emergency guidance before anything else, whatever NLU took the message for.

NLU can read "my husband can't breathe, is the treatment safe?" as a safety question or
"someone call 911" as a request for a person; the pre-screen's phrase match still knows
them, so every action that answers a message in its own words asks here first, through
actions.guard.
"""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.prescreen.form_requests import Turn, is_emergency


def latest_turn(tracker: Tracker) -> Turn:
    """The latest message as the pre-screen's rules read it."""
    intent = tracker.latest_message.get("intent") or {}
    return Turn(
        text=tracker.latest_message.get("text") or "",
        intent=intent.get("name") or "",
        confidence=float(intent.get("confidence") or 0.0),
    )


def emergency_first(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Emergency guidance, and True, when the message describes an emergency."""
    if not is_emergency(latest_turn(tracker)):
        return False
    dispatcher.utter_message(response="utter_emergency")
    return True
