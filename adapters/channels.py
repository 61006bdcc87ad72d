"""Telegram, Slack and Twilio (SMS): Rasa's own connectors, set up from the environment.

credentials.yml names these classes. Each reads its settings from environment
variables and is on only when they are all set; otherwise its webhook answers
503 and the rest of the server starts as usual (Rasa's `${VAR}` substitution
would stop the server instead, and its Telegram connector calls Telegram while
the server is still being built).

On top of Rasa's connectors:
- long answers are split to fit each channel's message limit (bot.channel_text);
- where buttons cannot be shown (SMS always; Telegram or Slack only when a
  button breaks their limits) they become numbered choices, and a reply that is
  just a number is read, before NLU, as the payload of the choice it names. The
  choices offered are read from the tracker store, so this holds across restarts
  and processes;
- the web page's data payloads (`custom`) are not sent as messages;
- webhook calls must prove they come from the platform (Slack already checks its
  signature; Twilio signs its calls; Telegram echoes a secret set with the webhook),
  since a forged call could act on another person's conversation.

Logs name no sender and quote no message.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text

from aiogram.bot import api as telegram_api
from aiogram.utils.exceptions import ValidationError as TelegramTokenError
from aiogram.utils.parts import MAX_MESSAGE_LENGTH as TELEGRAM_MAX_LENGTH
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, SectionBlock
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from bot.channel_text import (
    choice_for_reply,
    choices_of,
    may_pick_a_choice,
    split_message,
    with_numbered_choices,
)

logger = logging.getLogger(__name__)

Buttons = List[Dict[Text, Any]]
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def _listed(names: List[str]) -> str:
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _settings(title: str, required: Iterable[str], optional: Iterable[str] = ()) -> Optional[dict]:
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


# --- Twilio (SMS) -----------------------------------------------------------


class SmsSender(TwilioOutput):
    """Twilio output for SMS: bodies within Twilio's limit, buttons as numbered choices."""

    MAX_LENGTH = 1600  # Twilio's limit for a message body

    @classmethod
    def numbers_choices(cls, buttons: Buttons) -> bool:
        return True  # an SMS has no buttons

    async def _send_message(self, message_data: Dict[Text, Any]) -> Any:
        # Twilio's client blocks: keep the server answering others while it sends.
        # The error's own text can hold the phone number, so only its codes are logged.
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except TwilioRestException as error:
            logger.error("Twilio refused a message (HTTP %s, Twilio error %s).", error.status, error.code)
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


