"""The one reading of the tracker's latest message, for the replies outside the pre-screen
(bot.answering): what NLU made of it, and the topic answered before it."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.slots import LAST_TOPIC_SLOT
from bot.answering.message import Message


def read_message(tracker: Tracker) -> Message:
    return Message.from_parse(tracker.latest_message, tracker.get_slot(LAST_TOPIC_SLOT))
