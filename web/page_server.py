"""Serves the chat page and relays its messages to Rasa's REST channel.

The page and the chat API share one origin, so the browser needs no CORS
and the Content-Security-Policy can forbid every other host: the only
script that runs is our own and deep-chat's, whatever a message contains.
Rasa itself can then stay on loopback. Standard library only, so `bot/`
stays free of Rasa and of web frameworks.

Whose conversation a message belongs to is decided here, not by the page: each
browser gets a random id in an HttpOnly, SameSite=Strict cookie, which scripts
cannot read or set and other sites' pages cannot send. The id is signed by this
server, so an id a client made up (or was handed by someone else's page) is
replaced by a new one, never used. A `sender` in the request body is ignored.
"Delete my data" and "start fresh" delete the answers and the conversation, then
give the browser a new id. Replies go back without the id.

The page's conversations are Rasa's "web" channel (/webhooks/web/webhook, the
namespace "web:<id>"), not REST: only this server can post there, with a token made
from the pseudonym secret, so a REST client naming a page's id reaches nothing of it.

A POST must come from the page itself: JSON only (a form or a `text/plain` post from
another page is refused), and a browser's Origin / Sec-Fetch-Site must say this
origin, so a page on the same site cannot send messages, or "delete my data", with
the visitor's cookie.

The page may also send its browser's time zone; an IANA zone name is passed on to
Rasa as the message's `metadata.timezone` (dates such as "a month ago" are the
person's own), anything else is dropped.

It faces the open network when WEB_HOST says so, so it is built for slow and
hostile clients: a thread per connection, a deadline for sending a request, a
cap on bodies and on connections (in all and per client address), strict JSON, the security headers on every
response (errors too), and a plain sentence, never a trace, when Rasa is down.

    python -m web.page_server --port 8080 --rasa http://127.0.0.1:5005
"""
from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import hmac
import http.client
import json
import logging
import os
import re
import secrets
import socket
import sys
import threading
import urllib.request
import zoneinfo
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.paths import REPO_ROOT
from bot.privacy import log_redaction, private_files, retention

log = logging.getLogger("web.page_server")

PAGE_DIR = Path(__file__).resolve().parent / "page"
DEEP_CHAT = REPO_ROOT / "node_modules" / "deep-chat" / "dist" / "deepChat.bundle.js"

# Only these files are served: no directory walking, whatever the path says.
FILES: dict[str, tuple[Path, str]] = {
    "/": (PAGE_DIR / "index.html", "text/html; charset=utf-8"),
    "/app.js": (PAGE_DIR / "app.js", "text/javascript; charset=utf-8"),
    "/render.js": (PAGE_DIR / "render.js", "text/javascript; charset=utf-8"),
    "/texts.js": (PAGE_DIR / "texts.js", "text/javascript; charset=utf-8"),
    "/comfort.js": (PAGE_DIR / "comfort.js", "text/javascript; charset=utf-8"),
    "/style.css": (PAGE_DIR / "style.css", "text/css; charset=utf-8"),
    "/vendor/deep-chat.js": (DEEP_CHAT, "text/javascript; charset=utf-8"),
}
CHAT_PATH = "/api/chat"

# Bigger than any message a person types; the NLU caps text again before parsing.
MAX_BODY_BYTES = 8_192
# A bigger body is read and thrown away (so the client sees the 413, not a reset), up to this.
MAX_DRAINED_BYTES = 1_048_576
RASA_TIMEOUT_S = 60
# A client gets READ_TIMEOUT_S per read and REQUEST_DEADLINE_S for its whole request (line,
# headers, body); then it is cut off, so clients that send slowly or not at all (slowloris)
# hold a thread for seconds, not forever. Waiting for Rasa is not the client's time.
READ_TIMEOUT_S = 10
REQUEST_DEADLINE_S = 20
# More connections at once than any number of people here would open: the rest are refused
# at once, so a flood of idle connections cannot exhaust the machine's threads.
MAX_CONNECTIONS = 128
# One client address may hold this many of them (a browser opens a few), so one client cannot
# take every place. Behind a reverse proxy every visitor has the proxy's address: raise it.
MAX_CONNECTIONS_PER_CLIENT = int(os.environ.get("WEB_CONNECTIONS_PER_CLIENT", "16"))

# The browser's conversation id: 24 random bytes, known only to this server and the cookie,
# then a dot and this server's signature of them (so ids are only ever issued, never chosen).
COOKIE = "trial_chat"
COOKIE_ID_RE = re.compile(r"[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22}")
# Rasa's channel for the page (adapters.channels.rest.PageChannel).
PAGE_WEBHOOK = "/webhooks/web/webhook"
# Renewed with every message; the page drops its own copy after the same time (app.js), as
# its privacy notice says: 24 hours after the last message.
COOKIE_MAX_AGE_S = 24 * 3600
FRESH_PATH = "/api/fresh"
DELETED = {"type": "conversation_deleted"}

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "style-src 'self' 'unsafe-inline'; font-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers without CSP 2
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

