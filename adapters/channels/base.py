"""What every channel shares: settings from the environment, the namespaces of sender ids,
numbered choices, never a silent failure, the size limits and the server's lifecycle."""
from __future__ import annotations

import logging
import os
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
import yaml

from adapters.lean_rasa.kept_sessions import close_kept_sessions
from adapters.lean_rasa.loaded_objects import freeze_loaded_objects
from adapters.channel_text import choice_for_reply, may_pick_a_choice, split_message, with_numbered_choices
from bot.paths import REPO_ROOT
from bot.privacy import identity
from bot.understanding.message_text import bounded


# One logger for every channel, named as the channels were when they were one module.
logger = logging.getLogger("adapters.channels")

Buttons = List[Dict[Text, Any]]
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


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


# --- a platform's channel, from the environment ------------------------------


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


# --- identity: one conversation per person per channel ----------------------


def in_namespace(channel: str, on_new_message: OnNewMessage) -> OnNewMessage:
    """Wraps a channel's message handler: the conversation id becomes the channel's
    namespace plus the platform's id, and the input channel is the channel itself,
    whatever the request said. Its text is capped and tidied (bot.understanding.message_text) before
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
    from bot.trial import replies

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


DOMAIN_FILE = REPO_ROOT / "domain.yml"


def _emergency_guidance(text: str) -> Optional[str]:
    """The domain's emergency guidance when the words describe an emergency (without NLU,
    which may be what failed); None otherwise or when it cannot be read."""
    try:
        from bot.prescreen.form_requests import Turn, is_emergency

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


async def parts_before_buttons(
    text: Text, buttons: Buttons, limit: int, numbered: bool,
    send: Callable[[Text], Awaitable[Any]], empty: Text = "",
) -> Optional[Text]:
    """A reply with buttons on a platform with a message limit: where the buttons cannot be
    shown (`numbered`), sends the text with numbered choices and returns None; otherwise sends
    every part of a long text but the last, and returns the last (`empty` when there is no
    text) for the buttons to go under, so the choices always come after the whole text."""
    if numbered:
        for part in with_numbered_choices(text, buttons, limit):
            await send(part)
        return None
    *first, last = split_message(text, limit) or [empty]
    for part in first:
        await send(part)
    return last


def replies_in(namespace: str, output: OutputChannel) -> OutputChannel:
    output.namespace = namespace  # type: ignore[attr-defined]
    return output


# The largest request the Rasa server reads (Sanic's default is 100 MB), and the largest
# socket.io packet: no message needs more, and a message is cut to 600 characters anyway
# (bot.understanding.message_text) before it is stored. Telegram, Slack and Twilio calls are far smaller.
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
    kept to the action server close with the server (adapters/lean_rasa/kept_sessions.py)."""

    async def freeze(*_: Any) -> None:
        freeze_loaded_objects()

    async def close(*_: Any) -> None:
        await close_kept_sessions()

    blueprint.listener("after_server_start")(freeze)
    blueprint.listener("after_server_stop")(close)
