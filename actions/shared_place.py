"""Places others read (a Slack channel rather than a direct message): a person's pre-screen,
answers and deletion are never asked for or shown there. The actions ask through
actions.guard."""
from __future__ import annotations

from rasa_sdk import Tracker

from bot.privacy import identity

DIRECT_MESSAGE_ONLY = (
    "For your privacy, I only do the pre-screen, and show or delete your answers, in a direct "
    "message. Please open a direct message with me (click my name, then Message) and ask there. "
    "Here I'm happy to answer general questions about the study."
)


def in_shared_place(tracker: Tracker) -> bool:
    """True when the latest message came from a place others read: a Slack channel rather than
    a direct message with the bot (adapters.channels.slack.SlackFromEnv marks it). Replies go where
    the message came from, so a person's answers must not be asked for or shown there."""
    if identity.channel_of(tracker.sender_id) != "slack":
        return False
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata.get("direct_message") is not True