class TwilioFromEnv(TwilioInput):
    """Rasa's Twilio channel from TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_NUMBER.

    TWILIO_WEBHOOK_URL (optional) is the URL Twilio calls, for checking its
    signature when this server cannot see that URL itself (a proxy that rewrites paths).
    """

    REQUIRED = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER")
    webhook_url: Optional[str] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        env = _settings("Twilio (SMS)", cls.REQUIRED, ["TWILIO_WEBHOOK_URL"])
        if env is None:
            return ChannelOff(cls.name(), "Twilio (SMS)")
        channel = cls(env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"], env["TWILIO_NUMBER"])
        channel.webhook_url = env["TWILIO_WEBHOOK_URL"] or None
        logger.info("Twilio (SMS) channel is on at /webhooks/%s/webhook.", cls.name())
        return channel

    def get_output_channel(self) -> SmsSender:
        return SmsSender(self.account_sid, self.auth_token, self.twilio_number)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        reader = NumberedReplies(on_new_message, SmsSender.numbers_choices)
        webhook = super().blueprint(reader)
        reader.blueprint = webhook
        webhook.middleware("request")(self._refuse_unsigned)
        return webhook

    async def _refuse_unsigned(self, request: Request) -> Optional[HTTPResponse]:
        """Twilio signs each call with the auth token; anything else could pose as any phone."""
        if request.method != "POST":
            return None
        signature = request.headers.get("X-Twilio-Signature", "")
        validator = RequestValidator(self.auth_token)
        if self.webhook_url:
            urls = [self.webhook_url]
        else:  # behind a tunnel the server may see http where Twilio called https
            urls = [request.url, "https://" + request.url.split("://", 1)[-1]]
        if any(validator.validate(url, request.form, signature) for url in urls):
            return None
        logger.warning(
            "Refused a call to the Twilio webhook without a valid Twilio signature "
            "(if Twilio's own calls are refused, set TWILIO_WEBHOOK_URL to the URL it calls)."
        )
        return response.text("Invalid signature.", status=HTTPStatus.FORBIDDEN)


# --- Telegram ---------------------------------------------------------------


def telegram_webhook_secret(token: str) -> str:
    """The secret Telegram sends back with each update: derived from the bot token,
    so every process of this server agrees on it without another setting."""
    return hmac.new(token.encode(), b"telegram webhook secret", hashlib.sha256).hexdigest()


class TelegramSender(TelegramOutput):
    """Telegram output: messages within Telegram's limit, long button lists one per row."""

    MAX_LENGTH = TELEGRAM_MAX_LENGTH  # 4096
    CALLBACK_DATA_BYTES = 64  # what a Telegram button can carry back
    ONE_ROW_BUTTONS = 3  # more than this, one button per row

    def __init__(self, access_token: Optional[Text], webhook_secret: str = "") -> None:
        super().__init__(access_token)
        self.webhook_secret = webhook_secret
        self._me: Any = None

    @classmethod
    def numbers_choices(cls, buttons: Buttons) -> bool:
        """Telegram refuses a message whose button payload is too long: number those."""
        return any(
            len(str(button.get("payload") or "").encode()) > cls.CALLBACK_DATA_BYTES
            for button in buttons
        )

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in split_message(text, self.MAX_LENGTH):
            await self.send_message(recipient_id, part)

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: Buttons,
        button_type: Optional[Text] = None,
        **kwargs: Any,
    ) -> None:
        if self.numbers_choices(buttons):
            for part in with_numbered_choices(text, buttons, self.MAX_LENGTH):
                await self.send_message(recipient_id, part)
            return
        *first, last = split_message(text, self.MAX_LENGTH) or ["Please choose:"]
        for part in first:
            await self.send_message(recipient_id, part)
        if button_type is None:
            button_type = "vertical" if len(buttons) > self.ONE_ROW_BUTTONS else "inline"
        await super().send_text_with_buttons(recipient_id, last, buttons, button_type, **kwargs)

    async def set_webhook(self, url: str, *args: Any, **kwargs: Any) -> bool:
        """Sets the webhook with our secret (aiogram 2.15 predates `secret_token`)."""
        payload = {"url": url, "secret_token": self.webhook_secret}
        return await self.request(telegram_api.Methods.SET_WEBHOOK, payload)

    async def get_me(self) -> Any:
        # Rasa checks the bot's name on every update: ask Telegram once.
        if self._me is None:
            self._me = await super().get_me()
        return self._me


class TelegramFromEnv(TelegramInput):
    """Rasa's Telegram channel from TELEGRAM_TOKEN, TELEGRAM_BOT_NAME and TELEGRAM_WEBHOOK_URL.

    The webhook is set once the server runs (Rasa's connector sets it while the
    server is being built and stops everything when Telegram cannot be reached).
    """

    REQUIRED = ("TELEGRAM_TOKEN", "TELEGRAM_BOT_NAME", "TELEGRAM_WEBHOOK_URL")
    _sender: Optional[TelegramSender] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        env = _settings("Telegram", cls.REQUIRED)
        if env is None:
            return ChannelOff(cls.name(), "Telegram")
        try:
            telegram_api.check_token(env["TELEGRAM_TOKEN"])
        except TelegramTokenError:
            logger.warning("Telegram channel is off: TELEGRAM_TOKEN is not a bot token.")
            return ChannelOff(cls.name(), "Telegram")
        logger.info("Telegram channel is on at /webhooks/%s/webhook.", cls.name())
        return cls(env["TELEGRAM_TOKEN"], env["TELEGRAM_BOT_NAME"], env["TELEGRAM_WEBHOOK_URL"])

    def get_output_channel(self) -> TelegramSender:
        if self._sender is None:
            self._sender = TelegramSender(
                self.access_token, telegram_webhook_secret(self.access_token or "")
            )
        return self._sender

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        reader = NumberedReplies(on_new_message, TelegramSender.numbers_choices)
        webhook = super().blueprint(reader)
        reader.blueprint = webhook
        webhook.middleware("request")(self._refuse_without_secret)
        webhook.listener("after_server_start")(self._set_webhook)
        webhook.listener("after_server_stop")(self._close_session)
        return webhook

    async def _refuse_without_secret(self, request: Request) -> Optional[HTTPResponse]:
        if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
            return None
        sent = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if hmac.compare_digest(sent, self.get_output_channel().webhook_secret):
            return None
        logger.warning("Refused a call to the Telegram webhook without the webhook's secret.")
        return response.text("Invalid secret.", status=HTTPStatus.FORBIDDEN)

    async def _set_webhook(self, app: Any, loop: Any) -> None:
        try:
            accepted = await self.get_output_channel().set_webhook(self.webhook_url)
            reason = "" if accepted else "it said no"
        except Exception as error:  # no network, a bad URL: the other channels still run
            accepted, reason = False, f"{type(error).__name__}: {error}"
        if accepted:
            logger.info("Telegram will send updates to TELEGRAM_WEBHOOK_URL.")
        else:
            logger.warning("Telegram did not take TELEGRAM_WEBHOOK_URL (%s).", reason)

    async def _close_session(self, app: Any, loop: Any) -> None:
        if self._sender is not None:
            await self._sender.close()


