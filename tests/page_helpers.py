"""The chat page's server (web/page_server.py) run for real on a free port, in front of a small
stand-in for Rasa's web channel that records what reached it.

Shared by the page tests (tests/unit/test_page_server.py, test_page_security.py,
test_web_relay.py), so that each says only what it checks and the stand-in answers the same
way for all of them: a change to what Rasa is expected to answer is made here, once.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator, Optional

import requests

from web.conversation_ids import COOKIE
from web.page_server import make_server

# What Rasa's answer holds once "delete my data" is confirmed: the page then forgets the id.
DELETED = {"type": "conversation_deleted"}


class RasaStandIn(BaseHTTPRequestHandler):
    """Answers as Rasa's web channel does ("you said <message>", and DELETED after "/affirm")
    and records each call (its path, Authorization header and body) in `calls`.

    `mode` changes it while a test runs: mode["now"] = "slow" (answers after `slow_s`),
    "hang up" (closes the connection unanswered) or "fail" (HTTP 500); mode["delete"] =
    "fails" leaves DELETED out, as when the conversation could not be deleted.
    """

    calls: list[dict[str, Any]] = []
    mode: dict[str, str] = {}
    slow_s = 2.0

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append({"path": self.path, "authorization": self.headers.get("Authorization"), "body": body})
        if self.mode.get("now") == "slow":
            time.sleep(self.slow_s)
        if self.mode.get("now") == "hang up":
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        reply = [{"recipient_id": body["sender"], "text": f"you said {body['message']}"}]
        if body["message"] == "/affirm" and self.mode.get("delete") != "fails":
            reply.append({"recipient_id": body["sender"], "custom": DELETED})
        data = json.dumps(reply).encode()
        self.send_response(500 if self.mode.get("now") == "fail" else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def serve(server: ThreadingHTTPServer) -> str:
    """Serves in a background thread (stopped by `stop`); the server's base URL."""
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


def send_raw(address: tuple[str, int], data: bytes, read: bool = True) -> bytes:
    """Bytes sent as they are (what no HTTP client would send); the whole answer, when `read`."""
    with socket.create_connection(address, timeout=5) as conn:
        conn.sendall(data)
        return read_all(conn) if read else b""


def read_all(conn: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    answer = b""
    while chunk := conn.recv(65536):
        answer += chunk
    return answer


def stop(*servers: ThreadingHTTPServer) -> None:
    for server in servers:
        server.shutdown()
        server.server_close()


@dataclass
class Page:
    """The page's server as a test sees it: its URL, the server itself, what reached Rasa
    (`calls`) and the stand-in's `mode`; `browser` is one browser that keeps its cookie."""

    url: str
    server: Any
    calls: list[dict[str, Any]]
    mode: dict[str, str]
    browser: requests.Session = field(default_factory=requests.Session)

    @property
    def bodies(self) -> list[dict[str, Any]]:
        """What the page's server sent Rasa, call by call."""
        return [call["body"] for call in self.calls]

    @property
    def senders(self) -> list[str]:
        """Whose conversation each call to Rasa was, as Rasa saw it."""
        return [call["body"]["sender"] for call in self.calls]

    @property
    def address(self) -> tuple[str, int]:
        return self.server.server_address[:2]

    @property
    def host(self) -> str:
        return self.url.split("//", 1)[1]

    @property
    def cookie(self) -> str:
        """The id cookie `browser` holds (after `open`)."""
        return self.browser.cookies[COOKIE]

    def open(self) -> "Page":
        """`browser` opens the page, as a person does first, and gets its id cookie."""
        self.browser.get(self.url + "/", timeout=10)
        return self

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        """A post from `browser`, with its cookie."""
        kwargs.setdefault("timeout", 10)
        return self.browser.post(self.url + path, **kwargs)

    def chat(self, body: Any, **kwargs: Any) -> requests.Response:
        """A chat message from a client with no cookie of its own."""
        return requests.post(f"{self.url}/api/chat", json=body, timeout=10, **kwargs)


def serve_page(rasa_url: str, calls: list[dict[str, Any]], mode: dict[str, str],
                **settings: Any) -> Page:
    """A page's server in front of `rasa_url` (make_server's `settings`), serving."""
    server = make_server("127.0.0.1", 0, rasa_url, **settings)
    return Page(serve(server), server, calls, mode)


@contextmanager
def page_before_rasa(slow_s: Optional[float] = None, **settings: Any) -> Iterator[Page]:
    """The page's server in front of a fresh Rasa stand-in; both stopped afterwards."""
    calls: list[dict[str, Any]] = []
    mode: dict[str, str] = {}
    answers = {"calls": calls, "mode": mode, **({} if slow_s is None else {"slow_s": slow_s})}
    rasa = ThreadingHTTPServer(("127.0.0.1", 0), type("Rasa", (RasaStandIn,), answers))
    rasa.daemon_threads, rasa.block_on_close = True, False
    page = serve_page(serve(rasa), calls, mode, **settings)
    try:
        yield page
    finally:
        stop(page.server, rasa)