# What the page shows the person when something goes wrong (app.js shows a reply's `error`).
RESTARTING = "The assistant is restarting, please try again in a moment."
UNREADABLE = "Sorry, this page sent something I could not read. Please reload the page and try again."
TOO_LONG = "That message is too long. Please send a shorter one."
BUSY = "The assistant is very busy, please try again in a moment."
NOT_THIS_PAGE = "This request did not come from the chat page. Please use the page itself."
NOT_DELETED = "Your answers could not be deleted just now, so nothing was changed. Please try again in a minute."

# The chat request: flat JSON, every value a string. `sender` is tolerated and never read
# (older copies of the page sent one); anything else is refused.
CHAT_FIELDS = frozenset({"message", "timezone", "sender"})
# An IANA zone name as browsers give it: "America/Chicago", "America/Argentina/Buenos_Aires",
# "Etc/GMT+5", "UTC".
ZONE_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_+-]{0,31}(?:/[A-Za-z0-9_+-]{1,31}){0,2}")
MAX_ZONE_NAME = 64


@functools.lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def browser_zone(value: Any) -> str | None:
    """The time zone the page sent, if it is one this machine knows; else None."""
    if isinstance(value, str) and len(value) <= MAX_ZONE_NAME and ZONE_NAME_RE.fullmatch(value) \
            and value in _known_zones():
        return value
    return None


def _key(purpose: str) -> bytes:
    # The pseudonym secret's key for one purpose: every process of the deployment agrees on it.
    from bot.privacy.pseudonyms import derived_key  # not at import: the page server reads it when it starts

    return derived_key(purpose)


def relay_token() -> str:
    """The token the page's server sends with each message, and Rasa's web channel checks."""
    return _key("chat page relay").hex()


