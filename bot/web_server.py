"""Serves the chat page and relays its messages to Rasa's REST channel.

The page and the chat API share one origin, so the browser needs no CORS
and the Content-Security-Policy can forbid every other host: the only
script that runs is our own and deep-chat's, whatever a message contains.
Rasa itself can then stay on loopback. Standard library only, so `bot/`
stays free of Rasa and of web frameworks.

    python -m bot.web_server --port 8080 --rasa http://127.0.0.1:5005
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import urllib.error
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

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
SENDER_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
RASA_TIMEOUT_S = 60

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

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
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
        self._send(HTTPStatus.OK, file.read_bytes(), content_type)

    def do_POST(self) -> None:  # noqa: N802
        if self.path.split("?", 1)[0] != CHAT_PATH:
            self._send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain; charset=utf-8")
            return
        request = self._read_chat_request()
        if isinstance(request, str):
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": request})
            return
        try:
            messages = relay(self.rasa_webhook, request["sender"], request["message"])
        except (urllib.error.URLError, TimeoutError, ValueError) as err:
            # No message text or sender in the log: only what went wrong.
            log.warning("assistant unreachable: %s", type(err).__name__)
            self._send_json(HTTPStatus.BAD_GATEWAY, {"error": "assistant unavailable"})
            return
        self._send_json(HTTPStatus.OK, messages)

    def _read_chat_request(self) -> dict[str, str] | str:
        """The validated {sender, message}, or why the request was refused."""
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
        sender, message = body.get("sender"), body.get("message")
        if not isinstance(sender, str) or not SENDER_RE.match(sender):
            return "bad sender"
        if not isinstance(message, str):
            return "bad message"
        return {"sender": sender, "message": message}

    def _send_json(self, status: HTTPStatus, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # Paths only, and only when asked for: message text never reaches a log.
        log.debug("%s %s", self.address_string(), format % args)


def relay(webhook: str, sender: str, message: str) -> list[dict[str, Any]]:
    """Sends one message to Rasa's REST channel and returns the bot's messages."""
    data = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        webhook, data=data, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=RASA_TIMEOUT_S) as response:
        messages = json.loads(response.read())
    if not isinstance(messages, list):
        raise ValueError("unexpected reply from the assistant")
    return messages


def make_server(host: str, port: int, rasa_url: str) -> ThreadingHTTPServer:
    handler = type("Handler", (ChatPageHandler,), {
        "rasa_webhook": rasa_url.rstrip("/") + "/webhooks/rest/webhook",
    })
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> None:
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
