"""Every chat channel of the server, each keeping its people apart from the other channels'.

credentials.yml names these classes.

Identity is decided here, by the channel that really received a message, never
by the request (bot.identity): each channel puts its own name in front of the
id its platform gave ("twilio:+15551234567", "telegram:42", "slack:U123",
"rest:<sender>", "socketio:<session>"), so only that channel can make ids in its
namespace. A REST body naming sender "twilio:+1555" is "rest:twilio:+1555", not
the SMS person; an `input_channel` in the body is ignored. Replies go back
through the same channel to the platform's own id, and only within its namespace.

- REST (`RestChannel`) and socket.io (`SocketIOChannel`) at Rasa's usual URLs. A
  socket.io conversation is one the server issued: a session id signed by the
  server (resumed after a reconnect), or the connection's own sid. Browsers may
  use socket.io only from the origins in SOCKETIO_ORIGINS (default: the Rasa
  server's own origin, which serves no page, so no web page elsewhere can drive
  the assistant).
- The staff terminal (`ShellChannel`, `make shell`) is REST under its own "shell"
  namespace.
- Telegram, Slack and Twilio (SMS): Rasa's own connectors, set up from the
  environment. Each reads its settings from environment variables and is on only
  when they are all set; otherwise its webhook answers 503 and the rest of the
  server starts as usual (Rasa's `${VAR}` substitution would stop the server
  instead, and its Telegram connector calls Telegram while the server is still
  being built).

On top of Rasa's messaging connectors:
- long answers are split to fit each channel's message limit (bot.channel_text);
- where buttons cannot be shown (SMS always; Telegram or Slack only when a
  button breaks their limits) they become numbered choices, and a reply that is
  just a number is read, before NLU, as the payload of the choice it names. The
  choices offered are read from the tracker store, so this holds across restarts
  and processes;
- the web page's data payloads (`custom`) are not sent as messages;
- a message that would get no reply at all (the action server down, an action failing)
  gets a kind technical-problem message instead (`never_silent`);
- webhook calls must prove they come from the platform (Slack already checks its
  signature; Twilio signs its calls; Telegram echoes a secret set with the webhook),
  since a forged call could act on another person's conversation.

Logs name no sender and quote no message.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import inspect
import json
import logging
import os
import secrets
from asyncio import CancelledError, Queue
from http import HTTPStatus
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text, Union
from urllib.parse import urlsplit

from aiogram.bot import api as telegram_api
from aiogram.utils.exceptions import ValidationError as TelegramTokenError
from aiogram.utils.parts import MAX_MESSAGE_LENGTH as TELEGRAM_MAX_LENGTH
from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    OutputChannel,
    UserMessage,
    decode_bearer_token,
)
from rasa.core.channels.rest import QueueOutputChannel, RestInput
from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, SectionBlock
from twilio.base.exceptions import TwilioRestException
from socketio import AsyncServer
from twilio.request_validator import RequestValidator
import yaml

from adapters import lean_rasa
from bot import identity, log_redaction, private_files
from bot.message_text import bounded
from bot.seen_messages import SeenMessages
from bot.channel_text import (
    choice_for_reply,
    choices_of,
    may_pick_a_choice,
    split_message,
    with_numbered_choices,
)

logger = logging.getLogger(__name__)

# Rasa loads this module while it builds the server, before it writes or logs anything about
# a conversation: from here on its files are private and its log records redacted.
log_redaction.install()
private_files.make_private()
lean_rasa.install()  # Rasa's per-message waste, removed (adapters/lean_rasa.py)

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


# --- identity: one conversation per person per channel ----------------------


def in_namespace(channel: str, on_new_message: OnNewMessage) -> OnNewMessage:
    """Wraps a channel's message handler: the conversation id becomes the channel's
    namespace plus the platform's id, and the input channel is the channel itself,
    whatever the request said. Its text is capped and tidied (bot.message_text) before
    anything reads or stores it. A message is never met with silence (`never_silent`)."""

    async def receive(message: UserMessage) -> Any:
        message.sender_id = identity.namespaced(channel, message.sender_id)
        message.input_channel = channel
        if isinstance(message.text, str):
            message.text = bounded(message.text)
        return await never_silent(on_new_message, message)

    return receive


async def never_silent(on_new_message: OnNewMessage, message: UserMessage) -> Any:
    """Handles the message; if that sent the person nothing, says there is a technical problem.

    When an action cannot run (the action server is down or restarting, or the action fails),
    Rasa logs it, drops everything that action did (its messages and slots) and goes on,
    usually to listening: the person would get no reply at all. The pre-screen is then as it
    was before the message (its answers and its question, in the tracker), so sending the
    message again once the action server is back goes on from the same question. Rasa (3.6) has no hook for a failed action (RasaHQ/rasa#7630, #5588); a
    custom processor or policy would replace far more of Rasa than this.
    """
    output = message.output_channel
    sent_before = getattr(output, "replies_sent", 0)
    try:
        result = await on_new_message(message)
    except Exception:
        await _say_technical_problem(message)
        raise
    if getattr(output, "replies_sent", 0) == sent_before:
        await _say_technical_problem(message)
    return result


async def _say_technical_problem(message: UserMessage) -> None:
    from bot import replies

    logger.warning("A %s message got no reply; the person was told of a technical problem.",
                   message.input_channel)
    texts = [replies.TECHNICAL_PROBLEM]
    emergency = _emergency_guidance(message.text or "")
    if emergency:  # emergency guidance comes first, whatever else is going on
        texts.insert(0, emergency)
    try:
        for text in texts:
            await message.output_channel.send_response(message.sender_id, {"text": text})
    except Exception as error:  # the platform itself may be the trouble
        logger.warning("Could not tell a %s person of the technical problem (%s).",
                       message.input_channel, type(error).__name__)


DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"


def _emergency_guidance(text: str) -> Optional[str]:
    """The domain's emergency guidance when the words describe an emergency (without NLU,
    which may be what failed); None otherwise or when it cannot be read."""
    try:
        from bot.screening import Turn, is_emergency

        if not is_emergency(Turn(text=text, intent="", confidence=0.0)):
            return None
        domain = yaml.safe_load(DOMAIN_FILE.read_text())
        return str(domain["responses"]["utter_emergency"][0]["text"])
    except Exception as error:
        logger.warning("Could not check the message for an emergency (%s).", type(error).__name__)
        return None


class RepliesInNamespace(OutputChannel):
    """Mixin for an output channel: a reply goes to the platform's own id (the phone
    number, not "twilio:+1555..."), and never to a conversation of another channel."""

    namespace: str = ""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.replies_sent = getattr(self, "replies_sent", 0) + 1  # read by never_silent
        own_id = identity.platform_id(self.namespace, recipient_id)
        if own_id is None:
            logger.warning("Did not send a %s reply to a conversation of another channel.",
                           self.namespace or "channel")
            return
        await super().send_response(own_id, message)


def replies_in(namespace: str, output: OutputChannel) -> OutputChannel:
    output.namespace = namespace  # type: ignore[attr-defined]
    return output


# --- REST and the staff terminal ----------------------------------------------


class RestReplies(RepliesInNamespace, CollectingOutputChannel):
    """The replies of one REST request, returned in its response."""


class StreamedRestReplies(RepliesInNamespace, QueueOutputChannel):
    """The replies of one REST request with `?stream=true`, sent as they come."""


class BadRequest(ValueError):
    """Why a REST request was refused: the response's text and status."""

    def __init__(self, reason: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(reason)
        self.status = status


# The largest request the Rasa server reads (Sanic's default is 100 MB), and the largest
# socket.io packet: no message needs more, and a message is cut to 600 characters anyway
# (bot.message_text) before it is stored. Telegram, Slack and Twilio calls are far smaller.
MAX_REQUEST_BYTES = 256 * 1024
MAX_SOCKETIO_BYTES = 64 * 1024


def limit_request_size(blueprint: Blueprint) -> None:
    """Bigger requests get Sanic's 413 before their body is read (and websocket frames
    over MAX_SOCKETIO_BYTES close the connection)."""

    async def limit(app: Any, _: Any) -> None:
        app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, MAX_REQUEST_BYTES)
        app.config.WEBSOCKET_MAX_SIZE = min(app.config.WEBSOCKET_MAX_SIZE, MAX_SOCKETIO_BYTES)

    blueprint.listener("before_server_start")(limit)


