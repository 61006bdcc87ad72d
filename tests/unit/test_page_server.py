"""The chat page's server against slow, hostile and broken peers.

The page's server (web/page_server.py) runs for real on a free port, with short
timeouts so each test takes about a second; Rasa's REST channel is a small
stand-in that records what it was sent, and can be slow, down, or hang up.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any, Iterator

import pytest
import requests

from bot.messages import WORDS
from tests.page_helpers import Page, page_before_rasa, read_all, send_raw, serve_page, stop
from tests.ports import free_port
from web import connection_limits
from web.responses import SECURITY_HEADERS

READ_TIMEOUT_S = 0.5
REQUEST_DEADLINE_S = 2.0
RASA_TIMEOUT_S = 1.0


def _short_timeouts(page: Page) -> Page:
    """Short timeouts, so each test takes about a second."""
    page.server.RequestHandlerClass.timeout = READ_TIMEOUT_S
    page.server.RequestHandlerClass.request_deadline_s = REQUEST_DEADLINE_S
    return page


@pytest.fixture
def page() -> Iterator[Page]:
    # The stand-in's "slow" is twice the page server's patience with Rasa.
    with page_before_rasa(slow_s=RASA_TIMEOUT_S * 2, rasa_timeout_s=RASA_TIMEOUT_S) as running:
        yield _short_timeouts(running)


def _assert_safe_headers(headers: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


# --- the browser's time zone --------------------------------------------------


def test_the_browsers_time_zone_reaches_rasa_as_message_metadata(page: Page) -> None:
    for zone in ("Pacific/Honolulu", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC"):
        assert page.chat({"message": "hi", "timezone": zone}).status_code == 200
        assert page.bodies[-1]["metadata"] == {"timezone": zone}
        assert page.bodies[-1]["message"] == "hi"
    page.chat({"message": "hi"})
    assert "metadata" not in page.bodies[-1]


@pytest.mark.parametrize("zone", [
    "Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime", "America/Chicago ", "",
    "America/" + "x" * 80, "Europe/Paris\n", "<script>", "posixrules/../UTC",
])
def test_a_bogus_time_zone_is_dropped_and_the_message_still_goes(page: Page, zone: str) -> None:
    assert page.chat({"message": "hi", "timezone": zone}).status_code == 200
    assert page.bodies[-1] == {"sender": page.bodies[-1]["sender"], "message": "hi"}


# --- what a chat request may hold ----------------------------------------------


@pytest.mark.parametrize("body", [
    {"message": {"text": "hi"}},
    {"message": ["hi"]},
    {"message": "hi", "timezone": {"name": "UTC"}},
    {"message": "hi", "timezone": ["UTC"]},
    {"message": "hi", "metadata": {"timezone": "UTC"}},
    {"message": "hi", "input_channel": "twilio"},
    {"message": 5},
    {"message": None},
    {"timezone": "UTC"},
    ["hi"],
    "hi",
])
def test_only_the_flat_fields_of_a_chat_message_are_taken(page: Page, body: Any) -> None:
    answer = page.chat(body)
    assert answer.status_code == 400
    assert answer.json() == {"error": WORDS["page_unreadable"]}
    _assert_safe_headers(answer.headers)
    assert page.bodies == []


@pytest.mark.parametrize("data", [b"not json", b"\xff\xfe", b"[" * 4000 + b"]" * 4000, b"{" * 4000],
                         ids=["text", "not utf-8", "nested too deep", "open braces"])
def test_unreadable_bodies_get_400_not_a_crash(page: Page, data: bytes) -> None:
    answer = requests.post(f"{page.url}/api/chat", data=data, timeout=10,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json() == {"error": WORDS["page_unreadable"]}
    assert page.bodies == []


def test_a_body_over_the_cap_gets_413(page: Page) -> None:
    answer = page.chat({"message": "x" * 20_000})
    assert answer.status_code == 413
    assert answer.json() == {"error": WORDS["page_too_long"]}
    _assert_safe_headers(answer.headers)
    # A huge announced body is refused before it is read.
    head = (b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 999999999\r\n\r\n")
    assert send_raw(page.address, head).startswith(b"HTTP/1.0 413 ")
    assert page.bodies == []


# --- the security headers, on every answer --------------------------------------


def test_error_answers_carry_the_security_headers_and_no_html(page: Page) -> None:
    answers = [
        requests.get(f"{page.url}/nothing-here", timeout=10),
        requests.put(f"{page.url}/api/chat", timeout=10),  # http.server's own 501
        requests.request("BREW", f"{page.url}/", timeout=10),
    ]
    for answer in answers:
        assert answer.status_code in (404, 501)
        _assert_safe_headers(answer.headers)
        assert "<html" not in answer.text.lower() and "<!doctype" not in answer.text.lower()
    # A request line http.server refuses itself (400), with its headers too.
    raw = send_raw(page.address, b"GARBAGE\r\n\r\n").decode()
    head, _, body = raw.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.0 400 ")
    for name, value in SECURITY_HEADERS.items():
        assert f"{name}: {value}" in head, name
    assert json.loads(body) == {"error": WORDS["page_unreadable"]}


# --- when Rasa is down, slow, or hangs up ---------------------------------------


def _assert_plain_apology(answer: requests.Response, status: int) -> None:
    assert answer.status_code == status
    assert answer.json() == {"error": WORDS["page_restarting"]}
    _assert_safe_headers(answer.headers)
    for leak in ("Traceback", "127.0.0.1", "Errno", "refused", "urlopen"):
        assert leak not in answer.text


def test_rasa_down_gets_a_plain_502() -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # a port nobody listens on
    page = _short_timeouts(serve_page(closed, [], {}, rasa_timeout_s=RASA_TIMEOUT_S))
    try:
        _assert_plain_apology(page.chat({"message": "hi"}), 502)
    finally:
        stop(page.server)


def test_rasa_slow_gets_a_plain_504_in_time(page: Page) -> None:
    page.mode["now"] = "slow"
    started = time.monotonic()
    _assert_plain_apology(page.chat({"message": "hi"}), 504)
    assert time.monotonic() - started < RASA_TIMEOUT_S + 2


@pytest.mark.parametrize("mode", ["hang up", "fail"])
def test_rasa_hanging_up_or_failing_gets_a_plain_502(page: Page, mode: str) -> None:
    page.mode["now"] = mode
    _assert_plain_apology(page.chat({"message": "hi"}), 502)
    # The browser still gets its conversation id, and the next message goes through.
    page.mode["now"] = "ok"
    assert page.chat({"message": "hi"}).json() == [{"text": "you said hi"}]


# --- slow and idle clients --------------------------------------------------------


def test_a_slow_client_blocks_no_one_and_is_cut_off(page: Page) -> None:
    """One client sends its headers a byte at a time (each byte within the read timeout,
    as slowloris does); others are served meanwhile, and it is cut off at the deadline."""
    dribbler = socket.create_connection(page.address, timeout=5)
    idle = socket.create_connection(page.address, timeout=5)
    request = b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\nX-Padding: " + b"a" * 100

    def dribble() -> None:
        try:
            for byte in request:
                dribbler.send(bytes([byte]))
                time.sleep(READ_TIMEOUT_S / 5)
        except OSError:  # cut off
            pass

    started = time.monotonic()
    sender = threading.Thread(target=dribble, daemon=True)
    sender.start()
    time.sleep(0.1)
    answer = page.chat({"message": "hi"})
    assert answer.status_code == 200
    assert sender.is_alive()  # served while the slow client was still sending
    # The idle client (nothing sent) goes after one read timeout; the dribbler at the deadline,
    # long before it would have finished (its bytes keep coming within the read timeout).
    assert idle.recv(1024) == b""
    dribbler.settimeout(REQUEST_DEADLINE_S + 3)
    assert read_all(dribbler) == b""
    assert REQUEST_DEADLINE_S - 0.1 < time.monotonic() - started < REQUEST_DEADLINE_S + 2
    dribbler.close()
    idle.close()
    sender.join(timeout=5)
    assert page.bodies == [{"sender": page.bodies[0]["sender"], "message": "hi"}]


def test_a_client_that_stops_sending_its_body_is_let_go(page: Page) -> None:
    with socket.create_connection(page.address, timeout=5) as conn:
        conn.sendall(b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"message\"")
        started = time.monotonic()
        conn.settimeout(REQUEST_DEADLINE_S + 2)
        assert read_all(conn) == b""
        assert time.monotonic() - started < REQUEST_DEADLINE_S + 2
    assert page.bodies == []


def test_connections_beyond_the_cap_get_a_quick_503(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection_limits.PageServer, "max_connections", 2)
    small = serve_page(page.url, page.calls, page.mode, rasa_timeout_s=RASA_TIMEOUT_S)
    # Idle long enough to be still connected when the third comes, however busy the machine.
    small.server.RequestHandlerClass.timeout = small.server.RequestHandlerClass.request_deadline_s = 10
    try:
        held = [socket.create_connection(small.address, timeout=5) for _ in range(2)]
        time.sleep(0.1)
        refused = send_raw(small.address, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").decode()
        head, _, body = refused.partition("\r\n\r\n")
        assert head.startswith("HTTP/1.0 503 ")
        assert "X-Content-Type-Options: nosniff" in head
        assert json.loads(body) == {"error": WORDS["page_busy"]}
        for conn in held:
            conn.close()
        time.sleep(0.2)  # their threads end, their places are free again
        assert requests.get(f"{small.url}/health", timeout=5).text == "ok"
    finally:
        stop(small.server)
