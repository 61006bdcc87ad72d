"""socket.io: sessions the server issued, web pages only from SOCKETIO_ORIGINS."""
from __future__ import annotations

import hashlib
import hmac
import inspect
import json
import os
import secrets
from typing import Any, Dict, List, Optional, Text
from urllib.parse import urlsplit

from rasa.core.channels.channel import OutputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from adapters.channels.base import OnNewMessage, logger
from adapters.channels.namespaces import RepliesInNamespace, in_namespace, replies_in
from adapters.channels.server_setup import MAX_SOCKETIO_BYTES, limit_request_size


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
        from bot.privacy.pseudonyms import derived_key  # the pseudonym secret; read once the server starts

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
