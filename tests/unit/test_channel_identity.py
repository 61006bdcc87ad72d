"""One identity per person per channel, decided by the server.

What an attacker could try against the channels of credentials.yml, served the
way `rasa run` serves them and called over HTTP and socket.io: name another
channel in a REST body (`input_channel`), use an SMS person's number or their
conversation id ("twilio:+1555...") as a REST or socket.io sender, pick or
forge a socket.io session id, or connect to socket.io from another web site.
The assistant here is a real Agent over the project's tracker store whose
message handling says which conversation a message landed in: a new one, or
one with history (what the bot last said there).
"""
from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Callable, Optional

import aiohttp
import pytest
import socketio
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered

from adapters.channels.rest import RestChannel, ShellChannel
from adapters.channels.sms import SmsSender
from tests.unit.test_channels import (  # noqa: F401  (env, sms_sent, tracker_db: fixtures)
    PHONE,
    TWILIO,
    Assistant,
    env,
    remember,
    serving,
    sms,
    sms_sent,
    tracker_db,
)

SMS_HISTORY = "Saved answers: age 54, diagnosed in March."
NEW = "This is a new conversation."


class WhereDidItLand(Assistant):
    """Answers each message with what the bot last said in that conversation, or NEW."""

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        tracker = await self.agent.tracker_store.retrieve(message.sender_id)
        said = [e.text for e in (tracker.events if tracker else []) if isinstance(e, BotUttered)]
        await message.output_channel.send_response(message.sender_id, {"text": said[-1] if said else NEW})


@pytest.fixture
def sms_person(tracker_db: Path) -> str:
    """An SMS person with a conversation (and answers) on the server."""
    remember(tracker_db, "twilio:" + PHONE, UserUttered("show my answers"), BotUttered(SMS_HISTORY))
    return PHONE


async def rest(session: aiohttp.ClientSession, base: str, body: Any, **kwargs: Any) -> tuple[int, Any]:
    if body is not None:
        kwargs["json"] = body
    async with session.post(f"{base}/webhooks/rest/webhook", **kwargs) as answer:
        return answer.status, (await answer.json() if answer.content_type == "application/json" else None)


# --- REST ----------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    {"sender": PHONE, "message": "show my answers", "input_channel": "twilio"},
    {"sender": "twilio:" + PHONE, "message": "show my answers"},
    {"sender": "twilio:" + PHONE, "message": "delete my data", "input_channel": "twilio"},
    {"sender": " twilio:" + PHONE, "message": "show my answers"},
])
def test_a_rest_client_naming_an_sms_person_lands_in_a_conversation_of_its_own(
    env: Callable, tracker_db: Path, sms_sent: list, sms_person: str, body: dict
) -> None:
    env(TWILIO)
    assistant = WhereDidItLand(tracker_db)

    async def scenario() -> list:
        async with serving(assistant) as (base, session):
            status, replies = await rest(session, base, body)
            assert status == 200
            await sms(session, base, "show my answers")  # the SMS person, signed by Twilio
            return replies

    replies = asyncio.run(scenario())
    assert replies == [{"recipient_id": body["sender"], "text": NEW}]
    forged, real = assistant.received
    assert (forged.sender_id, forged.input_channel) == ("rest:" + body["sender"], "rest")
    assert (real.sender_id, real.input_channel) == ("twilio:" + PHONE, "twilio")
    # The SMS person still has their conversation, and only they got its text.
    assert [(m["to"], m["body"]) for m in sms_sent] == [(PHONE, SMS_HISTORY)]


@pytest.mark.parametrize("other_channel, platform_id", [("telegram", "42"), ("slack", "U123")])
def test_no_rest_sender_reaches_a_telegram_or_slack_conversation(
    env: Callable, tracker_db: Path, other_channel: str, platform_id: str
) -> None:
    remember(tracker_db, f"{other_channel}:{platform_id}", UserUttered("hi"), BotUttered("private"))
    assistant = WhereDidItLand(tracker_db)

    async def scenario() -> list:
        async with serving(assistant) as (base, session):
            return [await rest(session, base, {"sender": sender, "message": "hi",
                                               "input_channel": other_channel})
                    for sender in (platform_id, f"{other_channel}:{platform_id}")]

    for status, replies in asyncio.run(scenario()):
        assert status == 200 and [r["text"] for r in replies] == [NEW]


def test_one_rest_sender_keeps_one_conversation(env: Callable, tracker_db: Path) -> None:
    remember(tracker_db, "rest:me", UserUttered("hi"), BotUttered("Welcome back."))
    assistant = WhereDidItLand(tracker_db)

    async def scenario() -> list:
        async with serving(assistant) as (base, session):
            return await rest(session, base, {"sender": "me", "message": "hello again"})

    assert asyncio.run(scenario()) == (200, [{"recipient_id": "me", "text": "Welcome back."}])


