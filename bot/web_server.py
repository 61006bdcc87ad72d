"""Serves the chat page and relays its messages to Rasa's REST channel.

The page and the chat API share one origin, so the browser needs no CORS
and the Content-Security-Policy can forbid every other host: the only
script that runs is our own and deep-chat's, whatever a message contains.
Rasa itself can then stay on loopback. Standard library only, so `bot/`
stays free of Rasa and of web frameworks.

Whose conversation a message belongs to is decided here, not by the page: each
browser gets a random id in an HttpOnly, SameSite=Strict cookie, which scripts
cannot read or set and other sites' pages cannot send. A `sender` in the request
body is ignored. After "delete my data" the browser gets a new id. Replies go
back without the id.

    python -m bot.web_server --port 8080 --rasa http://127.0.0.1:5005
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import secrets
import urllib.error
import urllib.request
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bot import log_redaction, private_files

log = logging.getLogger("bot.web_server")

ROOT = Path(__file__).resolve().parents[1]
PAGE_DIR = Path(__file__).resolve().parent / "web"
DEEP_CHAT = ROOT / "node_modules" / "deep-chat" / "dist" / "deepChat.bundle.js"

# Only these files are served: no directory walking, whatever the path says.
FILES: dict[str, tuple[Path, str]] = {
    "/": (PAGE_DIR / "index.html", "text/html; charset=utf-8"),
    "/app.js": (PAGE_DIR / "app.js", "text/javascript; charset=utf-8"),
    "/render.js": (PAGE_DIR / "render.js", "text/javascript; charset=utf-8"),
    "/style.css": (PAGE_DIR / "style.css", "text/css; charset=utf-8"),
    "/vendor/deep-chat.js": (DEEP_CHAT, "text/javascript; charset=utf-8"),
}
CHAT_PATH = "/api/chat"

# Bigger than any message a person types; the NLU caps text again before parsing.
MAX_BODY_BYTES = 8_192
RASA_TIMEOUT_S = 60

# The browser's conversation id: 24 random bytes, known only to this server and the cookie.
COOKIE = "trial_chat"
COOKIE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")
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
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class ChatPageHandler(BaseHTTPRequestHandler):
    """One request: a page file, or one chat message relayed to Rasa."""

    server_version = "TrialAssistantPage"
    sys_version = ""
    rasa_webhook: str = ""
    _set_cookie: str | None = None  # a Set-Cookie header for the response being made

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
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
        if path == "/":
            self._conversation()  # a first visit gets its id with the page
        self._send(HTTPStatus.OK, file.read_bytes(), content_type)

    def do_POST(self) -> None:  # noqa: N802
        self._set_cookie = None
        if self.path.split("?", 1)[0] == FRESH_PATH:
            # "Start fresh": a new conversation id; the old conversation is no longer this browser's.
            self._conversation(new=True)
            self._send(HTTPStatus.NO_CONTENT, b"", "text/plain; charset=utf-8")
            return
        if self.path.split("?", 1)[0] != CHAT_PATH:
            self._send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain; charset=utf-8")
            return
        message = self._read_chat_request()
        if not isinstance(message, dict):
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": message})
            return
        conversation = self._conversation()
        try:
            messages = relay(self.rasa_webhook, conversation, message["message"])
        except (urllib.error.URLError, TimeoutError, ValueError) as err:
            # No message text or sender in the log: only what went wrong.
            log.warning("assistant unreachable: %s", type(err).__name__)
            self._send_json(HTTPStatus.BAD_GATEWAY, {"error": "assistant unavailable"})
            return
        if any(m.get("custom") == DELETED for m in messages):
            self._conversation(new=True)  # the data is gone: this browser starts afresh
        self._send_json(HTTPStatus.OK, messages)

    def _conversation(self, new: bool = False) -> str:
        """This browser's conversation id: from its cookie, else a new one, sent back
        as a cookie (renewed each time, so it lasts COOKIE_MAX_AGE_S after the last use)."""
        conversation = None if new else self._cookie_id()
        if conversation is None:
            conversation = secrets.token_urlsafe(24)
        # Secure whenever a TLS proxy says the page came over https; plain http on a
        # laptop or a home network must keep working, so it is not always set.
        secure = "; Secure" if self.headers.get("X-Forwarded-Proto", "") == "https" else ""
        self._set_cookie = (f"{COOKIE}={conversation}; Path=/; Max-Age={COOKIE_MAX_AGE_S}; "
                            f"HttpOnly; SameSite=Strict{secure}")
        return conversation

    def _cookie_id(self) -> str | None:
        cookies: SimpleCookie = SimpleCookie()
        try:
            cookies.load(self.headers.get("Cookie", ""))
        except CookieError:
            return None
        morsel = cookies.get(COOKIE)
        return morsel.value if morsel is not None and COOKIE_ID_RE.match(morsel.value) else None

    def _read_chat_request(self) -> dict[str, str] | str:
        """The validated {message}, or why the request was refused. A `sender` in the
        body is not read: the cookie says whose conversation this is."""
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            return "bad length"
        if length <= 0 or length > MAX_BODY_BYTES:
            return "message too long" if length > 0 else "empty request"
        try:
            body = json.loads(self.rfile.read(length))
        except (json.JSONDecodeError, UnicodeDecodeError):
            return "not JSON"
        if not isinstance(body, dict):
            return "not an object"
        message = body.get("message")
        if not isinstance(message, str):
            return "bad message"
        return {"message": message}

    def _send_json(self, status: HTTPStatus, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        if self._set_cookie:
            self.send_header("Set-Cookie", self._set_cookie)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # Paths only, and only when asked for: message text never reaches a log.
        log.debug("%s %s", self.address_string(), format % args)


def relay(webhook: str, sender: str, message: str) -> list[dict[str, Any]]:
    """Sends one message to Rasa's REST channel and returns the bot's messages,
    without their `recipient_id` (the browser's id, which the page never sees)."""
    data = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        webhook, data=data, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=RASA_TIMEOUT_S) as response:
        messages = json.loads(response.read())
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise ValueError("unexpected reply from the assistant")
    return [{k: v for k, v in m.items() if k != "recipient_id"} for m in messages]


def make_server(host: str, port: int, rasa_url: str) -> ThreadingHTTPServer:
    handler = type("Handler", (ChatPageHandler,), {
        "rasa_webhook": rasa_url.rstrip("/") + "/webhooks/rest/webhook",
    })
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


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
