"""Twilio (SMS): numbered choices, signed calls only, each message taken once."""
from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from adapters.channel_text import split_message, with_numbered_choices
from adapters.channels.base import Buttons, logger
from adapters.channels.from_env import ChannelFromEnv
from adapters.channels.namespaces import RepliesInNamespace
from bot.storage.seen_messages import SeenMessages


# --- Twilio (SMS) -----------------------------------------------------------


class SmsSender(RepliesInNamespace, TwilioOutput):
    """Twilio output for SMS: bodies within Twilio's limit, buttons as numbered choices."""

    namespace = "twilio"
    MAX_LENGTH = 1600  # Twilio's limit for a message body
    TIMEOUT_S = 30  # Twilio's client would otherwise wait for ever

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.http_client.timeout = self.TIMEOUT_S

    @classmethod
    def numbers_choices(cls, buttons: Buttons) -> bool:
        return True  # an SMS has no buttons

    async def _send_message(self, message_data: Dict[Text, Any]) -> Any:
        # Twilio's client blocks: keep the server answering others while it sends.
        # The error's own text can hold the phone number, so only its codes are logged.
        # A reply that cannot be sent must not lose the turn: the conversation is kept.
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except TwilioRestException as error:
            logger.error("Twilio refused a message (HTTP %s, Twilio error %s).", error.status, error.code)
        except Exception as error:  # no network, a timeout
            logger.error("Could not reach Twilio to send a message (%s).", type(error).__name__)
        return None

    async def _send_bodies(self, recipient_id: Text, bodies: List[str]) -> None:
        for body in bodies:
            await self._send_message({"to": recipient_id, "from_": self.twilio_number, "body": body})

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_bodies(recipient_id, split_message(text, self.MAX_LENGTH))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: Buttons, **kwargs: Any
    ) -> None:
        await self._send_bodies(recipient_id, with_numbered_choices(text, buttons, self.MAX_LENGTH))

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        # Only a payload written for Twilio (a body or media) is a message; the web
        # page's data (sources, eligibility result) is already said in the text.
        if "body" in json_message or "media_url" in json_message:
            await super().send_custom_json(recipient_id, json_message, **kwargs)


class TwilioFromEnv(ChannelFromEnv, TwilioInput):
    """Rasa's Twilio channel from TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER and
    TWILIO_WEBHOOK_URL.

    TWILIO_WEBHOOK_URL is the URL entered in Twilio's console: the signature of each call is
    checked against it, never against a URL built from the request's Host header (which a
    caller chooses). Each MessageSid is accepted once (bot.storage.seen_messages): a replayed call,
    signed but recorded earlier, is ignored.
    """

    TITLE = "Twilio (SMS)"
    REQUIRED = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER", "TWILIO_WEBHOOK_URL")
    Sender = SmsSender
    webhook_url: str = ""
    seen: Optional[SeenMessages] = None

    @classmethod
    def credentials(cls, env: Dict[str, str]) -> Dict[Text, Any]:
        return {"account_sid": env["TWILIO_ACCOUNT_SID"], "auth_token": env["TWILIO_AUTH_TOKEN"],
                "twilio_number": env["TWILIO_NUMBER"]}

    @classmethod
    def from_env(cls, env: Dict[str, str]) -> Optional[InputChannel]:
        channel = super().from_env(env)
        if isinstance(channel, TwilioFromEnv):
            channel.webhook_url = env["TWILIO_WEBHOOK_URL"]
            channel.seen = SeenMessages()
        return channel

    def get_output_channel(self) -> SmsSender:
        return SmsSender(self.account_sid, self.auth_token, self.twilio_number)

    def guard(self, webhook: Blueprint) -> None:
        webhook.middleware("request")(self._refuse_unsigned)

    async def _refuse_unsigned(self, request: Request) -> Optional[HTTPResponse]:
        """Twilio signs each call with the auth token; anything else could pose as any phone.
        A signed call is taken once: the same MessageSid again is a replay (or a retry)."""
        if request.method != "POST":
            return None
        signature = request.headers.get("X-Twilio-Signature", "")
        validator = RequestValidator(self.auth_token)
        if not validator.validate(self.webhook_url, request.form, signature):
            logger.warning(
                "Refused a call to the Twilio webhook without a valid Twilio signature "
                "(if Twilio's own calls are refused, check that TWILIO_WEBHOOK_URL is exactly the "
                "URL entered in Twilio's console)."
            )
            return response.text("Invalid signature.", status=HTTPStatus.FORBIDDEN)
        message_id = request.form.get("MessageSid") or request.form.get("SmsSid") or ""
        if not message_id:
            return response.text("MessageSid missing.", status=HTTPStatus.BAD_REQUEST)
        seen = self.seen or SeenMessages()
        if not await asyncio.to_thread(seen.first_time, SmsSender.namespace, message_id):
            logger.warning("Ignored a Twilio message already received (a replay or a retry).")
            return response.text("", status=HTTPStatus.NO_CONTENT)
        return None
