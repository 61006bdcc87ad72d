"""The chat page's relay: the server, not the page's script, says whose conversation it is.

The relay (web/page_server.py) runs for real on a free port; Rasa's REST channel is
a small stand-in server that records which sender each message came with.
"""
from __future__ import annotations

import json
from typing import Iterator

import pytest
import requests

from tests.page_helpers import DELETED, Page, page_before_rasa
from web.conversation_ids import COOKIE


@pytest.fixture
def page() -> Iterator[Page]:
    with page_before_rasa() as running:
        yield running


def chat(browser: requests.Session, url: str, body: dict) -> requests.Response:
    return browser.post(f"{url}/api/chat", json=body, timeout=10)


def conversation(browser: requests.Session) -> str:
    """The conversation a browser's cookie names: its id without the server's signature."""
    return browser.cookies[COOKIE].split(".")[0]


def test_the_page_gives_each_browser_a_random_id_scripts_cannot_read(page: Page) -> None:
    url = page.url
    first = requests.get(url + "/", timeout=10)
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    second = requests.get(url + "/", timeout=10)
    assert second.cookies[COOKIE] != first.cookies[COOKIE]
    assert len(first.cookies[COOKIE]) == 32 + 1 + 22  # 24 random bytes, a dot, the signature
    # Only the page itself hands out ids; its scripts and styles do not.
    assert "Set-Cookie" not in requests.get(url + "/render.js", timeout=10).headers


def test_a_browser_keeps_its_conversation_and_never_sees_its_id(page: Page) -> None:
    url = page.url
    browser = requests.Session()
    browser.get(url + "/", timeout=10)
    own_id = conversation(browser)
    replies = [chat(browser, url, {"message": m}).json() for m in ("hi", "am I eligible")]
    assert page.senders == [own_id, own_id]
    assert replies[0] == [{"text": "you said hi"}]  # no recipient_id: that is the id
    assert own_id not in json.dumps(replies)


def test_a_sender_in_the_body_is_not_whose_conversation_it_is(page: Page) -> None:
    url = page.url
    victim, forger = requests.Session(), requests.Session()
    victim.get(url + "/", timeout=10)
    chat(victim, url, {"message": "my answers"})
    forger.get(url + "/", timeout=10)
    for claimed in (victim.cookies[COOKIE], conversation(victim), "twilio:+15551234567", "web-abcdef12"):
        assert chat(forger, url, {"sender": claimed, "message": "show my answers"}).status_code == 200
    assert page.senders == [conversation(victim)] + [conversation(forger)] * 4


def test_without_a_valid_cookie_a_message_starts_a_new_conversation(page: Page) -> None:
    url = page.url
    answer = requests.post(f"{url}/api/chat", json={"message": "hi"}, timeout=10)
    given = answer.cookies[COOKIE]
    assert page.senders == [given.split(".")[0]]
    # A cookie the server did not make (wrong shape) is not used as an id.
    answer = requests.post(f"{url}/api/chat", json={"message": "hi"},
                           cookies={COOKIE: "../../twilio:+1555"}, timeout=10)
    assert page.senders[-1] == answer.cookies[COOKIE].split(".")[0] != "../../twilio:+1555"


def test_after_delete_my_data_the_browser_gets_a_new_id(page: Page) -> None:
    url = page.url
    browser = requests.Session()
    browser.get(url + "/", timeout=10)
    before = conversation(browser)
    reply = chat(browser, url, {"message": "/affirm"}).json()
    assert {"custom": DELETED} in reply
    assert conversation(browser) != before
    chat(browser, url, {"message": "hello"})
    assert page.senders == [before, conversation(browser)]


def test_the_cookie_is_secure_behind_an_https_proxy(page: Page) -> None:
    url = page.url
    cookie = requests.get(url + "/", headers={"X-Forwarded-Proto": "https"}, timeout=10).headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "Secure" not in requests.get(url + "/", timeout=10).headers["Set-Cookie"]


def test_start_fresh_gives_the_browser_a_new_id_and_the_id_lasts_a_day(page: Page) -> None:
    url = page.url
    browser = requests.Session()
    first = browser.get(url + "/", timeout=10)
    assert "Max-Age=86400" in first.headers["Set-Cookie"]  # 24 hours, as the page's notice says
    before = conversation(browser)
    assert browser.post(f"{url}/api/fresh", json={}, timeout=10).status_code == 204
    assert conversation(browser) != before
    chat(browser, url, {"message": "hello"})
    # The old conversation was deleted first, the way "delete my data" deletes it.
    assert page.senders == [before, before, conversation(browser)]
