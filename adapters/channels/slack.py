"""Slack: replies where the message came from; in a shared channel, no personal answers."""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.channels.slack import SlackBot, SlackInput
from sanic.request import Request
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, SectionBlock

from adapters.channel_text import choices_of, split_message
from adapters.channels.base import Buttons
from adapters.channels.from_env import ChannelFromEnv
from adapters.channels.namespaces import RepliesInNamespace
from adapters.channels.numbered_choices import parts_before_buttons


# --- Slack ------------------------------------------------------------------


class SlackSender(RepliesInNamespace, SlackBot):
    """Slack output: messages within a section's limit, up to Slack's 25 buttons kept."""

    namespace = "slack"
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
        last = await parts_before_buttons(text, buttons, self.MAX_LENGTH, self.numbers_choices(buttons),
                                          lambda part: self.send_text_message(recipient_id, part))
        if last is None:
            return
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


class SlackFromEnv(ChannelFromEnv, SlackInput):
    """Rasa's Slack channel from SLACK_TOKEN and SLACK_SIGNING_SECRET (SLACK_CHANNEL optional).

    Slack's own signature check (Rasa's connector) is the webhook's guard."""

    TITLE = "Slack"
    REQUIRED = ("SLACK_TOKEN", "SLACK_SIGNING_SECRET")
    OPTIONAL = ("SLACK_CHANNEL",)
    Sender = SlackSender

    @classmethod
    def credentials(cls, env: Dict[str, str]) -> Dict[Text, Any]:
        return {
            "slack_token": env["SLACK_TOKEN"],
            "slack_signing_secret": env["SLACK_SIGNING_SECRET"],
            "slack_channel": env["SLACK_CHANNEL"] or None,
        }

    def get_metadata(self, request: Request) -> Dict[Text, Any]:
        """Rasa's metadata, plus whether the message came in a direct message with the bot.

        Replies go where the message came from, so in a shared channel the pre-screen and the
        person's own data stay out (actions.prescreen reads `direct_message`). A direct
        message is a conversation of type "im", whose id starts with "D"; a group DM (mpim)
        is shared.
        """
        metadata = super().get_metadata(request)
        channel_type = None
        if request.headers.get("content-type") == "application/json":
            event = (request.json or {}).get("event") or {}
            channel_type = event.get("channel_type")
        out_channel = str(metadata.get("out_channel") or "")
        metadata["direct_message"] = channel_type == "im" or (channel_type is None and out_channel.startswith("D"))
        return metadata

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> SlackSender:
        return SlackSender(self.slack_token, channel or self.slack_channel, thread_id, self.proxy)