@pytest.mark.parametrize("kwargs, status", [
    ({"data": '{"sender": "me", "message": "hi"}',
      "headers": {"Content-Type": "text/plain"}}, 415),  # what a page elsewhere can post blind
    ({"data": "not json", "headers": {"Content-Type": "application/json"}}, 400),
    ({"json": ["me", "hi"]}, 400),
    ({"json": {"message": "hi"}}, 400),  # Rasa would make this everyone's "default" conversation
    ({"json": {"sender": "", "message": "hi"}}, 400),
    ({"json": {"sender": 42, "message": "hi"}}, 400),
    ({"json": {"sender": "x" * 129, "message": "hi"}}, 400),
    ({"json": {"sender": "me\nyou", "message": "hi"}}, 400),
    ({"json": {"sender": "me"}}, 400),
])
def test_the_rest_channel_refuses_what_is_not_a_chat_message(
    env: Callable, tracker_db: Path, kwargs: dict, status: int
) -> None:
    assistant = WhereDidItLand(tracker_db)

    async def scenario() -> int:
        async with serving(assistant) as (base, session):
            return (await rest(session, base, None, **kwargs))[0]

    assert asyncio.run(scenario()) == status
    assert assistant.received == []


def test_rest_streams_replies_to_the_namespaced_conversation(env: Callable, tracker_db: Path) -> None:
    """`?stream=true`, as Rasa's terminal chat asks for it."""
    remember(tracker_db, "rest:me", UserUttered("hi"), BotUttered("Welcome back."))
    assistant = WhereDidItLand(tracker_db)

    async def scenario() -> list:
        async with serving(assistant) as (base, session):
            async with session.post(f"{base}/webhooks/rest/webhook?stream=true",
                                    json={"sender": "me", "message": "hi"}) as answer:
                return [json.loads(line) for line in (await answer.text()).splitlines() if line]

    assert asyncio.run(scenario()) == [{"recipient_id": "me", "text": "Welcome back."}]
    assert assistant.received[0].sender_id == "rest:me"


def test_the_staff_terminal_has_a_namespace_of_its_own(
    env: Callable, tracker_db: Path, sms_person: str
) -> None:
    """`make shell` posts to /webhooks/rest/webhook; a local program posing as the SMS person
    there reaches a "shell:" conversation, not theirs."""
    assistant = WhereDidItLand(tracker_db)

    async def scenario() -> tuple:
        async with serving(assistant, [ShellChannel()]) as (base, session):
            return await rest(session, base, {"sender": "twilio:" + PHONE, "message": "hi",
                                              "input_channel": "twilio"})

    assert asyncio.run(scenario()) == (200, [{"recipient_id": "twilio:" + PHONE, "text": NEW}])
    assert assistant.received[0].sender_id == "shell:twilio:" + PHONE
    assert ShellChannel.name() == "cmdline" and RestChannel.name() == "rest"


def test_a_reply_is_never_sent_to_a_conversation_of_another_channel(sms_sent: list) -> None:
    sender = SmsSender(TWILIO["TWILIO_ACCOUNT_SID"], TWILIO["TWILIO_AUTH_TOKEN"], TWILIO["TWILIO_NUMBER"])
    for conversation in ("rest:" + PHONE, PHONE, "rest:twilio:" + PHONE):
        asyncio.run(sender.send_response(conversation, {"text": "your answers"}))
    assert sms_sent == []
    asyncio.run(sender.send_response("twilio:" + PHONE, {"text": "your answers"}))
    assert [(m["to"], m["body"]) for m in sms_sent] == [(PHONE, "your answers")]


# --- socket.io -------------------------------------------------------------------------------


