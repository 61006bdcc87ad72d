"""REST at /webhooks/rest/webhook, the staff terminal (`make shell`) and the chat page's own
channel: REST under their own namespaces."""
from __future__ import annotations

import hmac
import json
from asyncio import CancelledError, Queue
from http import HTTPStatus
from typing import Any, Dict, Optional, Text, Union

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel, RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from adapters.channels.base import OnNewMessage, logger
from adapters.channels.namespaces import RepliesInNamespace, in_namespace, replies_in
from adapters.channels.server_setup import lean_server_lifecycle, limit_request_size


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
    """The chat page (web/page_server.py) at /webhooks/web/webhook: REST under its own "web"
    namespace, for the page's server only.

    The page's visitors are not REST clients: a REST sender equal to a page's cookie id is
    "rest:<id>", another conversation. Each call must carry the relay token the page's
    server sends (web.rasa_relay.relay_token, made from the pseudonym secret); any other is
    refused with 401 before it reaches a conversation.
    """

    NAMESPACE = "web"

    @classmethod
    def name(cls) -> Text:
        return "web"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        from web.rasa_relay import relay_token  # the pseudonym secret; read once the server starts

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
