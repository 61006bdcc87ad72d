"""Telegram, Slack and Twilio (SMS) through Rasa's own channel classes.

Each channel namespaces its sender ids ("twilio:+1555...", "telegram:42"), so the
conversations remembered here are kept under those ids, as the server keeps them.

The app is built the way `rasa run` builds it (credentials.yml, `configure_app`),
served on a free local port and called over HTTP. The conversation history is the
project's SQL tracker store on an SQLite file, written by one store object and
read by another, as after a restart. Only two things are stand-ins: the agent's
`handle_message` (it records the message and can send a reply through the
channel's output), and the lowest call that would reach Telegram, Slack or Twilio
(it records what would have been sent).
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Optional, TypeVar

import aiohttp
import pytest
from aiogram.bot.base import BaseBot
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.run import configure_app, create_http_input_channels
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic
from slack_sdk.web.async_client import AsyncWebClient
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest.api.v2010.account.message import MessageList

from adapters.channels.telegram import telegram_webhook_secret
from adapters.tracker_store import ForgetfulSQLTrackerStore
from bot.paths import REPO_ROOT
from tests.ports import free_port

CREDENTIALS = REPO_ROOT / "credentials.yml"

TELEGRAM = {
    "TELEGRAM_TOKEN": "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
    "TELEGRAM_BOT_NAME": "als_trial_bot",
    "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
}
SLACK = {"SLACK_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "slack-signing-secret"}
TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "twilio-auth-token",
    "TWILIO_NUMBER": "+15550001111",
    # The URL entered in Twilio's console (behind a TLS proxy): what Twilio signs.
    "TWILIO_WEBHOOK_URL": "https://sms.example.org/webhooks/twilio/webhook",
}
EVERY_VARIABLE = [*TELEGRAM, *SLACK, "SLACK_CHANNEL", *TWILIO]

PHONE = "+15557654321"
CONSENT = [
    {"title": "Yes, I agree", "payload": "Yes, I agree"},
    {"title": "No thanks", "payload": "No thanks"},
]
MENU = [
    {"title": "What the study is about", "payload": "/ask_purpose"},
    {"title": "How the treatment is given", "payload": "/ask_treatment"},
    {"title": "Safety so far", "payload": "/ask_safety"},
    {"title": "My current medicines", "payload": "/ask_medications"},
    {"title": "How long it takes", "payload": "/ask_timeline"},
    {"title": "Who may qualify", "payload": "/ask_eligibility"},
    {"title": "Where it takes place", "payload": "/ask_locations"},
    {"title": "Contact the study team", "payload": "/ask_contact"},
    {"title": "Check if I may qualify", "payload": "/check_eligibility"},
]
RESULT = {"type": "eligibility_result", "trial": "NCT03268603", "verdict": "needs_review", "criteria": []}
LONG_ANSWER = "\n\n".join(
    " ".join(f"Sentence {p}.{s} about the study visits and what they involve." for s in range(12))
    for p in range(12)
)  # 8,554 characters

SECRET = "test-secret-0123456789abcdef0123456789abcdef"  # 32 bytes or more, as required


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[dict], None]:
    """No channel settings unless a test sets them; Sanic allows several apps per process."""
    for name in [*EVERY_VARIABLE, "SOCKETIO_ORIGINS"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCREENING_ID_SECRET", SECRET)  # signs socket.io session ids
    monkeypatch.setattr(Sanic, "test_mode", True)
    monkeypatch.setenv("SEEN_MESSAGES_DB_URL", f"sqlite:///{tmp_path / 'seen.db'}")
    return lambda values: [monkeypatch.setenv(k, v) for k, v in values.items()]


@pytest.fixture
def tracker_db(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


def store_on(db: Path) -> ForgetfulSQLTrackerStore:
    return ForgetfulSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(db))


def remember(db: Path, sender: str, *events: Any) -> None:
    """Saves a conversation with one store object; the server reads it with another."""
    tracker = DialogueStateTracker.from_events(sender, list(events))
    asyncio.run(store_on(db).save(tracker))


class Assistant:
    """A real Agent over the tracker store, whose message handling is a recorder."""

    def __init__(self, db: Path, reply: Optional[dict] = None) -> None:
        self.agent = Agent(tracker_store=store_on(db))
        self.agent.handle_message = self.handle_message
        self.received: list[UserMessage] = []
        self.handled = 0  # messages whose reply (if any) has been sent
        self.reply = reply

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.reply is not None:
            await message.output_channel.send_response(message.sender_id, dict(self.reply))
        self.handled += 1

    @property
    def texts(self) -> list[Optional[str]]:
        return [m.text for m in self.received]

    async def wait_for(self, count: int) -> None:
        """Until `count` messages are handled and replied to: Slack hands messages over in a
        background task, so its webhook answers before the reply is posted."""
        for _ in range(200):
            if self.handled >= count:
                return
            await asyncio.sleep(0.01)


def offering_the_menu(db: Path, sender: str) -> Assistant:
    """An assistant whose last turn with `sender` showed the topic menu, and who answers the
    next message with the menu again."""
    remember(db, sender, UserUttered("hi"), BotUttered("Pick a topic:", data={"buttons": MENU}))
    return Assistant(db, reply={"text": "Pick a topic:", "buttons": MENU})


@asynccontextmanager
async def serving(
    assistant: Assistant, channels: Optional[list] = None
) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    """The Rasa app with the project's credentials.yml (or these channels), up on a free port."""
    channels = create_http_input_channels(None, str(CREDENTIALS)) if channels is None else channels
    app = configure_app(channels, enable_api=False)
    app.ctx.agent = assistant.agent
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        async with aiohttp.ClientSession() as session:
            yield f"http://127.0.0.1:{port}", session
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()


