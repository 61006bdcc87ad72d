"""How many connections the page's server holds at once, in all and from one client address.

It faces the open network when WEB_HOST says so: a flood of idle connections must not exhaust
the machine's threads, and one client must not take every place. The rest are refused at once
with a 503 written without a thread.
"""
from __future__ import annotations

import logging
import os
import socket
import sys
import threading
from http.server import ThreadingHTTPServer
from typing import Any

from bot.messages import WORDS
from web.responses import SECURITY_HEADERS, error_body

log = logging.getLogger("web.page_server")

# More connections at once than any number of people here would open.
MAX_CONNECTIONS = 128
# One client address may hold this many of them (a browser opens a few). Behind a reverse
# proxy every visitor has the proxy's address: raise it.
MAX_CONNECTIONS_PER_CLIENT = int(os.environ.get("WEB_CONNECTIONS_PER_CLIENT", "16"))


class PageServer(ThreadingHTTPServer):
    """A thread per connection, up to max_connections at once, and up to
    max_connections_per_client of them from one client address."""

    daemon_threads = True  # a client still connected never keeps the server from stopping
    block_on_close = False
    max_connections = MAX_CONNECTIONS
    max_connections_per_client = MAX_CONNECTIONS_PER_CLIENT
    request_queue_size = 64  # the listen backlog: a burst of visitors waits, it is not dropped

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._free = threading.BoundedSemaphore(self.max_connections)
        self._per_client: dict[str, int] = {}
        self._per_client_lock = threading.Lock()

    def _take_client_place(self, client: str) -> bool:
        with self._per_client_lock:
            held = self._per_client.get(client, 0)
            if held >= self.max_connections_per_client:
                return False
            self._per_client[client] = held + 1
            return True

    def _free_client_place(self, client: str) -> None:
        with self._per_client_lock:
            held = self._per_client.get(client, 1) - 1
            if held > 0:
                self._per_client[client] = held
            else:
                self._per_client.pop(client, None)

    def process_request(self, request: Any, client_address: Any) -> None:
        client = str(client_address[0])
        if not self._take_client_place(client):
            log.warning("refused a connection: one client already has %d open",
                        self.max_connections_per_client)
            _answer_busy(request)
            self.shutdown_request(request)
            return
        if not self._free.acquire(blocking=False):
            self._free_client_place(client)
            log.warning("refused a connection: %d already open", self.max_connections)
            _answer_busy(request)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread started: it will not free its place
            self._free.release()
            self._free_client_place(client)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._free.release()
            self._free_client_place(str(client_address[0]))

    def handle_error(self, request: Any, client_address: Any) -> None:
        # One line, no traceback: a client that hangs up mid-answer is not news.
        log.info("a connection ended badly (%s)", type(sys.exc_info()[1]).__name__)


def _answer_busy(connection: socket.socket) -> None:
    """A 503 written without a thread: what fits in the socket's buffer, or nothing."""
    body = error_body(WORDS["page_busy"])
    head = "".join(f"{name}: {value}\r\n" for name, value in SECURITY_HEADERS.items())
    try:
        connection.setblocking(False)
        connection.send(
            b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nRetry-After: 5\r\n{head}\r\n".encode() + body
        )
    except OSError:
        pass
