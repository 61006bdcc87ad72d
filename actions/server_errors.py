"""When an action fails, the action server answers without the conversation.

rasa_sdk's own error handler answers HTTP 500 with `{"error": ..., "request_body": <the whole
request>}`: the tracker, with every message and answer. Rasa then puts that body into the
exception it raises and logs. Ours answers with the action's name and the error's type only,
and logs the same (the traceback goes through the redacting log records, bot.log_redaction).

It is attached with rasa_sdk's own extension point (the `attach_sanic_app_extensions` hook,
called after the app and its default handler are made), registered when the action server
imports the `actions` package.
"""
from __future__ import annotations

import logging
from typing import Any

import pluggy
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa_sdk")


def _action_name(request: Request) -> str:
    try:
        body = request.json
    except Exception:  # not JSON (or compressed): no name to give
        return "unknown"
    name = body.get("next_action") if isinstance(body, dict) else None
    return name if isinstance(name, str) and name.isidentifier() else "unknown"


async def answer_without_the_tracker(request: Request, exception: Exception) -> HTTPResponse:
    action = _action_name(request)
    logger.error("The action %s failed (%s).", action, type(exception).__name__, exc_info=exception)
    return response.json({"error": f"the action failed ({type(exception).__name__})",
                          "action_name": action}, status=500)


class ErrorsWithoutTrackers:
    """rasa_sdk plugin: replaces the default error handler of the action server's app."""

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        # Sanic 21.12 keeps handlers to register in a set, applied in no set order: the
        # default handler for Exception is taken out, so ours is the only one.
        for future in list(app._future_exceptions):
            if Exception in future.exceptions:
                app._future_exceptions.discard(future)
        app.exception(Exception)(answer_without_the_tracker)


_PLUGIN = ErrorsWithoutTrackers()


def install() -> None:
    manager: Any = plugin_manager()
    if not manager.is_registered(_PLUGIN):
        manager.register(_PLUGIN)