Talked = TypeVar("Talked")


def served(assistant: Assistant, talk: Callable[[str, aiohttp.ClientSession], Awaitable[Talked]]) -> Talked:
    """Runs `talk` (given the base URL and a client session) while the app is up; what it returns."""

    async def scenario() -> Talked:
        async with serving(assistant) as (base, session):
            return await talk(base, session)

    return asyncio.run(scenario())


# --- recorders in place of the network ----------------------------------------


@pytest.fixture
def sms_sent(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    sent: list[dict] = []

    def create(self: MessageList, **message: Any) -> object:
        sent.append(message)
        return object()

    monkeypatch.setattr(MessageList, "create", create)
    return sent


@pytest.fixture
def telegram_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict]]:
    calls: list[tuple[str, dict]] = []

    async def request(self: BaseBot, method: str, data: Optional[dict] = None, *args: Any, **kw: Any) -> Any:
        calls.append((method, dict(data or {})))
        if method == "getMe":
            return {"id": 1, "is_bot": True, "first_name": "Trial", "username": TELEGRAM["TELEGRAM_BOT_NAME"]}
        if method == "sendMessage":
            return {"message_id": len(calls), "date": 0, "chat": {"id": data["chat_id"], "type": "private"}}
        return True

    monkeypatch.setattr(BaseBot, "request", request)
    return calls