def lean_server_lifecycle(blueprint: Blueprint) -> None:
    """Once the model is loaded, what is loaded stays out of garbage collection; the connections
    kept to the action server close with the server (adapters/lean_rasa.py)."""

    async def freeze(*_: Any) -> None:
        lean_rasa.freeze_loaded_objects()

    async def close(*_: Any) -> None:
        await lean_rasa.close_kept_sessions()

    blueprint.listener("after_server_start")(freeze)
    blueprint.listener("after_server_stop")(close)


class RestChannel(RestInput):
    """REST at /webhooks/rest/webhook: `{"sender": ..., "message": ...}` as JSON.

    The conversation is "rest:<sender>": the sender names a conversation of REST
    clients only. `input_channel` in the body is ignored (Rasa's RestInput lets it
    name any channel). A body that is not JSON (`Content-Type: application/json`),
    or lacks a sender or message, is refused with 400 or 415, so a web page
    elsewhere cannot post to it from a visitor's browser without CORS, which this
    server does not grant.
    """

    NAMESPACE = "rest"
    MAX_SENDER_LENGTH = 128

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        handler = in_namespace(self.NAMESPACE, on_new_message)
        webhook = Blueprint(f"{self.NAMESPACE}_webhook", __name__)

        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def receive(request: Request) -> Union[HTTPResponse, ResponseStream]:
            try:
                sender, text, metadata = self._read(request)
            except BadRequest as refused:
                return response.json({"error": str(refused)}, status=refused.status)
            if request.args.get("stream", "").lower() == "true":  # the staff terminal streams
                return response.stream(
                    self.stream_response(handler, text, sender, self.NAMESPACE, metadata),
                    content_type="text/event-stream",
                )
            replies = replies_in(self.NAMESPACE, RestReplies())
            try:
                await handler(UserMessage(text, replies, sender, input_channel=self.NAMESPACE,
                                          metadata=metadata))
            except CancelledError:
                logger.error("A %s message took too long to handle.", self.NAMESPACE)
            except Exception:  # the message text and sender stay out of the log
                logger.exception("A %s message could not be handled.", self.NAMESPACE)
            return response.json(replies.messages)

        webhook.add_route(health, "/", methods=["GET"], name="health")
        webhook.add_route(receive, "/webhook", methods=["POST"], name="receive")
        limit_request_size(webhook)
        lean_server_lifecycle(webhook)
        return webhook

    def _read(self, request: Request) -> tuple[str, str, Optional[dict]]:
        """(sender, message, metadata) of a well-formed request, else BadRequest."""
        if request.content_type.split(";")[0].strip().lower() != "application/json":
            raise BadRequest("Content-Type must be application/json",
                             HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("the body is not JSON") from None
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object")
        sender, text, metadata = body.get("sender"), body.get("message"), body.get("metadata")
        if not isinstance(sender, str) or not sender or len(sender) > self.MAX_SENDER_LENGTH \
                or not sender.isprintable():
            raise BadRequest(f"sender must be text of 1 to {self.MAX_SENDER_LENGTH} characters")
        if not isinstance(text, str):
            raise BadRequest("message must be text")
        return sender, text, metadata if isinstance(metadata, dict) else None

    async def on_message_wrapper(  # type: ignore[override]  # Rasa's is a staticmethod
        self,
        on_new_message: OnNewMessage,
        text: Text,
        queue: Queue,
        sender_id: Text,
        input_channel: Text,
        metadata: Optional[Dict[Text, Any]],
    ) -> None:
        replies = replies_in(self.NAMESPACE, StreamedRestReplies(queue))
        await on_new_message(UserMessage(text, replies, sender_id, input_channel=input_channel,
                                         metadata=metadata))
        await queue.put("DONE")


class ShellChannel(RestChannel):
    """The staff terminal (`make shell`): REST under its own "shell" namespace.

    Rasa runs its terminal chat for a channel named "cmdline", posting to
    /webhooks/rest/webhook; Rasa's own cmdline channel would take any sender
    from the body, so any local program could then reach a Twilio person's
    conversation while the terminal runs.
    """

    NAMESPACE = "shell"

    @classmethod
    def name(cls) -> Text:
        return "cmdline"

    def url_prefix(self) -> Text:
        return RestChannel.name()


class PageChannel(RestChannel):
    """The chat page (bot/web_server.py) at /webhooks/web/webhook: REST under its own "web"
    namespace, for the page's server only.

    The page's visitors are not REST clients: a REST sender equal to a page's cookie id is
    "rest:<id>", another conversation. Each call must carry the relay token the page's
    server sends (bot.web_server.relay_token, made from the pseudonym secret); any other is
    refused with 401 before it reaches a conversation.
    """

    NAMESPACE = "web"

    @classmethod
    def name(cls) -> Text:
        return "web"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        from bot.web_server import relay_token  # the pseudonym secret; read once the server starts

        expected = f"Bearer {relay_token()}".encode()
        webhook = super().blueprint(on_new_message)

        async def only_the_page_server(request: Request) -> Optional[HTTPResponse]:
            if not request.path.endswith("/webhook"):
                return None  # the health check
            given = request.headers.get("Authorization", "").encode("utf-8", "replace")
            if hmac.compare_digest(given, expected):
                return None
            return response.json({"error": "only the chat page's server may post here"},
                                 status=HTTPStatus.UNAUTHORIZED)

        webhook.middleware("request")(only_the_page_server)
        return webhook


# --- socket.io ----------------------------------------------------------------


ORIGINS_VARIABLE = "SOCKETIO_ORIGINS"


def socketio_origins() -> Optional[List[str]]:
    """The web origins whose pages may use socket.io (SOCKETIO_ORIGINS: space- or
    comma-separated, like https://trial.example.org), else None: only the Rasa
    server's own origin, which serves no page. "*" is not taken: any page could
    then talk to the assistant as its visitor."""
    origins: List[str] = []
    for origin in os.environ.get(ORIGINS_VARIABLE, "").replace(",", " ").split():
        parts = urlsplit(origin)
        if parts.scheme in ("http", "https") and parts.netloc and parts.path in ("", "/") \
                and not parts.query and not parts.fragment and "@" not in parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}".lower())
        else:
            logger.warning("%s: ignored %r, not an origin like https://trial.example.org.",
                           ORIGINS_VARIABLE, origin)
    if origins:
        logger.info("socket.io accepts web pages from %s.", ", ".join(origins))
        return origins
    logger.info("socket.io accepts no web page from another origin (set %s to allow one).",
                ORIGINS_VARIABLE)
    return None


