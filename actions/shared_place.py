"""The one guard for places others read (a Slack channel rather than a direct message): a
person's pre-screen, answers and deletion are never asked for or shown there."""
from __future__ import annotations

import functools
from typing import Any, Awaitable, Callable

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.messages import WORDS
from bot.privacy import identity

DIRECT_MESSAGE_ONLY = WORDS["direct_message_only"]

Run = Callable[[Any, CollectingDispatcher, Tracker, DomainDict], Awaitable[list[EventType]]]


def in_shared_place(tracker: Tracker) -> bool:
    """True when the latest message came from a place others read: a Slack channel rather than
    a direct message with the bot (adapters.channels.slack.SlackFromEnv marks it). Replies go where
    the message came from, so a person's answers must not be asked for or shown there."""
    if identity.channel_of(tracker.sender_id) != "slack":
        return False
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata.get("direct_message") is not True


def direct_message_only(*refused: EventType) -> Callable[[Run], Run]:
    """An action's `run` that is personal: in a shared place it points to a direct message and
    returns `refused` instead (the events that close what the action would have opened)."""

    def guard(run: Run) -> Run:
        @functools.wraps(run)
        async def guarded(
            self: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
        ) -> list[EventType]:
            if in_shared_place(tracker):
                dispatcher.utter_message(text=DIRECT_MESSAGE_ONLY)
                return list(refused)
            return await run(self, dispatcher, tracker, domain)

        return guarded

    return guard
