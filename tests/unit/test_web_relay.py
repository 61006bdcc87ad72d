"""The chat page's relay: the server, not the page's script, says whose conversation it is.

The relay (web/page_server.py) runs for real on a free port; Rasa's REST channel is
a small stand-in server that records which sender each message came with.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest
import requests

from web.page_server import COOKIE, make_server

DELETED = {"type": "conversation_deleted"}


class FakeRasa(BaseHTTPRequestHandler):
    senders: list[str] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.senders.append(body["sender"])
        reply = [{"recipient_id": body["sender"], "text": f"you said {body['message']}"}]
        if body["message"] == "/affirm":
            reply.append({"recipient_id": body["sender"], "custom": DELETED})
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def _serve(server: ThreadingHTTPServer) -> str:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


@pytest.fixture
def page() -> Iterator[tuple[str, list[str]]]:
    """(the page's URL, the senders Rasa saw)."""
    senders: list[str] = []
    rasa = ThreadingHTTPServer(("127.0.0.1", 0), type("Rasa", (FakeRasa,), {"senders": senders}))
    relay = make_server("127.0.0.1", 0, _serve(rasa))
    url = _serve(relay)
    yield url, senders
    relay.shutdown()
    rasa.shutdown()
    relay.server_close()
    rasa.server_close()


def chat(browser: requests.Session, url: str, body: dict) -> requests.Response:
    return browser.post(f"{url}/api/chat", json=body, timeout=10)


def conversation(browser: requests.Session) -> str:
    """The conversation a browser's cookie names: its id without the server's signature."""
    return browser.cookies[COOKIE].split(".")[0]


def test_the_page_gives_each_browser_a_random_id_scripts_cannot_read(page: tuple) -> None:
    url, _ = page
    first = requests.get(url + "/", timeout=10)
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    second = requests.get(url + "/", timeout=10)
    assert second.cookies[COOKIE] != first.cookies[COOKIE]
    assert len(first.cookies[COOKIE]) == 32 + 1 + 22  # 24 random bytes, a dot, the signature
    # Only the page itself hands out ids; its scripts and styles do not.
    assert "Set-Cookie" not in requests.get(url + "/render.js", timeout=10).headers


def test_a_browser_keeps_its_conversation_and_never_sees_its_id(page: tuple) -> None:
    url, senders = page
    browser = requests.Session()
    browser.get(url + "/", timeout=10)
    own_id = conversation(browser)
    replies = [chat(browser, url, {"message": m}).json() for m in ("hi", "am I eligible")]
    assert senders == [own_id, own_id]
    assert replies[0] == [{"text": "you said hi"}]  # no recipient_id: that is the id
    assert own_id not in json.dumps(replies)


def test_a_sender_in_the_body_is_not_whose_conversation_it_is(page: tuple) -> None:
    url, senders = page
    victim, forger = requests.Session(), requests.Session()
    victim.get(url + "/", timeout=10)
    chat(victim, url, {"message": "my answers"})
    forger.get(url + "/", timeout=10)
    for claimed in (victim.cookies[COOKIE], conversation(victim), "twilio:+15551234567", "web-abcdef12"):
        assert chat(forger, url, {"sender": claimed, "message": "show my answers"}).status_code == 200
    assert senders == [conversation(victim)] + [conversation(forger)] * 4


def test_without_a_valid_cookie_a_message_starts_a_new_conversation(page: tuple) -> None:
    url, senders = page
    answer = requests.post(f"{url}/api/chat", json={"message": "hi"}, timeout=10)
    given = answer.cookies[COOKIE]
    assert senders == [given.split(".")[0]]
    # A cookie the server did not make (wrong shape) is not used as an id.
    answer = requests.post(f"{url}/api/chat", json={"message": "hi"},
                           cookies={COOKIE: "../../twilio:+1555"}, timeout=10)
    assert senders[-1] == answer.cookies[COOKIE].split(".")[0] != "../../twilio:+1555"


def test_after_delete_my_data_the_browser_gets_a_new_id(page: tuple) -> None:
    url, senders = page
    browser = requests.Session()
    browser.get(url + "/", timeout=10)
    before = conversation(browser)
    reply = chat(browser, url, {"message": "/affirm"}).json()
    assert {"custom": DELETED} in reply
    assert conversation(browser) != before
    chat(browser, url, {"message": "hello"})
    assert senders == [before, conversation(browser)]


def test_the_cookie_is_secure_behind_an_https_proxy(page: tuple) -> None:
    url, _ = page
    cookie = requests.get(url + "/", headers={"X-Forwarded-Proto": "https"}, timeout=10).headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "Secure" not in requests.get(url + "/", timeout=10).headers["Set-Cookie"]


def test_start_fresh_gives_the_browser_a_new_id_and_the_id_lasts_a_day(page: tuple) -> None:
    url, senders = page
    browser = requests.Session()
    first = browser.get(url + "/", timeout=10)
    assert "Max-Age=86400" in first.headers["Set-Cookie"]  # 24 hours, as the page's notice says
    before = conversation(browser)
    assert browser.post(f"{url}/api/fresh", json={}, timeout=10).status_code == 204
    assert conversation(browser) != before
    chat(browser, url, {"message": "hello"})
    # The old conversation was deleted first, the way "delete my data" deletes it.
    assert senders == [before, before, conversation(browser)]