class Widget:
    """A socket.io chat widget, as Rasa's webchat drives it."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.session: asyncio.Future = asyncio.get_running_loop().create_future()
        self.replies: asyncio.Queue = asyncio.Queue()
        self.client.on("session_confirm", lambda session_id: self.session.set_result(session_id))
        self.client.on("bot_uttered", self.replies.put_nowait)

    async def connect(self, base: str, origin: Optional[str] = None) -> "Widget":
        await self.client.connect(base, headers={"Origin": origin} if origin else {},
                                  transports=["polling"], wait_timeout=5)
        return self

    async def start_session(self, offered: Optional[str] = None) -> str:
        await self.client.emit("session_request", {"session_id": offered})
        return await asyncio.wait_for(self.session, 5)

    async def say(self, text: str, session_id: Optional[str]) -> dict:
        await self.client.emit("user_uttered", {"message": text, "session_id": session_id})
        return await asyncio.wait_for(self.replies.get(), 5)


def test_socketio_sessions_are_issued_by_the_server_and_cannot_be_chosen(
    env: Callable, tracker_db: Path, sms_person: str
) -> None:
    assistant = WhereDidItLand(tracker_db)

    async def scenario() -> dict:
        async with serving(assistant) as (base, _):
            widget = await Widget().connect(base)
            # Asking for the SMS person's conversation gets a new session of the server's making;
            # naming it again in the message does not change whose conversation it is.
            issued = await widget.start_session("twilio:" + PHONE)
            first = await widget.say("show my answers", "twilio:" + PHONE)
            await widget.client.disconnect()

            # After a reconnect, the session the server issued is resumed.
            again = await Widget().connect(base)
            resumed = await again.start_session(issued)
            second = await again.say("hello again", resumed)
            await again.client.disconnect()

            # A made-up or altered session id is not: a new one is issued.
            forger = await Widget().connect(base)
            altered = issued[:-1] + ("0" if issued[-1] != "0" else "1")
            other = await forger.start_session(altered)
            third = await forger.say("show my answers", issued)
            await forger.client.disconnect()
            return {"issued": issued, "resumed": resumed, "other": other,
                    "replies": [first, second, third]}

    seen = asyncio.run(scenario())
    issued, conversation = seen["issued"], seen["issued"].split(".")[0]
    assert issued != "twilio:" + PHONE and seen["resumed"] == issued
    assert seen["other"] not in (issued, seen["issued"][:-1])
    assert [m.sender_id for m in assistant.received] == [
        "socketio:" + conversation, "socketio:" + conversation,
        "socketio:" + seen["other"].split(".")[0],
    ]
    assert {m.input_channel for m in assistant.received} == {"socketio"}
    assert [r["text"] for r in seen["replies"]] == [NEW, NEW, NEW]


def test_a_socketio_message_before_its_session_reaches_no_one(
    env: Callable, tracker_db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assistant = WhereDidItLand(tracker_db)
    ignored = "came before its session_request; ignored"

    async def scenario() -> None:
        async with serving(assistant) as (base, _):
            widget = await Widget().connect(base)
            await widget.client.emit("user_uttered", {"message": "hi", "session_id": "anyone"})
            # The channel has decided about this message once it says so: waited for, not slept on.
            for _ in range(200):
                if ignored in caplog.text:
                    break
                await asyncio.sleep(0.05)
            await widget.client.disconnect()

    with caplog.at_level("WARNING", logger="adapters.channels"):
        asyncio.run(scenario())
    assert ignored in caplog.text, "the channel never decided about the message"
    assert assistant.received == []


def test_socketio_sends_a_data_payload_to_the_conversation_as_custom(env: Callable, tracker_db: Path) -> None:
    answer = {"type": "answer", "topic": "status", "sources": []}
    assistant = Assistant(tracker_db, reply={"text": "Not recruiting.", "custom": answer})

    async def scenario() -> list:
        async with serving(assistant) as (base, _):
            widget = await Widget().connect(base)
            await widget.start_session()
            got = [await widget.say("is it recruiting", None),
                   await asyncio.wait_for(widget.replies.get(), 5)]
            await widget.client.disconnect()
            return got

    assert asyncio.run(scenario()) == [{"text": "Not recruiting."}, {"custom": answer}]


@pytest.mark.parametrize("setting, origin, allowed", [
    (None, "https://evil.example", False),
    (None, None, True),  # a program, not a browser page
    ("*", "https://evil.example", False),  # "*" is not taken
    ("https://trial.example.org, https://www.trial.example.org", "https://trial.example.org", True),
    ("https://trial.example.org", "https://evil.example", False),
    ("https://trial.example.org/chat", "https://trial.example.org", False),  # not an origin
])
def test_socketio_takes_web_pages_only_from_the_origins_it_is_given(
    env: Callable, tracker_db: Path, monkeypatch: pytest.MonkeyPatch,
    setting: Optional[str], origin: Optional[str], allowed: bool,
) -> None:
    if setting is not None:
        monkeypatch.setenv("SOCKETIO_ORIGINS", setting)
    assistant = WhereDidItLand(tracker_db)

    async def scenario() -> bool:
        async with serving(assistant) as (base, _):
            widget = Widget()
            try:
                await widget.connect(base, origin)
            except socketio.exceptions.ConnectionError:
                return False
            await widget.start_session()
            await widget.say("hi", None)
            await widget.client.disconnect()
            return True

    assert asyncio.run(scenario()) is allowed
    assert len(assistant.received) == (1 if allowed else 0)


def test_socketio_from_its_own_origin_is_allowed(env: Callable, tracker_db: Path) -> None:
    assistant = WhereDidItLand(tracker_db)

    async def scenario() -> None:
        async with serving(assistant) as (base, _):
            widget = await Widget().connect(base, origin=base)
            await widget.start_session()
            await widget.say("hi", None)
            await widget.client.disconnect()

    asyncio.run(scenario())
    assert len(assistant.received) == 1