def _signature(key: bytes, conversation: str) -> str:
    digest = hmac.new(key, conversation.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue_cookie_id(key: bytes) -> str:
    """A new conversation id and this server's signature of it: "<32 chars>.<22 chars>"."""
    conversation = secrets.token_urlsafe(24)
    return f"{conversation}.{_signature(key, conversation)}"


def issued_conversation(key: bytes, value: str) -> str | None:
    """The conversation of a cookie id this server issued, else None (made up, altered,
    or carrying anything else, such as a line break)."""
    if not COOKIE_ID_RE.fullmatch(value):
        return None
    conversation, signature = value.split(".")
    return conversation if hmac.compare_digest(signature, _signature(key, conversation)) else None


class Refused(Exception):
    """A chat request the page's server will not relay: the status and the person's sentence."""

    def __init__(self, status: HTTPStatus, text: str = UNREADABLE) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


class ChatPageHandler(BaseHTTPRequestHandler):
    """One request: a page file, or one chat message relayed to Rasa."""

    server_version = "TrialAssistantPage"
    sys_version = ""
    rasa_webhook: str = ""
    rasa_timeout_s: float = RASA_TIMEOUT_S
    relay_authorization: str = ""  # "Bearer <relay token>" for Rasa's web channel
    cookie_key: bytes = b""  # signs the conversation ids
    retention_days: int = 90  # what the privacy notice says (RETENTION_DAYS)
    timeout = READ_TIMEOUT_S  # each read and write on the client's socket (StreamRequestHandler)
    request_deadline_s: float = REQUEST_DEADLINE_S
    _set_cookie: str | None = None  # a Set-Cookie header for the response being made
    _deadline: threading.Timer | None = None

    def handle(self) -> None:
        # HTTP/1.0: one request per connection, so one deadline per connection.
        self._deadline = threading.Timer(self.request_deadline_s, self._hang_up)
        self._deadline.daemon = True
        self._deadline.start()
        try:
            super().handle()
        finally:
            self._deadline.cancel()

    def _hang_up(self) -> None:
        """The client is still sending its request after the deadline: cut it off (its
        thread's read then ends at once)."""
        log.info("cut off a client that was too slow to send its request")
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _request_read(self) -> None:
        """The whole request is in: no more deadline (answering may wait on Rasa)."""
        if self._deadline is not None:
            self._deadline.cancel()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._request_read()
        self._set_cookie = None
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self._send(HTTPStatus.OK, b"ok", "text/plain; charset=utf-8")
            return
        entry = FILES.get(path)
        if entry is None:
            self._send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain; charset=utf-8")
            return
        file, content_type = entry
        if not file.exists():
            log.error("page file missing: %s (run 'make run' to install the page)", file)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, b"Page not installed",
                       "text/plain; charset=utf-8")
            return
        body = file.read_bytes()
        if path == "/":
            self._conversation()  # a first visit gets its id with the page
            # The notice says how long the answers are kept: this deployment's RETENTION_DAYS.
            body = body.replace(b"data-retention-days>90<",
                                f"data-retention-days>{self.retention_days}<".encode())
        self._send(HTTPStatus.OK, body, content_type)

    def do_POST(self) -> None:  # noqa: N802
        self._set_cookie = None
        path = self.path.split("?", 1)[0]
        if path not in (CHAT_PATH, FRESH_PATH):
            self._send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain; charset=utf-8")
            return
        try:
            self._check_from_the_page()
            message, zone = self._read_chat_request() if path == CHAT_PATH else ("", None)
        except Refused as refused:
            self.close_connection = True
            self._send_json(refused.status, {"error": refused.text})
            return
        except ConnectionError:  # the client hung up, or was cut off at the deadline
            self.close_connection = True
            return
        self._request_read()
        if path == FRESH_PATH:
            self._start_fresh()
            return
        conversation = self._conversation()
        try:
            messages = self._relay(conversation, message, zone)
        except (OSError, http.client.HTTPException, ValueError) as err:
            self._send_unreachable(err)
            return
        if any(m.get("custom") == DELETED for m in messages):
            self._conversation(new=True)  # the data is gone: this browser starts afresh
        self._send_json(HTTPStatus.OK, messages)

    def _relay(self, conversation: str, message: str, zone: str | None = None) -> list[dict[str, Any]]:
        return relay(self.rasa_webhook, conversation, message, zone, self.rasa_timeout_s,
                     self.relay_authorization)

    def _send_unreachable(self, err: Exception) -> None:
        # Rasa is down, slow, or hung up (a restart): the person gets a sentence, not the
        # error. No message text or sender in the log: only what went wrong.
        timed_out = isinstance(err, TimeoutError) or isinstance(getattr(err, "reason", None),
                                                                TimeoutError)
        log.warning("assistant unreachable: %s", type(err).__name__)
        status = HTTPStatus.GATEWAY_TIMEOUT if timed_out else HTTPStatus.BAD_GATEWAY
        self._send_json(status, {"error": RESTARTING})

    def _start_fresh(self) -> None:
        """"Start fresh": the answers and the conversation of this browser are deleted, as
        "delete my data" does (it is asked for and confirmed in the conversation itself), then
        the browser gets a new id. Nothing is left behind that the browser could no longer
        reach. If the deletion fails, the browser keeps its id and is told."""
        conversation = self._cookie_id()
        if conversation is not None:
            try:
                self._relay(conversation, "/delete_my_data")
                deleted = any(m.get("custom") == DELETED for m in self._relay(conversation, "/affirm"))
            except (OSError, http.client.HTTPException, ValueError) as err:
                self._send_unreachable(err)
                return
            if not deleted:
                self._send_json(HTTPStatus.SERVICE_UNAVAILABLE, {"error": NOT_DELETED})
                return
        self._conversation(new=True)
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain; charset=utf-8")

    def _check_from_the_page(self) -> None:
        """Refused unless the POST is JSON and, when the browser says where it comes from
        (Sec-Fetch-Site, Origin), from this very origin. Another page, even on the same
        site (the cookie's SameSite lets those send it), cannot post JSON here without a
        CORS preflight, which this server never grants."""
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
        site = self.headers.get("Sec-Fetch-Site")
        if site is not None and site != "same-origin":
            raise Refused(HTTPStatus.FORBIDDEN, NOT_THIS_PAGE)
        origin = self.headers.get("Origin")
        host = (self.headers.get("Host") or "").strip().lower()
        if origin is not None and (not host or urlsplit(origin.strip()).netloc.lower() != host):
            raise Refused(HTTPStatus.FORBIDDEN, NOT_THIS_PAGE)

    def _conversation(self, new: bool = False) -> str:
        """This browser's conversation id: from its cookie, else a new one, sent back
        as a cookie (renewed each time, so it lasts COOKIE_MAX_AGE_S after the last use)."""
        cookie_id = None if new else self._cookie_value()
        if cookie_id is None:
            cookie_id = issue_cookie_id(self.cookie_key)
        # Secure whenever a TLS proxy says the page came over https; plain http on a
        # laptop or a home network must keep working, so it is not always set.
        secure = "; Secure" if self.headers.get("X-Forwarded-Proto", "") == "https" else ""
        self._set_cookie = (f"{COOKIE}={cookie_id}; Path=/; Max-Age={COOKIE_MAX_AGE_S}; "
                            f"HttpOnly; SameSite=Strict{secure}")
        return cookie_id.split(".")[0]

    def _cookie_value(self) -> str | None:
        """The cookie's id if this server issued it, else None."""
        cookies: SimpleCookie = SimpleCookie()
        try:
            cookies.load(self.headers.get("Cookie", ""))
        except CookieError:
            return None
        morsel = cookies.get(COOKIE)
        if morsel is None or issued_conversation(self.cookie_key, morsel.value) is None:
            return None
        return morsel.value

    def _cookie_id(self) -> str | None:
        """The conversation of this browser's cookie, if this server issued it."""
        value = self._cookie_value()
        return None if value is None else value.split(".")[0]

    def _read_chat_request(self) -> tuple[str, str | None]:
        """(the message, the browser's time zone or None) of a well-formed request, else
        Refused. A `sender` in the body is not read: the cookie says whose conversation
        this is. A time zone that is not one is dropped, not refused."""
        if "Transfer-Encoding" in self.headers:
            raise Refused(HTTPStatus.LENGTH_REQUIRED)
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise Refused(HTTPStatus.BAD_REQUEST) from None
        if length <= 0:
            raise Refused(HTTPStatus.BAD_REQUEST)
        if length > MAX_BODY_BYTES:
            if length <= MAX_DRAINED_BYTES:
                self._read_body(length)
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, TOO_LONG)
        try:
            body = json.loads(self._read_body(length))
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
            raise Refused(HTTPStatus.BAD_REQUEST) from None
        if not isinstance(body, dict) or not body.keys() <= CHAT_FIELDS \
                or not all(isinstance(value, str) for value in body.values()) \
                or "message" not in body:
            raise Refused(HTTPStatus.BAD_REQUEST)
        return body["message"], browser_zone(body.get("timezone"))

    def _read_body(self, length: int) -> bytes:
        body = self.rfile.read(length)
        if len(body) < length:
            raise ConnectionError("the client sent less than it announced")
        return body

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (a bad request line, a method not served, a timeout) as
        JSON with the security headers, never its HTML page."""
        self.log_error("code %d, message %s", code, message)
        self._set_cookie = None
        self.close_connection = True
        # All of them answer what the client sent (a method or an HTTP version this server
        # does not speak is the client's too): none is the assistant's trouble.
        self._send_json(HTTPStatus(code), {"error": UNREADABLE})

    def _send_json(self, status: HTTPStatus, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        # http.server answers an HTTP/0.9 request, or a line it cannot read, with a bare
        # body; every answer here has a status line and the security headers.
        self.request_version = "HTTP/1.0"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        if self._set_cookie:
            self.send_header("Set-Cookie", self._set_cookie)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # Paths only, and only when asked for: message text never reaches a log.
        log.debug("%s %s", self.address_string(), format % args)


def relay(webhook: str, sender: str, message: str, zone: str | None = None,
          timeout_s: float = RASA_TIMEOUT_S, authorization: str = "") -> list[dict[str, Any]]:
    """Sends one message to Rasa's web channel (with the browser's time zone as its
    `metadata.timezone`, when there is one) and returns the bot's messages, without
    their `recipient_id` (the browser's id, which the page never sees)."""
    body: dict[str, Any] = {"sender": sender, "message": message}
    if zone:
        body["metadata"] = {"timezone": zone}
    headers = {"Content-Type": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(
        webhook, data=json.dumps(body).encode(), headers=headers, method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        messages = json.loads(response.read())
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise ValueError("unexpected reply from the assistant")
    return [{k: v for k, v in m.items() if k != "recipient_id"} for m in messages]


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
    body = json.dumps({"error": BUSY}).encode()
    head = "".join(f"{name}: {value}\r\n" for name, value in SECURITY_HEADERS.items())
    try:
        connection.setblocking(False)
        connection.send(
            b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nRetry-After: 5\r\n{head}\r\n".encode() + body
        )
    except OSError:
        pass


def make_server(host: str, port: int, rasa_url: str,
                rasa_timeout_s: float = RASA_TIMEOUT_S) -> PageServer:
    handler = type("Handler", (ChatPageHandler,), {
        "rasa_webhook": rasa_url.rstrip("/") + PAGE_WEBHOOK,
        "rasa_timeout_s": rasa_timeout_s,
        "relay_authorization": f"Bearer {relay_token()}",
        "cookie_key": _key("chat page cookies"),
        "retention_days": retention.retention_days(),
    })
    _known_zones()  # listed now, not while the first person waits
    return PageServer((host, port), handler)


def main(argv: list[str] | None = None) -> None:
    # Its log (var/log/web.log under make run) is private, and never holds a message.
    log_redaction.install()
    private_files.make_private()
    parser = argparse.ArgumentParser(description="Serve the trial assistant's chat page.")
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument(
        "--rasa",
        default=f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}",
        help="base URL of the Rasa server",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if not DEEP_CHAT.exists():
        parser.error(f"{DEEP_CHAT} is missing: run 'npm ci' (make run does)")
    server = make_server(args.host, args.port, args.rasa)
    log.info("chat page on http://%s:%d/", args.host, args.port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