class SessionIds:
    """socket.io session ids the server issues: a random conversation id and its
    signature, so a client can resume its own session after a reconnect but can
    neither choose one nor make one up."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def issue(self) -> str:
        conversation = secrets.token_hex(16)
        return f"{conversation}.{self._sign(conversation)}"

    def conversation(self, session_id: Any) -> Optional[str]:
        """The conversation of a session id this server issued, else None."""
        if not isinstance(session_id, str) or session_id.count(".") != 1:
            return None
        conversation, signature = session_id.split(".")
        if len(conversation) != 32 or not hmac.compare_digest(signature, self._sign(conversation)):
            return None
        return conversation

    def _sign(self, conversation: str) -> str:
        return hmac.new(self._key, conversation.encode(), hashlib.sha256).hexdigest()[:32]


class SocketIOReplies(RepliesInNamespace, SocketIOOutput):
    """Replies to a socket.io conversation's room."""

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        # Rasa's passes the payload's keys to emit() as arguments, so a payload such as
        # {"type": "answer", ...} raised a TypeError after the text had gone out, and the
        # turn was lost. It goes to the room as {"custom": ...}, as REST returns it.
        await self._send_message(recipient_id, {"custom": json_message})


async def _maybe_await(result: Any) -> Any:
    # python-socketio 5.9 has a plain enter_room; later versions make it a coroutine.
    return await result if inspect.isawaitable(result) else result


