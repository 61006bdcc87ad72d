"""One message from the page to Rasa's web channel, and its replies back.

The page's conversations are Rasa's "web" channel (adapters.channels.rest.PageChannel), which
only this server may post to: it sends a token made from the pseudonym secret, so a REST client
naming a page's id reaches nothing of it.
"""
from __future__ import annotations

import json
import urllib.request
from typing import Any

from web.conversation_ids import key_for

PAGE_WEBHOOK = "/webhooks/web/webhook"
RASA_TIMEOUT_S = 60
# What Rasa sends when "delete my data" has deleted the conversation: the browser starts afresh.
DELETED = {"type": "conversation_deleted"}


def relay_token() -> str:
    """The token the page's server sends with each message, and Rasa's web channel checks."""
    return key_for("chat page relay").hex()


def relay(webhook: str, sender: str, message: str, zone: str | None = None,
          timeout_s: float = RASA_TIMEOUT_S, authorization: str = "") -> list[dict[str, Any]]:
    """Sends one message to Rasa's web channel (with the browser's time zone as its
    `metadata.timezone`, when there is one) and returns the bot's messages, without
    their `recipient_id` (the browser's id, which the page never sees)."""
    body: dict[str, Any] = {"sender": sender, "message": message}
    if zone:
        body["metadata"] = {"timezone": zone}
    headers = {"Content-Type": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(
        webhook, data=json.dumps(body).encode(), headers=headers, method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        messages = json.loads(response.read())
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise ValueError("unexpected reply from the assistant")
    return [{k: v for k, v in m.items() if k != "recipient_id"} for m in messages]


def deleted(messages: list[dict[str, Any]]) -> bool:
    """Whether Rasa's replies say the conversation and its answers are gone."""
    return any(m.get("custom") == DELETED for m in messages)
