"""Buttons where a platform cannot show them: numbered choices out, and a reply that is just a
number read back in as the payload of the choice it names (before NLU). The choices offered
are read from the tracker store, so this holds across restarts and processes."""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint

from adapters.channel_text import choice_for_reply, may_pick_a_choice, split_message, with_numbered_choices
from adapters.channels.base import Buttons, OnNewMessage, logger


def last_offered_buttons(tracker: Optional[DialogueStateTracker]) -> Buttons:
    """The buttons of the bot's latest turn (its last message with buttons since the
    person last wrote), or [] when that turn offered none."""
    for event in reversed(tracker.events if tracker else []):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered):
            data = event.data or {}
            buttons = data.get("buttons") or data.get("quick_replies")
            if buttons:
                return buttons
    return []


class NumberedReplies:
    """Wraps a channel's message handler: a reply that is just a number becomes the
    payload of that choice, when the bot's latest turn showed its buttons as numbers."""

    def __init__(self, on_new_message: OnNewMessage, numbers_choices: Callable[[Buttons], bool]):
        self._on_new_message = on_new_message
        self._numbers_choices = numbers_choices
        self.blueprint: Optional[Blueprint] = None  # set once the channel's blueprint exists

    async def __call__(self, message: UserMessage) -> Any:
        if message.text and may_pick_a_choice(message.text):
            buttons = await self._offered(message.sender_id)
            if buttons and self._numbers_choices(buttons):
                payload = choice_for_reply(message.text, buttons)
                if payload is not None:
                    message.text = payload
                    logger.debug("Read a numbered reply as one of %d choices.", len(buttons))
        return await self._on_new_message(message)

    async def _offered(self, sender_id: Text) -> Buttons:
        # The agent is the one Rasa's server put on the app this blueprint serves.
        apps = self.blueprint.apps if self.blueprint is not None and self.blueprint.registered else ()
        agent = next((getattr(app.ctx, "agent", None) for app in apps), None)
        if agent is None:
            return []
        return last_offered_buttons(await agent.tracker_store.retrieve(sender_id))


async def parts_before_buttons(
    text: Text, buttons: Buttons, limit: int, numbered: bool,
    send: Callable[[Text], Awaitable[Any]], empty: Text = "",
) -> Optional[Text]:
    """A reply with buttons on a platform with a message limit: where the buttons cannot be
    shown (`numbered`), sends the text with numbered choices and returns None; otherwise sends
    every part of a long text but the last, and returns the last (`empty` when there is no
    text) for the buttons to go under, so the choices always come after the whole text."""
    if numbered:
        for part in with_numbered_choices(text, buttons, limit):
            await send(part)
        return None
    *first, last = split_message(text, limit) or [empty]
    for part in first:
        await send(part)
    return last