class SocketIOChannel(SocketIOInput):
    """socket.io at /socket.io, with the server deciding each connection's conversation.

    With `session_persistence`, a client asks for a session ("session_request");
    it gets a new server-issued session id, or keeps the one it offers if this
    server issued it; its messages belong to that session ("socketio:<session>"),
    whatever `session_id` a message itself names. Without it, the conversation is
    the connection's sid. Browsers connect only from the origins allowed by
    SOCKETIO_ORIGINS.
    """

    NAMESPACE = "socketio"

    def get_output_channel(self) -> Optional[OutputChannel]:
        output = super().get_output_channel()
        if output is None:
            return None
        return replies_in(self.NAMESPACE, SocketIOReplies(output.sio, output.bot_message_evt))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        from bot.store import derived_key  # the pseudonym secret; read once the server starts

        handler = in_namespace(self.NAMESPACE, on_new_message)
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=socketio_origins(),
                          max_http_buffer_size=MAX_SOCKETIO_BYTES)
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        sessions = SessionIds(derived_key("socket.io session ids"))

        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        webhook.add_route(health, "/", methods=["GET"], name="health")
        limit_request_size(webhook)

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any) -> None:
            offered = data.get("session_id") if isinstance(data, dict) else None
            session_id = offered if sessions.conversation(offered) else sessions.issue()
            conversation = sessions.conversation(session_id)
            await sio.save_session(sid, {"conversation": conversation}, namespace=self.namespace)
            if self.session_persistence:
                await _maybe_await(sio.enter_room(sid, conversation, namespace=self.namespace))
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            if self.session_persistence:
                session = await sio.get_session(sid, namespace=self.namespace)
                conversation = session.get("conversation")
                if not conversation:
                    logger.warning("A socket.io message came before its session_request; ignored.")
                    return
            else:
                conversation = sid
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            text = data.get("message")
            replies = replies_in(self.NAMESPACE, SocketIOReplies(sio, self.bot_message_evt))
            await handler(UserMessage(
                text if isinstance(text, str) else "", replies, conversation,
                input_channel=self.NAMESPACE, metadata=metadata if isinstance(metadata, dict) else None,
            ))

        return webhook


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


