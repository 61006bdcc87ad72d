"""A platform's channel set up from environment variables, or off (its webhook answering 503)
when they are missing: Rasa's `${VAR}` substitution would stop the whole server instead."""
from __future__ import annotations

import os
from http import HTTPStatus
from typing import Any, Dict, Iterable, List, Optional, Text

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from adapters.channels.base import OnNewMessage, logger
from adapters.channels.namespaces import in_namespace
from adapters.channels.numbered_choices import NumberedReplies


def _listed(names: List[str]) -> str:
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def channel_settings(title: str, required: Iterable[str], optional: Iterable[str] = ()) -> Optional[dict]:
    """The channel's environment variables, or None (and one log line) when any is missing."""
    required = list(required)
    values = {name: os.environ.get(name, "").strip() for name in [*required, *optional]}
    missing = [name for name in required if not values[name]]
    if len(missing) == len(required):
        logger.info("%s channel is off: set %s to turn it on.", title, _listed(required))
        return None
    if missing:
        logger.warning("%s channel is off: %s not set.", title, _listed(missing))
        return None
    return values


class ChannelOff(InputChannel):
    """Stands in for a channel whose settings are missing: its webhook answers 503."""

    def __init__(self, channel: str, title: str) -> None:
        self.channel = channel
        self.title = title

    def url_prefix(self) -> Text:
        return self.channel

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        off = Blueprint(f"{self.channel}_off")

        async def not_configured(_: Request) -> HTTPResponse:
            return response.text(
                f"The {self.title} channel is not configured on this server.",
                status=HTTPStatus.SERVICE_UNAVAILABLE,
            )

        off.add_route(not_configured, "/", methods=["GET"], name="health")
        off.add_route(not_configured, "/webhook", methods=["GET", "POST"], name="webhook")
        return off


class ChannelFromEnv:
    """Mixin, before Rasa's input channel class: the channel is set up from environment
    variables, replies go through `Sender`, numbered replies are read and ids namespaced.

    What a platform's channel must say is only what is its own: `TITLE` (for the logs and the
    503 answer), the `REQUIRED` and `OPTIONAL` variables, `Sender` (its output channel class,
    with `namespace` and `numbers_choices`), and `credentials`, the variables as Rasa's own
    `from_credentials` takes them. A channel with more to set up overrides `from_env` (calling
    super) and `guard` (the webhook's own checks).
    """

    TITLE: str = ""
    REQUIRED: tuple[str, ...] = ()
    OPTIONAL: tuple[str, ...] = ()
    Sender: Any = None  # a RepliesInNamespace output channel class

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """credentials.yml gives nothing: everything comes from the environment. A channel whose
        variables are missing (or refused by `from_env`) is off, its webhook answering 503."""
        env = channel_settings(cls.TITLE, cls.REQUIRED, cls.OPTIONAL)
        channel = None if env is None else cls.from_env(env)
        if channel is None:
            return ChannelOff(cls.name(), cls.TITLE)  # type: ignore[attr-defined]
        logger.info("%s channel is on at /webhooks/%s/webhook.", cls.TITLE, cls.name())  # type: ignore[attr-defined]
        return channel

    @classmethod
    def credentials(cls, env: Dict[str, str]) -> Dict[Text, Any]:
        """The environment's values under the names Rasa's connector reads them by."""
        raise NotImplementedError

    @classmethod
    def from_env(cls, env: Dict[str, str]) -> Optional[InputChannel]:
        """The channel, built by Rasa's own connector; None keeps it off (the reason logged)."""
        return super().from_credentials(cls.credentials(env))  # type: ignore[misc]

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        reader = NumberedReplies(on_new_message, self.Sender.numbers_choices)
        webhook = super().blueprint(in_namespace(self.Sender.namespace, reader))  # type: ignore[misc]
        reader.blueprint = webhook
        self.guard(webhook)
        return webhook

    def guard(self, webhook: Blueprint) -> None:
        """The platform's own checks and listeners on the webhook; none by default."""
