"""What the channels set on the Rasa server they are served by: the size of what it reads, and
what happens once its model is loaded and when it stops."""
from __future__ import annotations

from typing import Any

from sanic import Blueprint

from adapters.lean_rasa.kept_sessions import close_kept_sessions
from adapters.lean_rasa.loaded_objects import freeze_loaded_objects


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
