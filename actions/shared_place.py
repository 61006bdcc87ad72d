"""Places others read (a Slack channel rather than a direct message): a person's pre-screen,
answers and deletion are never asked for or shown there. The actions ask through
actions.guard."""
from __future__ import annotations

from rasa_sdk import Tracker

from bot.messages import WORDS
from bot.privacy import identity

DIRECT_MESSAGE_ONLY = WORDS["direct_message_only"]


def in_shared_place(tracker: Tracker) -> bool:
    """True when the latest message came from a place others read: a Slack channel rather than
    a direct message with the bot (adapters.channels.slack.SlackFromEnv marks it). Replies go where
    the message came from, so a person's answers must not be asked for or shown there."""
    if identity.channel_of(tracker.sender_id) != "slack":
        return False
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata.get("direct_message") is not True
