"""Saying what the domain decided (bot.prescreen.state.Reply, bot.answering.outcome.Outcome):
the one place replies become Rasa messages, hand-offs become staff records and the topic
answered becomes its slot."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.records import record_handoff
from actions.slots import LAST_TOPIC_SLOT, prescreen_in_progress
from bot.answering.outcome import Outcome
from bot.prescreen.state import Reply


def dispatch(dispatcher: CollectingDispatcher, replies: list[Reply]) -> None:
    for reply in replies:
        if reply.response:
            dispatcher.utter_message(response=reply.response, buttons=reply.buttons or None)
        elif reply.text or reply.custom:
            dispatcher.utter_message(
                text=reply.text, buttons=reply.buttons or None, json_message=reply.custom
            )


def say_replies(
    dispatcher: CollectingDispatcher, tracker: Tracker, replies: list[Reply], during_prescreen: bool
) -> None:
    """Says the replies; a reply that points to the study team is noted for staff."""
    dispatch(dispatcher, replies)
    for reply in replies:
        if reply.handoff:
            record_handoff(tracker, reply.handoff, during_prescreen=during_prescreen)


def say(dispatcher: CollectingDispatcher, tracker: Tracker, outcome: Outcome) -> list[EventType]:
    """Says a reply outside the form; its events set the topic it answered."""
    during_prescreen = prescreen_in_progress(tracker)
    say_replies(dispatcher, tracker, outcome.replies, during_prescreen)
    return [SlotSet(LAST_TOPIC_SLOT, outcome.last_topic)] if outcome.last_topic else []
