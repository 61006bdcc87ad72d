"""Whose conversation a message belongs to: one identity per person per channel.

Rasa keys a conversation, its lock and its tracker by the sender id alone, and
a REST body can name any sender and any `input_channel`. So the server decides
identity instead: every channel adapter (adapters/channels/) puts its own
name in front of the id the platform gave it, and only that adapter can make
ids in its namespace:

    Twilio, From +15551234567          -> "twilio:+15551234567"
    REST body, sender "twilio:+1555"   -> "rest:twilio:+1555"  (never the SMS person)

The channel that really received a message is therefore the namespace of the
sender id, never a field of the request; the pseudonym of stored answers is
made from it (bot.privacy.pseudonyms.pseudonym_for). Standard library only, like the rest of bot/.
"""
from __future__ import annotations

from typing import Optional

SEPARATOR = ":"
# The channels this server runs (credentials.yml). The chat page (web/page_server.py) is
# "web"; the staff terminal (`make shell`) is "shell". An id outside these namespaces reached Rasa through a channel that
# does not namespace; it is kept apart from all of them under UNKNOWN.
CHANNELS = frozenset({"rest", "web", "socketio", "telegram", "slack", "twilio", "shell"})
UNKNOWN = "unknown"


def namespaced(channel: str, platform_id: object) -> str:
    """The conversation id for `platform_id` as received by `channel`."""
    if channel not in CHANNELS:
        raise ValueError(f"not a channel of this server: {channel!r}")
    return f"{channel}{SEPARATOR}{platform_id}"


def channel_of(sender_id: str) -> str:
    """The channel that received this conversation's messages (UNKNOWN if none of ours)."""
    return split(sender_id)[0]


def split(sender_id: str) -> tuple[str, str]:
    """(channel, the platform's own id); (UNKNOWN, sender_id) when not namespaced by us."""
    channel, separator, platform_id = sender_id.partition(SEPARATOR)
    if separator and channel in CHANNELS:
        return channel, platform_id
    return UNKNOWN, sender_id


def platform_id(channel: str, sender_id: str) -> Optional[str]:
    """The platform's own id (a phone number, a chat id) if `sender_id` is in
    `channel`'s namespace, else None: a reply is only ever sent within its channel."""
    received_by, own_id = split(sender_id)
    return own_id if received_by == channel else None
