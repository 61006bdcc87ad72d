"""Slack: in a shared channel the pre-screen and "my data" stay out; a direct message has them.

The channel part is Rasa's Slack connector served as `rasa run` serves it (tests.unit
.test_channels), called with Slack-signed events; the action part is the real actions with
real Trackers (tests.unit.test_prescreen_actions.Person) carrying what the connector puts in
the message's metadata.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from actions.deletion import ActionAskDeleteConfirmation, ActionDeleteMyData
from actions.my_answers import ActionShowMyAnswers
from actions.shared_place import DIRECT_MESSAGE_ONLY
from tests.unit.test_channels import SLACK, Assistant, env, serving, tracker_db  # noqa: F401
from tests.unit.test_prescreen_actions import Person, all_screenings, saved

pytestmark = pytest.mark.usefixtures("screening_db")  # tests/unit/conftest.py

SLACK_USER = "U0123ABCD"


class SlackPerson(Person):
    """A Slack user, writing in a direct message or @mentioning the bot in a channel."""

    def __init__(self) -> None:
        super().__init__(SLACK_USER, "slack")
        self.direct = True

    def _message(self, text: str, intent: str, confidence: float, entities: Any = None) -> None:
        super()._message(text, intent, confidence, entities)
        self._latest["metadata"] = {"out_channel": "D0DM" if self.direct else "C0GENERAL",
                                    "direct_message": self.direct}


def in_channel(person: SlackPerson) -> SlackPerson:
    person.direct = False
    return person


def test_in_a_shared_channel_the_pre_screen_does_not_start() -> None:
    person = in_channel(SlackPerson()).start("@trialbot am I eligible? I'm 54 with ALS")
    # No status-then-consent, no question (the harness runs the ask action too, as if Rasa did).
    assert set(person.texts()) == {DIRECT_MESSAGE_ONLY}
    assert person.slots["prescreen"] is None
    assert all_screenings() == []


def test_my_answers_are_shown_in_a_direct_message_only() -> None:
    person = SlackPerson().start().say("Yes, I agree").say("yes")
    assert saved(person).answers == {"diagnosed": "yes"}
    person.active_loop = {}
    in_channel(person).ask(ActionShowMyAnswers(), "@trialbot show my answers", "show_my_answers")
    assert person.texts() == [DIRECT_MESSAGE_ONLY]
    assert "diagnosis" not in " ".join(person.texts()).lower()
    person.direct = True
    person.ask(ActionShowMyAnswers(), "show my answers", "show_my_answers")
    assert "ALS diagnosis: Yes" in person.texts()[0]


def test_delete_my_data_is_for_direct_messages_too() -> None:
    person = SlackPerson().start().say("Yes, I agree").say("yes")
    person.active_loop = {}
    in_channel(person).ask(ActionAskDeleteConfirmation(), "@trialbot delete my data", "delete_my_data")
    assert person.texts() == [DIRECT_MESSAGE_ONLY] and person.slots["delete_requested"] is False
    person.ask(ActionDeleteMyData(), "yes", "affirm")
    assert person.texts() == [DIRECT_MESSAGE_ONLY]
    assert saved(person) is not None


def test_a_pre_screen_open_in_a_dm_asks_nothing_in_a_channel() -> None:
    person = SlackPerson().start().say("Yes, I agree")
    in_channel(person).say("@trialbot 54")  # typed in the channel: not taken as an answer
    assert person.texts() == [DIRECT_MESSAGE_ONLY]
    assert saved(person).answers == {}
    person.direct = True
    person.say("yes")
    assert saved(person).answers == {"diagnosed": "yes"}


def _signed(body: bytes) -> dict:
    stamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SLACK["SLACK_SIGNING_SECRET"].encode(), f"v0:{stamp}:".encode() + body,
                                 hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


def test_the_connector_says_which_messages_are_direct(env: Callable, tracker_db: Path) -> None:  # noqa: F811
    env(SLACK)
    assistant = Assistant(tracker_db)
    events = [
        {"type": "message", "channel_type": "im", "channel": "D0DM", "user": SLACK_USER, "text": "show my answers"},
        {"type": "app_mention", "channel": "C0GENERAL", "user": SLACK_USER, "text": "<@UBOT> show my answers"},
    ]

    async def scenario() -> None:
        async with serving(assistant) as (base, session):
            for number, event in enumerate(events):
                body = json.dumps({"type": "event_callback", "event": {**event, "ts": f"17000000{number}.0001"}}).encode()
                async with session.post(f"{base}/webhooks/slack/webhook", data=body, headers=_signed(body)) as answer:
                    assert answer.status == 200
            await assistant.wait_for(len(events))

    asyncio.run(scenario())
    assert [m.metadata["direct_message"] for m in assistant.received] == [True, False]
