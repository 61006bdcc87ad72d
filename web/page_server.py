"""Serves the chat page and relays its messages to Rasa.

The page and the chat API share one origin, so the browser needs no CORS and the
Content-Security-Policy (web/responses.py) can forbid every other host. Rasa itself can then
stay on loopback. No web framework: http.server, so the page stays up, and says so kindly,
while Rasa restarts.

Whose conversation a message belongs to is decided here, not by the page: the browser's cookie
holds an id this server issued (web/conversation_ids.py); a `sender` in the request body is
ignored. "Delete my data" and "start fresh" delete the answers and the conversation, then give
the browser a new id. Replies go back without the id (web/rasa_relay.py).

A POST must come from the page itself: JSON only (a form or a `text/plain` post from
another page is refused), and a browser's Origin / Sec-Fetch-Site must say this
origin, so a page on the same site cannot send messages, or "delete my data", with
the visitor's cookie. The page may also send its browser's time zone (web/browser_zone.py).

It faces the open network when WEB_HOST says so, so it is built for slow and hostile clients:
a deadline for sending a request, a cap on bodies and on connections (web/connection_limits.py),
strict JSON, the security headers on every response (errors too), and a plain sentence, never
a trace, when Rasa is down.

    python -m web.page_server --port 8080 --rasa http://127.0.0.1:5005
"""
from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import socket
import threading
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.messages import WORDS
from bot.paths import REPO_ROOT
from bot.privacy import log_redaction, private_files, retention
from web.browser_zone import browser_zone, known_zones
from web.connection_limits import PageServer
from web.conversation_ids import COOKIE, cookie_header, issue_cookie_id, issued_conversation, key_for
from web.rasa_relay import PAGE_WEBHOOK, RASA_TIMEOUT_S, deleted, relay, relay_token
from web.responses import SECURITY_HEADERS, error_body

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
FRESH_PATH = "/api/fresh"

# Bigger than any message a person types; the NLU caps text again before parsing.
MAX_BODY_BYTES = 8_192
# A bigger body is read and thrown away (so the client sees the 413, not a reset), up to this.
MAX_DRAINED_BYTES = 1_048_576
# A client gets READ_TIMEOUT_S per read and REQUEST_DEADLINE_S for its whole request (line,
# headers, body); then it is cut off, so clients that send slowly or not at all (slowloris)
# hold a thread for seconds, not forever. Waiting for Rasa is not the client's time.
READ_TIMEOUT_S = 10
REQUEST_DEADLINE_S = 20

# The chat request: flat JSON, every value a string. `sender` is tolerated and never read
# (older copies of the page sent one); anything else is refused.
CHAT_FIELDS = frozenset({"message", "timezone", "sender"})


class Refused(Exception):
    """A chat request the page's server will not relay: the status and the person's sentence."""

    def __init__(self, status: HTTPStatus, text: str = WORDS["page_unreadable"]) -> None:
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
            self._send_error(refused.status, refused.text)
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
        if deleted(messages):
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
        self._send_error(status, WORDS["page_restarting"])

    def _start_fresh(self) -> None:
        """"Start fresh": the answers and the conversation of this browser are deleted, as
        "delete my data" does (it is asked for and confirmed in the conversation itself), then
        the browser gets a new id. Nothing is left behind that the browser could no longer
        reach. If the deletion fails, the browser keeps its id and is told."""
        conversation = self._cookie_id()
        if conversation is not None:
            try:
                self._relay(conversation, "/delete_my_data")
                gone = deleted(self._relay(conversation, "/affirm"))
            except (OSError, http.client.HTTPException, ValueError) as err:
                self._send_unreachable(err)
                return
            if not gone:
                self._send_error(HTTPStatus.SERVICE_UNAVAILABLE, WORDS["page_not_deleted"])
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
            raise Refused(HTTPStatus.FORBIDDEN, WORDS["page_not_this_page"])
        origin = self.headers.get("Origin")
        host = (self.headers.get("Host") or "").strip().lower()
        if origin is not None and (not host or urlsplit(origin.strip()).netloc.lower() != host):
            raise Refused(HTTPStatus.FORBIDDEN, WORDS["page_not_this_page"])

    def _conversation(self, new: bool = False) -> str:
        """This browser's conversation id: from its cookie, else a new one, sent back
        as a cookie (renewed each time, so it lasts a day after the last use)."""
        cookie_id = None if new else self._cookie_value()
        if cookie_id is None:
            cookie_id = issue_cookie_id(self.cookie_key)
        # Secure whenever a TLS proxy says the page came over https; plain http on a
        # laptop or a home network must keep working, so it is not always set.
        self._set_cookie = cookie_header(cookie_id, secure=self.headers.get("X-Forwarded-Proto", "") == "https")
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
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, WORDS["page_too_long"])
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
        self._send_error(HTTPStatus(code), WORDS["page_unreadable"])

    def _send_json(self, status: HTTPStatus, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _send_error(self, status: HTTPStatus, sentence: str) -> None:
        self._send(status, error_body(sentence), "application/json")

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


def make_server(host: str, port: int, rasa_url: str,
                rasa_timeout_s: float = RASA_TIMEOUT_S) -> PageServer:
    handler = type("Handler", (ChatPageHandler,), {
        "rasa_webhook": rasa_url.rstrip("/") + PAGE_WEBHOOK,
        "rasa_timeout_s": rasa_timeout_s,
        "relay_authorization": f"Bearer {relay_token()}",
        "cookie_key": key_for("chat page cookies"),
        "retention_days": retention.retention_days(),
    })
    known_zones()  # listed now, not while the first person waits
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
