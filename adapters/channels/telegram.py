"""Telegram: the webhook's secret, numbered choices when buttons break Telegram's limits."""
from __future__ import annotations

import hashlib
import hmac
from http import HTTPStatus
from typing import Any, Dict, Optional, Text

from aiogram.bot import api as telegram_api
from aiogram.utils.exceptions import ValidationError as TelegramTokenError
from aiogram.utils.parts import MAX_MESSAGE_LENGTH as TELEGRAM_MAX_LENGTH
from rasa.core.channels.channel import InputChannel
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.messages import WORDS
from adapters.channel_text import split_message
from adapters.channels.base import Buttons, logger
from adapters.channels.from_env import ChannelFromEnv
from adapters.channels.namespaces import RepliesInNamespace
from adapters.channels.numbered_choices import parts_before_buttons


# --- Telegram ---------------------------------------------------------------


def telegram_webhook_secret(token: str) -> str:
    """The secret Telegram sends back with each update: derived from the bot token,
    so every process of this server agrees on it without another setting."""
    return hmac.new(token.encode(), b"telegram webhook secret", hashlib.sha256).hexdigest()


class TelegramSender(RepliesInNamespace, TelegramOutput):
    """Telegram output: messages within Telegram's limit, long button lists one per row."""

    namespace = "telegram"
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
        last = await parts_before_buttons(text, buttons, self.MAX_LENGTH, self.numbers_choices(buttons),
                                          lambda part: self.send_message(recipient_id, part),
                                          empty=WORDS["please_choose"])
        if last is None:
            return
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


class TelegramFromEnv(ChannelFromEnv, TelegramInput):
    """Rasa's Telegram channel from TELEGRAM_TOKEN, TELEGRAM_BOT_NAME and TELEGRAM_WEBHOOK_URL.

    The webhook is set once the server runs (Rasa's connector sets it while the
    server is being built and stops everything when Telegram cannot be reached).
    """

    TITLE = "Telegram"
    REQUIRED = ("TELEGRAM_TOKEN", "TELEGRAM_BOT_NAME", "TELEGRAM_WEBHOOK_URL")
    Sender = TelegramSender
    _sender: Optional[TelegramSender] = None

    @classmethod
    def credentials(cls, env: Dict[str, str]) -> Dict[Text, Any]:
        return {"access_token": env["TELEGRAM_TOKEN"], "verify": env["TELEGRAM_BOT_NAME"],
                "webhook_url": env["TELEGRAM_WEBHOOK_URL"]}

    @classmethod
    def from_env(cls, env: Dict[str, str]) -> Optional[InputChannel]:
        try:
            telegram_api.check_token(env["TELEGRAM_TOKEN"])
        except TelegramTokenError:
            logger.warning("Telegram channel is off: TELEGRAM_TOKEN is not a bot token.")
            return None
        return super().from_env(env)

    def get_output_channel(self) -> TelegramSender:
        if self._sender is None:
            self._sender = TelegramSender(
                self.access_token, telegram_webhook_secret(self.access_token or "")
            )
        return self._sender

    def guard(self, webhook: Blueprint) -> None:
        webhook.middleware("request")(self._refuse_without_secret)
        webhook.listener("after_server_start")(self._set_webhook)
        webhook.listener("after_server_stop")(self._close_session)

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
