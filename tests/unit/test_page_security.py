"""The chat page's server against a page on the same site and a client on the same machine:
cross-site posts, made-up ids, header injection through the cookie, one client taking every
connection, and "start fresh" leaving answers behind.

The page's server (web/page_server.py) runs for real on a free port; Rasa's web channel is a
small stand-in that records what reached it.
"""
from __future__ import annotations

import socket
import time
from typing import Iterator

import pytest
import requests

from bot.messages import WORDS
from tests.page_helpers import Page, page_before_rasa, send_raw, serve, stop
from web import connection_limits
from web.conversation_ids import COOKIE
from web.page_server import make_server
from web.rasa_relay import PAGE_WEBHOOK, relay_token


@pytest.fixture
def page() -> Iterator[Page]:
    """The page's server with a browser that has opened the page (so holds its id cookie)."""
    with page_before_rasa() as running:
        yield running.open()


# --- only the page itself may post --------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/chat", "/api/fresh"])
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_a_post_that_is_not_json_is_refused(page: Page, path: str, content_type: str | None) -> None:
    """A page elsewhere can send these without a CORS preflight; the chat page never does."""
    before = page.cookie
    headers = {} if content_type is None else {"Content-Type": content_type}
    answer = page.post(path, data=b'{"message": "/affirm"}', headers=headers)
    assert answer.status_code == 415
    assert page.calls == [] and page.cookie == before


@pytest.mark.parametrize("path", ["/api/chat", "/api/fresh"])
@pytest.mark.parametrize("headers", [
    {"Origin": "http://127.0.0.1:9999"},  # another port of the same site: SameSite lets it send the cookie
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "cross-site"},
])
def test_a_post_from_another_page_is_refused(page: Page, path: str, headers: dict[str, str]) -> None:
    before = page.cookie
    answer = page.post(path, json={"message": "/affirm"}, headers=headers)
    assert answer.status_code == 403 and answer.json() == {"error": WORDS["page_not_this_page"]}
    assert page.calls == [] and page.cookie == before


def test_the_page_itself_may_post(page: Page) -> None:
    headers = {"Origin": f"http://{page.host}", "Sec-Fetch-Site": "same-origin"}
    assert page.post("/api/chat", json={"message": "hi"}, headers=headers).json() == [{"text": "you said hi"}]


# --- ids are issued, never chosen -----------------------------------------------------------


@pytest.mark.parametrize("made_up", [
    "A" * 32, "A" * 32 + "." + "B" * 22, "../../twilio:+1555",
])
def test_an_id_the_server_did_not_issue_is_replaced(page: Page, made_up: str) -> None:
    """Session fixation: two clients sending the same made-up id must not share a conversation."""
    first = requests.post(page.url + "/api/chat", json={"message": "Age: 61"},
                          cookies={COOKIE: made_up}, timeout=10)
    second = requests.post(page.url + "/api/chat", json={"message": "show my answers"},
                           cookies={COOKIE: made_up}, timeout=10)
    senders = page.senders
    assert made_up.split(".")[0] not in senders
    assert senders[0] != senders[1]
    assert first.cookies[COOKIE] != made_up and second.cookies[COOKIE] != made_up


def test_a_tampered_id_is_replaced_and_an_issued_one_kept(page: Page) -> None:
    issued = page.cookie
    page.post("/api/chat", json={"message": "hi"})
    tampered = ("B" if issued[0] != "B" else "C") + issued[1:]
    requests.post(page.url + "/api/chat", json={"message": "hi"}, cookies={COOKIE: tampered}, timeout=10)
    senders = page.senders
    assert senders[0] == issued.split(".")[0] and senders[1] != tampered.split(".")[0]


def test_no_line_break_reaches_set_cookie_through_a_quoted_cookie(page: Page) -> None:
    host, port = page.server.server_address[:2]
    for injected in (f'"{page.cookie}\\012Set-Cookie: evil=1"', f'"{page.cookie}\\012"',
                     f'"{page.cookie}\\015\\012X-Injected: 1"'):
        request = (f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {COOKIE}={injected}\r\n\r\n").encode()
        answer = send_raw((host, port), request)
        head = answer.split(b"\r\n\r\n", 1)[0]
        assert b"evil" not in head and b"X-Injected" not in head
        cookie_lines = [line for line in head.split(b"\r\n") if line.startswith(b"Set-Cookie:")]
        assert len(cookie_lines) == 1 and b"\n" not in cookie_lines[0]


# --- the page's conversations are its own channel -------------------------------------------


def test_messages_go_to_rasas_web_channel_with_the_relay_token(page: Page) -> None:
    page.post("/api/chat", json={"message": "hi"})
    assert page.calls == [{"path": PAGE_WEBHOOK, "authorization": f"Bearer {relay_token()}",
                           "body": {"sender": page.cookie.split(".")[0], "message": "hi"}}]


# --- one client cannot take every connection ------------------------------------------------


def test_one_client_address_cannot_take_every_connection(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection_limits.PageServer, "max_connections_per_client", 2)
    small = make_server("127.0.0.1", 0, page.url)
    small.RequestHandlerClass.timeout = small.RequestHandlerClass.request_deadline_s = 10
    url = serve(small)
    try:
        held = [socket.create_connection(small.server_address[:2], timeout=5) for _ in range(2)]
        time.sleep(0.1)
        with socket.create_connection(small.server_address[:2], timeout=5) as third:
            third.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert third.recv(4096).startswith(b"HTTP/1.0 503 ")
        # Another address of this machine (the loopback range) is another client: served.
        with socket.create_connection(small.server_address[:2], timeout=5,
                                      source_address=("127.0.0.2", 0)) as other:
            other.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert other.recv(4096).startswith(b"HTTP/1.0 200 ")
        for conn in held:
            conn.close()
        time.sleep(0.3)  # their threads end, their places are free again
        assert requests.get(f"{url}/health", timeout=5).text == "ok"
    finally:
        stop(small)


# --- "start fresh" leaves nothing behind ----------------------------------------------------


def test_start_fresh_deletes_the_old_answers_then_gives_a_new_id(page: Page) -> None:
    old = page.cookie
    page.post("/api/chat", json={"message": "I'm 61"})
    assert page.post("/api/fresh", json={}).status_code == 204
    assert [(b["sender"], b["message"]) for b in page.bodies[1:]] == [
        (old.split(".")[0], "/delete_my_data"), (old.split(".")[0], "/affirm")]
    assert page.cookie != old


def test_start_fresh_that_cannot_delete_says_so_and_keeps_the_id(page: Page) -> None:
    old = page.cookie
    page.mode["delete"] = "fails"
    answer = page.post("/api/fresh", json={})
    assert answer.status_code == 503 and answer.json() == {"error": WORDS["page_not_deleted"]}
    assert page.cookie == old  # still this browser's: "delete my data" can still reach it