class TwilioFromEnv(TwilioInput):
    """Rasa's Twilio channel from TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER and
    TWILIO_WEBHOOK_URL.

    TWILIO_WEBHOOK_URL is the URL entered in Twilio's console: the signature of each call is
    checked against it, never against a URL built from the request's Host header (which a
    caller chooses). Each MessageSid is accepted once (bot.seen_messages): a replayed call,
    signed but recorded earlier, is ignored.
    """

    REQUIRED = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER", "TWILIO_WEBHOOK_URL")
    webhook_url: str = ""
    seen: Optional[SeenMessages] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        env = _settings("Twilio (SMS)", cls.REQUIRED)
        if env is None:
            return ChannelOff(cls.name(), "Twilio (SMS)")
        channel = cls(env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"], env["TWILIO_NUMBER"])
        channel.webhook_url = env["TWILIO_WEBHOOK_URL"]
        channel.seen = SeenMessages()
        logger.info("Twilio (SMS) channel is on at /webhooks/%s/webhook.", cls.name())
        return channel

    def get_output_channel(self) -> SmsSender:
        return SmsSender(self.account_sid, self.auth_token, self.twilio_number)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        reader = NumberedReplies(on_new_message, SmsSender.numbers_choices)
        webhook = super().blueprint(in_namespace(SmsSender.namespace, reader))
        reader.blueprint = webhook
        webhook.middleware("request")(self._refuse_unsigned)
        return webhook

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
        webhook = super().blueprint(in_namespace(TelegramSender.namespace, reader))
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
        webhook = super().blueprint(in_namespace(SlackSender.namespace, reader))
        reader.blueprint = webhook
        return webhook

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