# --- Slack ------------------------------------------------------------------


class SlackSender(SlackBot):
    """Slack output: messages within a section's limit, up to Slack's 25 buttons kept."""

    MAX_LENGTH = SectionBlock.text_max_length  # 3000
    MAX_BUTTONS = ActionsBlock.elements_max_length  # 25 (Rasa still assumes 5)

    @classmethod
    def numbers_choices(cls, buttons: Buttons) -> bool:
        """Slack refuses too many buttons, or too long a title or value: number those."""
        return len(buttons) > cls.MAX_BUTTONS or any(
            len(str(button.get("title") or "")) > ButtonElement.text_max_length
            or len(str(button.get("payload") or "")) > ButtonElement.value_max_length
            for button in buttons
        )

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in split_message(text, self.MAX_LENGTH):
            await self._post_message(
                channel=self.slack_channel or recipient_id, as_user=True, text=part, type="mrkdwn"
            )

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: Buttons, **kwargs: Any
    ) -> None:
        if self.numbers_choices(buttons):
            for part in with_numbered_choices(text, buttons, self.MAX_LENGTH):
                await self.send_text_message(recipient_id, part)
            return
        *first, last = split_message(text, self.MAX_LENGTH) or [""]
        for part in first:
            await self.send_text_message(recipient_id, part)
        actions = {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": choice.title},
                    "value": choice.payload,
                }
                for choice in choices_of(buttons)
            ],
        }
        section = [{"type": "section", "text": {"type": "plain_text", "text": last}}] if last else []
        await self._post_message(
            channel=self.slack_channel or recipient_id, as_user=True, text=last, blocks=[*section, actions]
        )

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        # Only a payload written for Slack is a message; the web page's data is not.
        if any(key in json_message for key in ("text", "blocks", "attachments")):
            await super().send_custom_json(recipient_id, json_message, **kwargs)


class SlackFromEnv(SlackInput):
    """Rasa's Slack channel from SLACK_TOKEN and SLACK_SIGNING_SECRET (SLACK_CHANNEL optional)."""

    REQUIRED = ("SLACK_TOKEN", "SLACK_SIGNING_SECRET")

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        env = _settings("Slack", cls.REQUIRED, ["SLACK_CHANNEL"])
        if env is None:
            return ChannelOff(cls.name(), "Slack")
        logger.info("Slack channel is on at /webhooks/%s/webhook.", cls.name())
        return super().from_credentials(
            {
                "slack_token": env["SLACK_TOKEN"],
                "slack_signing_secret": env["SLACK_SIGNING_SECRET"],
                "slack_channel": env["SLACK_CHANNEL"] or None,
            }
        )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        reader = NumberedReplies(on_new_message, SlackSender.numbers_choices)
        webhook = super().blueprint(reader)
        reader.blueprint = webhook
        return webhook

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> SlackSender:
        return SlackSender(self.slack_token, channel or self.slack_channel, thread_id, self.proxy)