@pytest.fixture
def slack_posts(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    posts: list[dict] = []

    async def chat_post_message(self: AsyncWebClient, **message: Any) -> dict:
        posts.append(message)
        return {"ok": True}

    monkeypatch.setattr(AsyncWebClient, "chat_postMessage", chat_post_message)
    return posts


# --- calls as the platforms make them ----------------------------------------


async def sms(session: aiohttp.ClientSession, base: str, body: str, sender: str = PHONE,
              auth_token: str = TWILIO["TWILIO_AUTH_TOKEN"], message_sid: Optional[str] = None,
              signed_url: str = TWILIO["TWILIO_WEBHOOK_URL"], headers: Optional[dict] = None,
              ) -> aiohttp.ClientResponse:
    """A text as Twilio sends it: to our server, signed with the URL set in Twilio's console."""
    form = {"From": sender, "To": TWILIO["TWILIO_NUMBER"], "Body": body,
            "MessageSid": message_sid or "SM" + uuid.uuid4().hex}
    signature = RequestValidator(auth_token).compute_signature(signed_url, form)
    async with session.post(f"{base}/webhooks/twilio/webhook", data=form,
                            headers={"X-Twilio-Signature": signature, **(headers or {})}) as answer:
        await answer.read()
        return answer


async def telegram(session: aiohttp.ClientSession, base: str, update: dict,
                   secret: Optional[str] = None) -> aiohttp.ClientResponse:
    secret = telegram_webhook_secret(TELEGRAM["TELEGRAM_TOKEN"]) if secret is None else secret
    async with session.post(f"{base}/webhooks/telegram/webhook", json=update,
                            headers={"X-Telegram-Bot-Api-Secret-Token": secret}) as answer:
        await answer.read()
        return answer


def telegram_text(text: str, chat: int = 42) -> dict:
    return {"update_id": 1, "message": {"message_id": 7, "date": 0, "text": text,
                                        "chat": {"id": chat, "type": "private"}}}


async def slack(session: aiohttp.ClientSession, base: str, text: str, user: str = "U123") -> int:
    body = json.dumps({"type": "event_callback", "event": {
        "type": "message", "channel_type": "im", "user": user, "text": text,
        "channel": "D123", "ts": "1700000000.000100"}}).encode()
    stamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SLACK["SLACK_SIGNING_SECRET"].encode(),
                                 f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": signature}
    async with session.post(f"{base}/webhooks/slack/webhook", data=body, headers=headers) as answer:
        await answer.read()
        return answer.status


# --- the app up, the platform's calls made, the app stopped --------------------------


def texted(assistant: Assistant, *bodies: str, **options: Any) -> list[int]:
    """Each body texted in turn as Twilio sends it (`sms` options for all): the statuses."""

    async def talk(base: str, session: aiohttp.ClientSession) -> list[int]:
        return [(await sms(session, base, body, **options)).status for body in bodies]

    return served(assistant, talk)


def telegrammed(assistant: Assistant, *updates: dict) -> list[int]:
    """Each update sent in turn as Telegram sends it, with the webhook's secret: the statuses."""

    async def talk(base: str, session: aiohttp.ClientSession) -> list[int]:
        return [(await telegram(session, base, update)).status for update in updates]

    return served(assistant, talk)


def slacked(assistant: Assistant, *texts: str) -> list[int]:
    """Each text sent in turn as a signed Slack direct message, then waits until every one is
    handled and its reply posted (Slack's webhook answers first): the statuses."""

    async def talk(base: str, session: aiohttp.ClientSession) -> list[int]:
        statuses = [await slack(session, base, text) for text in texts]
        await assistant.wait_for(len(texts))
        return statuses

    return served(assistant, talk)


# --- off unless configured --------------------------------------------------------


def test_without_settings_the_channels_are_off_and_the_server_still_serves(
    env: Callable, tracker_db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.channels")
    assistant = Assistant(tracker_db)

    async def talk(base: str, session: aiohttp.ClientSession) -> None:
        for channel in ("telegram", "slack", "twilio"):
            async with session.post(f"{base}/webhooks/{channel}/webhook", data={"Body": "hi"}) as answer:
                assert answer.status == 503
                assert "not configured" in await answer.text()
        async with session.post(f"{base}/webhooks/rest/webhook",
                                json={"sender": "web", "message": "hello"}) as answer:
            assert answer.status == 200

    served(assistant, talk)
    assert assistant.texts == ["hello"]  # only the REST message reached the assistant
    off = [r for r in caplog.records if "channel is off" in r.getMessage()]
    assert [r.levelno for r in off] == [logging.INFO] * 3
    assert "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER and TWILIO_WEBHOOK_URL" in caplog.text


@pytest.mark.parametrize("settings, named", [
    ({"TWILIO_ACCOUNT_SID": TWILIO["TWILIO_ACCOUNT_SID"]}, "TWILIO_AUTH_TOKEN, TWILIO_NUMBER and TWILIO_WEBHOOK_URL"),
    ({k: v for k, v in TWILIO.items() if k != "TWILIO_WEBHOOK_URL"}, "Twilio (SMS) channel is off: TWILIO_WEBHOOK_URL not set"),
    ({**TELEGRAM, "TELEGRAM_TOKEN": "not-a-token"}, "TELEGRAM_TOKEN is not a bot token"),
])
def test_a_half_configured_channel_stays_off_and_says_what_is_wrong(
    env: Callable, tracker_db: Path, caplog: pytest.LogCaptureFixture, settings: dict, named: str
) -> None:
    env(settings)
    channels = create_http_input_channels(None, str(CREDENTIALS))
    assert {type(c).__name__ for c in channels} == {"RestChannel", "PageChannel", "SocketIOChannel", "ChannelOff"}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(named in w for w in warnings)


def test_configured_channels_are_rasas_own_connectors_at_their_usual_urls(env: Callable) -> None:
    env({**TELEGRAM, **SLACK, **TWILIO})
    channels = create_http_input_channels(None, str(CREDENTIALS))
    # Each is built on Rasa's own connector: the nearest of Rasa's classes it derives from.
    names = {c.name(): next(k.__name__ for k in type(c).__mro__ if k.__module__.startswith("rasa."))
             for c in channels}
    assert names == {"rest": "RestInput", "web": "RestInput", "socketio": "SocketIOInput", "telegram": "TelegramInput",
                     "slack": "SlackInput", "twilio": "TwilioInput"}
    app = configure_app(channels, enable_api=False)
    paths = {route.path for route in app.router.routes}
    assert {"webhooks/telegram/webhook", "webhooks/slack/webhook", "webhooks/twilio/webhook",
            "webhooks/rest/webhook", "socket.io"} <= paths


# --- Twilio (SMS) -------------------------------------------------------------------


def test_an_sms_number_is_read_as_the_choice_offered_in_the_last_turn(
    env: Callable, tracker_db: Path, sms_sent: list
) -> None:
    env(TWILIO)
    remember(tracker_db, "twilio:" + PHONE, UserUttered("am I eligible"),
             BotUttered("Do you agree to answer these questions?", data={"buttons": CONSENT}))
    remember(tracker_db, "twilio:+15550000002", UserUttered("hi"),
             BotUttered("Pick a topic:", data={"buttons": MENU}),
             UserUttered("what is ALS"), BotUttered("ALS is a disease of the nerves."))
    assistant = Assistant(tracker_db)

    async def talk(base: str, session: aiohttp.ClientSession) -> None:
        for body in ["2", " 2. ", "#1", "two", "option 2", "3", "2 years ago",
                     "the first one", "2. No thanks", "1 no thanks"]:
            assert (await sms(session, base, body)).status == 204
        await sms(session, base, "1", sender="+15550000002")  # that turn had no buttons
        await sms(session, base, "1", sender="+15550000003")  # nobody we know

    served(assistant, talk)
    assert assistant.texts == ["No thanks", "No thanks", "Yes, I agree", "No thanks", "No thanks",
                               "3", "2 years ago", "Yes, I agree", "No thanks", "1 no thanks",
                               "1", "1"]
    assert {m.input_channel for m in assistant.received} == {"twilio"}
    assert assistant.received[0].sender_id == "twilio:" + PHONE


def test_the_sms_webhook_refuses_calls_not_signed_by_twilio(
    env: Callable, tracker_db: Path, sms_sent: list
) -> None:
    env(TWILIO)
    assistant = Assistant(tracker_db)

    async def talk(base: str, session: aiohttp.ClientSession) -> None:
        assert (await sms(session, base, "delete my data", auth_token="guessed")).status == 403
        async with session.post(f"{base}/webhooks/twilio/webhook",
                                data={"From": PHONE, "Body": "delete my data"}) as answer:
            assert answer.status == 403
        assert (await sms(session, base, "hello")).status == 204

    served(assistant, talk)
    assert assistant.texts == ["hello"]


def test_sms_replies_show_buttons_as_numbered_choices_in_one_message(
    env: Callable, tracker_db: Path, sms_sent: list
) -> None:
    env(TWILIO)
    assistant = Assistant(tracker_db, reply={"text": "What would you like to know?", "buttons": MENU})
    assert texted(assistant, "help") == [204]
    assert len(sms_sent) == 1
    body = sms_sent[0]["body"]
    assert body.startswith("What would you like to know?\n\nReply with a number:\n1. What the study is about\n")
    assert body.endswith("\n9. Check if I may qualify")
    assert "/ask" not in body and "/check" not in body
    assert sms_sent[0]["to"] == PHONE and sms_sent[0]["from_"] == TWILIO["TWILIO_NUMBER"]


def test_a_long_sms_answer_comes_in_parts_within_twilios_limit(
    env: Callable, tracker_db: Path, sms_sent: list
) -> None:
    env(TWILIO)
    assistant = Assistant(tracker_db, reply={"text": LONG_ANSWER, "buttons": CONSENT})
    assert texted(assistant, "tell me everything") == [204]
    bodies = [m["body"] for m in sms_sent]
    assert len(bodies) == 6  # 8,554 characters and the choices, in bodies of up to 1,600
    assert all(len(b) <= 1600 for b in bodies)
    assert " ".join(bodies).split()[: len(LONG_ANSWER.split())] == LONG_ANSWER.split()
    assert bodies[-1].endswith("Reply with a number:\n1. Yes, I agree\n2. No thanks")


def test_the_web_pages_data_payload_is_not_texted(
    env: Callable, tracker_db: Path, sms_sent: list
) -> None:
    env(TWILIO)
    assistant = Assistant(tracker_db, reply={"text": "You may qualify; the study team decides.", "custom": RESULT})
    assert texted(assistant, "done") == [204]
    assert [m["body"] for m in sms_sent] == ["You may qualify; the study team decides."]


def test_sms_logs_hold_no_phone_number_and_no_message(
    env: Callable, tracker_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    env(TWILIO)
    caplog.set_level(logging.INFO)

    def refuse(self: MessageList, **message: Any) -> None:
        raise TwilioRestException(400, "https://api.twilio.com", msg=f"The 'To' number {PHONE} is not valid",
                                  code=21211)

    monkeypatch.setattr(MessageList, "create", refuse)
    remember(tracker_db, "twilio:" + PHONE, UserUttered("hi"), BotUttered("Agree?", data={"buttons": CONSENT}))
    assistant = Assistant(tracker_db, reply={"text": "My secret diagnosis answer"})

    async def talk(base: str, session: aiohttp.ClientSession) -> None:
        await sms(session, base, "I have ALS since 2021")
        await sms(session, base, "1")
        await sms(session, base, "forged", auth_token="guessed")

    served(assistant, talk)
    assert "Twilio refused a message" in caplog.text  # the failure is logged...
    for private in ["5557654321", "I have ALS", "diagnosis", "Yes, I agree", "forged"]:
        assert private not in caplog.text  # ...without who or what


def test_an_unreachable_twilio_loses_no_turn_and_logs_no_phone_number(
    env: Callable, tracker_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """No network: the reply is dropped with a log line, the turn ends as usual (Rasa keeps the
    conversation), and the error's text, which names the number, stays out of the log."""
    import requests

    env(TWILIO)
    caplog.set_level(logging.INFO)
    finished: list[bool] = []

    def unreachable(self: MessageList, **message: Any) -> None:
        raise requests.ConnectionError(f"cannot send to {message['to']}: no route to api.twilio.com")

    monkeypatch.setattr(MessageList, "create", unreachable)
    assistant = Assistant(tracker_db, reply={"text": "Thanks, noted."})
    reply_then_finish = assistant.handle_message

    async def handle_message(message: UserMessage) -> None:
        await reply_then_finish(message)
        finished.append(True)

    assistant.agent.handle_message = handle_message
    assert texted(assistant, "I'm 54") == [204]
    assert finished == [True]
    assert "Could not reach Twilio to send a message (ConnectionError)" in caplog.text
    assert "5557654321" not in caplog.text


# --- Telegram -----------------------------------------------------------------------


def test_telegram_webhook_is_set_with_a_secret_that_every_update_must_carry(
    env: Callable, tracker_db: Path, telegram_calls: list
) -> None:
    env(TELEGRAM)
    assistant = Assistant(tracker_db)

    async def talk(base: str, session: aiohttp.ClientSession) -> None:
        assert (await telegram(session, base, telegram_text("forged"), secret="wrong")).status == 403
        assert (await telegram(session, base, telegram_text("hello"))).status == 200

    served(assistant, talk)
    webhooks = [data for method, data in telegram_calls if method == "setWebhook"]
    assert webhooks == [{"url": TELEGRAM["TELEGRAM_WEBHOOK_URL"],
                         "secret_token": telegram_webhook_secret(TELEGRAM["TELEGRAM_TOKEN"])}]
    assert assistant.texts == ["hello"]
    assert assistant.received[0].sender_id == "telegram:42"


def test_telegram_shows_real_buttons_one_per_row_and_a_tap_sends_the_payload(
    env: Callable, tracker_db: Path, telegram_calls: list
) -> None:
    env(TELEGRAM)
    assistant = offering_the_menu(tracker_db, "telegram:42")
    tap = {"update_id": 2, "callback_query": {
        "id": "9", "chat_instance": "1", "data": "/ask_safety", "from": {"id": 42, "is_bot": False, "first_name": "A"},
        "message": {"message_id": 8, "date": 0, "chat": {"id": 42, "type": "private"}}}}
    assert telegrammed(assistant, telegram_text("2"), tap) == [200, 200]
    # Buttons were shown as buttons, not numbers: a typed "2" stays "2".
    assert assistant.texts == ["2", "/ask_safety"]
    sent = [data for method, data in telegram_calls if method == "sendMessage"]
    keyboard = json.loads(sent[0]["reply_markup"])["inline_keyboard"]
    assert [[b["callback_data"] for b in row] for row in keyboard] == [[b["payload"]] for b in MENU]
    assert sent[0]["text"] == "Pick a topic:"


def test_a_long_telegram_answer_comes_in_parts_within_telegrams_limit(
    env: Callable, tracker_db: Path, telegram_calls: list
) -> None:
    env(TELEGRAM)
    assistant = Assistant(tracker_db, reply={"text": LONG_ANSWER, "buttons": CONSENT})
    assert telegrammed(assistant, telegram_text("tell me everything")) == [200]
    sent = [data for method, data in telegram_calls if method == "sendMessage"]
    assert len(sent) == 3  # 8,554 characters in messages of up to 4,096
    assert all(len(m["text"]) <= 4096 for m in sent)
    assert " ".join(m["text"] for m in sent).split() == LONG_ANSWER.split()
    assert ["reply_markup" in m for m in sent] == [False, False, True]  # buttons under the last part


def test_telegram_numbers_choices_too_long_for_its_buttons_and_reads_the_number(
    env: Callable, tracker_db: Path, telegram_calls: list
) -> None:
    env(TELEGRAM)
    long_payload = '/inform{"medication": "' + "x" * 60 + '"}'  # over Telegram's 64 bytes
    buttons = [{"title": "Riluzole", "payload": "/inform"}, {"title": "Other", "payload": long_payload}]
    remember(tracker_db, "telegram:42", UserUttered("hi"), BotUttered("Which one?", data={"buttons": buttons}))
    assistant = Assistant(tracker_db, reply={"text": "Which one?", "buttons": buttons})
    assert telegrammed(assistant, telegram_text("2")) == [200]
    assert assistant.texts == [long_payload]
    sent = [data for method, data in telegram_calls if method == "sendMessage"]
    assert sent[0]["text"] == "Which one?\n\nReply with a number:\n1. Riluzole\n2. Other"
    assert "reply_markup" not in sent[0]


# --- Slack --------------------------------------------------------------------------


def test_slack_keeps_more_than_five_buttons_and_leaves_typed_numbers_alone(
    env: Callable, tracker_db: Path, slack_posts: list
) -> None:
    env(SLACK)
    assistant = offering_the_menu(tracker_db, "slack:U123")
    assert slacked(assistant, "2") == [200]
    assert assistant.texts == ["2"]
    # Rasa's own Slack output drops every button past five; all nine are here.
    (post,) = slack_posts
    section, actions = post["blocks"]
    assert section["text"]["text"] == "Pick a topic:"
    assert [e["value"] for e in actions["elements"]] == [b["payload"] for b in MENU]


def test_slack_numbers_choices_past_its_button_limit_and_reads_the_number(
    env: Callable, tracker_db: Path, slack_posts: list
) -> None:
    env(SLACK)
    many = [{"title": f"Site {n}", "payload": f"/site_{n}"} for n in range(1, 31)]
    remember(tracker_db, "slack:U123", UserUttered("hi"), BotUttered("Which site?", data={"buttons": many}))
    assistant = Assistant(tracker_db, reply={"text": "Which site?", "buttons": many})
    assert slacked(assistant, "option 3") == [200]
    assert assistant.texts == ["/site_3"]
    (post,) = slack_posts
    assert "blocks" not in post
    assert post["text"].startswith("Which site?\n\nReply with a number:\n1. Site 1\n")


def test_slack_does_not_post_the_web_pages_data_payload(
    env: Callable, tracker_db: Path, slack_posts: list
) -> None:
    env(SLACK)
    assistant = Assistant(tracker_db, reply={"text": "You may qualify.", "custom": RESULT})
    assert slacked(assistant, "done") == [200]
    assert [p.get("text") for p in slack_posts] == ["You may qualify."]


def test_the_sms_channel_stays_off_without_twilio_webhook_url(env: Callable, tracker_db: Path) -> None:
    """The signature must be checked against the URL set in Twilio's console, never one made
    from the request's Host header, which any caller chooses."""
    env({k: v for k, v in TWILIO.items() if k != "TWILIO_WEBHOOK_URL"})
    assistant = Assistant(tracker_db)

    async def talk(base: str, session: aiohttp.ClientSession) -> int:
        async with session.post(f"{base}/webhooks/twilio/webhook", data={"From": PHONE}) as answer:
            return answer.status

    assert served(assistant, talk) == 503


def test_a_call_signed_for_the_url_the_caller_chose_is_refused(
    env: Callable, tracker_db: Path, sms_sent: list
) -> None:
    env(TWILIO)
    assistant = Assistant(tracker_db)

    async def talk(base: str, session: aiohttp.ClientSession) -> None:
        # Signed with the auth token, but for the URL the request itself names (Host header).
        forged = await sms(session, base, "delete my data", signed_url=f"{base}/webhooks/twilio/webhook")
        assert forged.status == 403
        spoofed = await sms(session, base, "delete my data", signed_url="https://evil.example/webhooks/twilio/webhook",
                            headers={"Host": "evil.example"})
        assert spoofed.status == 403

    served(assistant, talk)
    assert assistant.texts == []


def test_a_replayed_sms_is_taken_once_even_after_a_restart(
    env: Callable, tracker_db: Path, sms_sent: list, caplog: pytest.LogCaptureFixture
) -> None:
    """A signed call recorded once and sent again (same MessageSid) is ignored; the ids are
    kept in a file (SQLite), so a restarted server still knows them."""
    env(TWILIO)
    caplog.set_level(logging.INFO)

    async def talk(base: str, session: aiohttp.ClientSession) -> list[int]:
        return [(await sms(session, base, body, message_sid=sid)).status
                for body, sid in [("yes", "SM-replayed"), ("yes", "SM-replayed"), ("no", "SM-other")]]

    first, after_restart = Assistant(tracker_db), Assistant(tracker_db)
    assert served(first, talk) == [204, 204, 204]
    assert served(after_restart, talk) == [204, 204, 204]
    assert first.texts == ["yes", "no"]
    assert after_restart.texts == []
    assert "Ignored a Twilio message already received" in caplog.text
