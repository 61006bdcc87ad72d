"""One conversation per person per channel: a message's id is the channel's namespace plus the
platform's id, and a reply goes only to the platform's own id within that namespace
(bot.privacy.identity)."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa.core.channels.channel import OutputChannel, UserMessage

from adapters.channels.base import OnNewMessage, logger
from adapters.channels.never_silent import never_silent
from bot.privacy import identity
from bot.understanding.message_text import bounded


def in_namespace(channel: str, on_new_message: OnNewMessage) -> OnNewMessage:
    """Wraps a channel's message handler: the conversation id becomes the channel's
    namespace plus the platform's id, and the input channel is the channel itself,
    whatever the request said. Its text is capped and tidied (bot.understanding.message_text) before
    anything reads or stores it. A message is never met with silence (`never_silent`)."""

    async def receive(message: UserMessage) -> Any:
        message.sender_id = identity.namespaced(channel, message.sender_id)
        message.input_channel = channel
        if isinstance(message.text, str):
            message.text = bounded(message.text)
        return await never_silent(on_new_message, message)

    return receive


class RepliesInNamespace(OutputChannel):
    """Mixin for an output channel: a reply goes to the platform's own id (the phone
    number, not "twilio:+1555..."), and never to a conversation of another channel."""

    namespace: str = ""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.replies_sent = getattr(self, "replies_sent", 0) + 1  # read by never_silent
        own_id = identity.platform_id(self.namespace, recipient_id)
        if own_id is None:
            logger.warning("Did not send a %s reply to a conversation of another channel.",
                           self.namespace or "channel")
            return
        await super().send_response(own_id, message)


def replies_in(namespace: str, output: OutputChannel) -> OutputChannel:
    output.namespace = namespace  # type: ignore[attr-defined]
    return output
