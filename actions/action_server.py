"""The action server's own set-up: only Rasa may call it, on loopback; errors answered without
the conversation; and the retention purge when it starts.

Only Rasa may call it. The action server reads and deletes anyone's stored answers for the
conversation id a call names, and rasa_sdk 3.6 checks nothing, so any program on the machine
could have asked it to. Now every call but /health must carry `Authorization: Bearer <token>`,
the token in ACTION_SERVER_TOKEN (at least 32 characters; `make run` and `make shell` make a new
one each run, and endpoints.yml has Rasa send it as a header of the action endpoint); any other
call gets 401 and runs nothing. Without a token the server does not start. It also listens on
loopback unless SANIC_HOST says otherwise (rasa_sdk's own default is every interface).

When an action fails, the action server answers without the conversation.

rasa_sdk's own error handler answers HTTP 500 with `{"error": ..., "request_body": <the whole
request>}`: the tracker, with every message and answer. Rasa then puts that body into the
exception it raises and logs. Ours answers with the action's name and the error's type only,
and logs the same (the traceback goes through the redacting log records, bot.privacy.log_redaction).

A call Rasa still waits for (up to 5 minutes) is not dropped by Sanic's shorter timeouts
(`wait_as_long_as_rasa`).

When it starts, screenings and hand-off requests older than RETENTION_DAYS (default 90) are
deleted (the Rasa server does the same for the conversation history, adapters/tracker_store.py).

Both are attached with rasa_sdk's own extension point (the `attach_sanic_app_extensions` hook,
called after the app and its default handler are made), registered when the action server
imports the `actions` package.
"""
from __future__ import annotations

import gc
import hmac
import logging
import os
from typing import Any

import pluggy
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

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


class ActionServerSetup:
    """rasa_sdk plugin: our error handler in place of rasa_sdk's, and the purge at start."""

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        # Sanic 21.12 keeps handlers to register in a set, applied in no set order: the
        # default handler for Exception is taken out, so ours is the only one.
        for future in list(app._future_exceptions):
            if Exception in future.exceptions:
                app._future_exceptions.discard(future)
        app.exception(Exception)(answer_without_the_tracker)
        app.register_listener(purge_old_screenings, "before_server_start")
        app.register_listener(freeze_loaded_objects, "after_server_start")
        wait_as_long_as_rasa(app)
        app.register_middleware(OnlyRasa(required_token()), "request")
        # rasa_sdk reads SANIC_HOST after this hook, and listens on every interface without it.
        os.environ.setdefault("SANIC_HOST", "127.0.0.1")


TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
MIN_TOKEN_LENGTH = 32
OPEN_PATHS = frozenset({"/health"})


class NoActionServerToken(RuntimeError):
    """The action server would answer any program on the machine: it does not start."""


def required_token() -> str:
    """ACTION_SERVER_TOKEN, the shared secret Rasa sends with every call; stops the server
    with the reason when it is missing or short."""
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if len(token) < MIN_TOKEN_LENGTH:
        raise NoActionServerToken(
            f"{TOKEN_VARIABLE} must be set to at least {MIN_TOKEN_LENGTH} characters, the same for "
            "Rasa (endpoints.yml) and the action server; `make run` makes one for each run"
        )
    return token


class OnlyRasa:
    """Request middleware: every call but /health must carry the token (compared in constant
    time), else 401 and nothing runs."""

    def __init__(self, token: str) -> None:
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get("Authorization", "").encode("utf-8", "replace")
        if hmac.compare_digest(given, self._expected):
            return None
        logger.warning("Refused a call without the action server token.")
        return response.json({"error": "unauthorized"}, status=401)


# Rasa waits this long for an action (rasa.core.constants.DEFAULT_REQUEST_TIMEOUT, 5 minutes).
RASA_WAITS_S = 300


def wait_as_long_as_rasa(app: Sanic) -> None:
    """A call Rasa still waits for is not dropped by the action server.

    The actions do their work without awaiting, so under load (bench/prescreens.py) the
    action server's event loop is busy for seconds at a time. Sanic then closes a connection
    it accepted but has not read within KEEP_ALIVE_TIMEOUT (5 s), or not answered within
    REQUEST_TIMEOUT / RESPONSE_TIMEOUT (60 s); Rasa sees the closed connection as "Can not write
    request body", the action fails, and the person gets the technical-problem message instead
    of a slow answer. Rasa calls with a new connection each time, so no idle connection is kept.
    """
    for name in ("KEEP_ALIVE_TIMEOUT", "REQUEST_TIMEOUT", "RESPONSE_TIMEOUT"):
        app.config[name] = max(app.config[name], RASA_WAITS_S)


async def freeze_loaded_objects(app: Sanic, loop: Any) -> None:
    """What is loaded at start (spaCy's pipeline, the trial, the lexicon) lives as long as the
    server: it stays out of Python's garbage collection, which walked it at every full pass."""
    gc.collect()
    gc.freeze()


async def purge_old_screenings(app: Sanic, loop: Any) -> None:
    from bot.privacy import retention
    from bot.storage.store import ScreeningStore

    days = retention.retention_days()  # a bad RETENTION_DAYS stops the server with the reason
    store = ScreeningStore()
    try:
        screenings, handoffs = store.purge_older_than(days), store.purge_handoffs_older_than(days)
    except SQLAlchemyError as error:
        logger.warning("Could not purge old screenings (%s).", type(error).__name__)
    else:
        logger.info("Retention %d days: deleted %d screenings and %d hand-off requests.",
                    days, screenings, handoffs)
    finally:
        store.close()


_PLUGIN = ActionServerSetup()


def install() -> None:
    manager: Any = plugin_manager()
    if not manager.is_registered(_PLUGIN):
        manager.register(_PLUGIN)
