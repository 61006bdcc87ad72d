"""The chat page in a real headless chromium, against the real servers.

A person opens the page, asks a question, pre-screens with the buttons,
reloads, and deletes their data. Each test keeps a screenshot in
test-artifacts/ so a reviewer can see what the person saw.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
import requests

from bot.messages import WORDS
from bot.paths import REPO_ROOT
from bot.privacy.pseudonyms import pseudonym_for
from bot.storage.store import ScreeningStore
from tests.e2e.conftest import ARTIFACTS, _wait_for
from tests.ports import free_port

from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium keeps dialling Google on a closed network.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 60_000
# Two busy cores can make a first render slow; a wrong page still fails, just later.
expect.set_options(timeout=30_000)

AI_TEXT = ".ai-message-text"  # every bot bubble: text, buttons or checklist
AI_WORDS = ".ai-message-text.text-message"
USER_TEXT = ".user-message-text"
INPUT = "#text-input"
# deep-chat's "typing" dots: a bot bubble that is there only until the reply arrives.
LOADING = ".deep-chat-loading-message-bubble"


def _page_server(rasa: str, log_name: str, secret: str) -> Iterator[str]:
    port = free_port()
    log = ARTIFACTS / log_name
    # The same pseudonym secret as Rasa's: the relay token to its web channel is made from it.
    proc = subprocess.Popen(
        [sys.executable, "-m", "web.page_server", "--port", str(port), "--rasa", rasa],
        cwd=REPO_ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
        env={**os.environ, "SCREENING_ID_SECRET": secret},
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/health", proc, log, seconds=30)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def page_url(servers: dict) -> Iterator[str]:
    yield from _page_server(servers["rasa"], "e2e-web-server.log", servers["screening_id_secret"])


@pytest.fixture
def page_url_without_rasa() -> Iterator[str]:
    """The page's server, with no Rasa where it looks (as while Rasa restarts)."""
    yield from _page_server(f"http://127.0.0.1:{free_port()}", "e2e-web-server-without-rasa.log",
                            "e2e-secret-0123456789abcdef0123456789abcdef")


# Module scope: sync Playwright runs an asyncio loop while it is open, and later tests
# (Rasa's own code, asyncio.run) need none running.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: 'make chromium' installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, page_url: str) -> Iterator[Page]:
    """A new visitor (empty storage) on a phone-sized screen."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(page_url)
    yield p
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-{name}.png"), full_page=True)


def ai_texts(page: Page) -> list[str]:
    """What the bot said in words, oldest first (buttons and checklists left out)."""
    return page.locator(AI_WORDS).all_inner_texts()


def wait_for_ai_count(page: Page, more_than: int) -> None:
    """Waits until the bot has said something new (its reply arrives in one go)."""
    for _ in range(TIMEOUT_MS // 100):
        count = page.locator(AI_TEXT).count()
        if count > more_than and page.locator(LOADING).count() == 0:
            # A reply of several bubbles renders one by one: wait until it is complete.
            page.wait_for_timeout(400)
            while page.locator(AI_TEXT).count() != count:
                count = page.locator(AI_TEXT).count()
                page.wait_for_timeout(400)
            return
        page.wait_for_timeout(100)
    raise AssertionError("the assistant did not answer")


def type_message(page: Page, text: str) -> None:
    before = page.locator(AI_TEXT).count()
    box = page.locator(INPUT)
    box.click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    wait_for_ai_count(page, before)


def click_choice(page: Page, title: str) -> None:
    """Clicks the newest button with this title, as a person would."""
    before = page.locator(AI_TEXT).count()
    page.locator("button.choice", has_text=re.compile(rf"^\s*{re.escape(title)}\s*$")).last.click()
    wait_for_ai_count(page, before)


def greeted(page: Page) -> None:
    expect(page.locator("button.choice").first).to_be_visible()


def open_notice(page: Page) -> None:
    """The privacy notice, folded on a phone's screen: one button opens it."""
    about = page.get_by_role("button", name="About and privacy")
    if about.get_attribute("aria-expanded") != "true":
        about.click()
    expect(page.locator("#privacy-notice")).to_be_visible()


def test_a_question_gets_its_answer(page: Page) -> None:
    greeted(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#privacy-notice")).to_contain_text("delete my data", ignore_case=True)
    type_message(page, "is it still recruiting?")
    answer = ai_texts(page)[-1].lower()
    assert "not recruiting" in answer or "not enrolling" in answer, answer
    expect(page.locator(USER_TEXT).last).to_have_text("is it still recruiting?")
    shot(page, "question")


def test_the_pages_script_never_holds_the_conversation_id(page: Page) -> None:
    """The server gives the browser its id in an HttpOnly cookie; the page sends only messages."""
    greeted(page)
    type_message(page, "is it still recruiting?")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "trial_chat"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["value"] not in page.evaluate("document.cookie")
    stored = page.evaluate("localStorage.getItem('als-trial-assistant')")
    assert cookie["value"] not in stored and '"sender"' not in stored


def test_topic_button_is_usable_by_keyboard(page: Page) -> None:
    greeted(page)
    first = page.locator("button.choice").first
    title = first.inner_text().strip()
    before = page.locator(AI_TEXT).count()
    first.focus()
    page.keyboard.press("Enter")
    wait_for_ai_count(page, before)
    expect(page.locator(USER_TEXT).last).to_have_text(title)
    assert page.locator("#announcer").inner_text().strip(), "screen readers hear nothing"
    expect(page.get_by_role("textbox", name="Type a question or an answer")).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_visible()


def _answer_by_buttons(page: Page) -> None:
    """A man, 54, weakness for a year, every rule met: buttons wherever there are buttons."""
    typed = {"how old": "54", "weakness first start": "about a year ago"}
    clicks = {
        "before i show the result": "Yes, show the result",
        "before i ask": "Yes, I agree", "who are these questions about": "Me",
        "diagnosed": "Yes", "ruled out": "Yes", "sex at birth": "Male",
        "citizen": "Yes", "travel": "Yes",
        "riluzole": "No", "autoimmune": "No", "another": "No",
        "breathe": "No", "edaravone": "No", "radicava": "No",
        "immun": "No",
    }
    for _ in range(40):
        if page.locator(".eligibility-result").count():
            return
        question = ai_texts(page)[-1].lower()
        typed_answer = next((v for k, v in typed.items() if k in question), None)
        if typed_answer:
            type_message(page, typed_answer)
            continue
        titles = [t.strip() for t in page.locator(".choices").last.locator("button").all_inner_texts()]
        choice = next((v for k, v in clicks.items() if k in question and v in titles), None)
        if choice is None and "Finish" in titles:
            choice = "Finish"
        transcript = "\n".join(page.locator(".message-bubble").all_inner_texts()[-8:])
        assert choice, f"no button to answer: {question!r} {titles}\n{transcript}"
        click_choice(page, choice)
    raise AssertionError("the pre-screen never ended")


def test_prescreen_by_buttons_shows_the_checklist_and_survives_a_reload(
    page: Page, servers: dict
) -> None:
    greeted(page)
    click_choice(page, "Check if I may qualify")
    _answer_by_buttons(page)
    result = page.locator(".eligibility-result").last
    expect(result).to_contain_text("Pre-screen result")
    lines = result.locator("li.criterion")
    assert lines.count() >= 10
    assert result.locator("li.fail").count() == 0
    assert "Met" in lines.first.inner_text()
    assert "Age" in result.inner_text()
    # Answer buttons of earlier questions are switched off; topic buttons stay live.
    assert page.locator(".choices[data-kind=answers] button:disabled").count() >= 20
    assert page.locator(".choices[data-kind=topics] button:enabled").count() >= 3
    shot(page, "prescreen-checklist")

    messages_before = ai_texts(page)
    page.reload()
    expect(page.locator(".eligibility-result")).to_have_count(1)
    assert ai_texts(page) == messages_before
    expect(page.locator(".choices[data-kind=answers] button:disabled").first).to_be_disabled()
    # The same conversation goes on after the reload: the server still knows this person.
    type_message(page, "show my answers")
    assert "54" in " ".join(ai_texts(page)[-3:])
    shot(page, "after-reload")

    # Staff see what this visit stored, through the staff CLI on the same database.
    export = subprocess.run(
        [sys.executable, "-m", "staff.cli", "export", "--db", servers["screening_db_url"], "--out", "-"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "SCREENING_ID_SECRET": servers["screening_id_secret"]},
    )
    assert export.returncode == 0, export.stderr
    rows = [r for r in csv.DictReader(io.StringIO(export.stdout)) if r.get("channel") == "web"]
    assert any(r["verdict"] == "likely_eligible" and r["answer:age"] == "54" for r in rows), export.stdout


def test_delete_my_data_link_forgets_the_conversation(page: Page) -> None:
    greeted(page)
    type_message(page, "what is this study about?")
    before = page.locator(AI_TEXT).count()
    open_notice(page)
    page.get_by_role("button", name="delete my data").click()
    wait_for_ai_count(page, before)
    # The page clears itself once the data is deleted, so the reply is awaited by its words
    # (a count of bubbles would shrink, not grow).
    page.locator("button.choice", has_text=re.compile(r"^\s*Yes, delete\s*$")).last.click()
    expect(page.locator(LOADING)).to_have_count(0)
    expect(page.locator(AI_TEXT).last).to_contain_text("deleted")
    page.wait_for_function(
        "() => !JSON.parse(localStorage.getItem('als-trial-assistant')).messages"
        ".some(m => (m.text || '').includes('about'))"
    )
    page.reload()
    expect(page.locator(USER_TEXT)).to_have_count(0)
    assert not any("study about" in t for t in page.locator(USER_TEXT).all_inner_texts())
    shot(page, "after-delete")


def test_bot_text_is_shown_as_text_never_run_as_html(browser: Browser, page_url: str) -> None:
    """A reply holding markup (as if a message were tampered with) stays inert text."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>Hello'
    reply = [{"recipient_id": "x", "text": hostile,
              "buttons": [{"title": '<b onmouseover="window.__pwned=1">Yes</b>', "payload": "/affirm"}]}]
    page.route("**/api/chat", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(reply)))
    page.goto(page_url)
    expect(page.locator(AI_TEXT).first).to_contain_text("<script>")
    expect(page.locator("button.choice").first).to_have_text('<b onmouseover="window.__pwned=1">Yes</b>')
    page.locator("button.choice").first.hover()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("deep-chat").evaluate("e => e.shadowRoot.querySelectorAll('script, img').length") == 0
    shot(page, "markup-as-text")
    context.close()


def test_the_relay_refuses_bad_requests(page_url: str) -> None:
    chat = page_url + "api/chat"
    for bad in ({"sender": "web-abcdef12"}, {"message": {"text": "hi"}}, {"message": ["hi"]},
                {"message": "hi", "metadata": {"timezone": "UTC"}}):
        answer = requests.post(chat, json=bad, timeout=10)
        assert (answer.status_code, answer.json()) == (400, {"error": WORDS["page_unreadable"]}), bad
    assert requests.post(chat, data="not json", timeout=10,
                         headers={"Content-Type": "application/json"}).status_code == 400
    assert requests.post(chat, data='{"message": "hi"}', timeout=10,
                         headers={"Content-Type": "text/plain"}).status_code == 415
    too_long = requests.post(chat, json={"message": "x" * 20_000}, timeout=10)
    assert (too_long.status_code, too_long.json()) == (413, {"error": WORDS["page_too_long"]})
    assert "frame-ancestors 'none'" in too_long.headers["Content-Security-Policy"]
    missing = requests.get(page_url + "../../etc/passwd", timeout=10)
    assert missing.status_code == 404 and missing.headers["X-Content-Type-Options"] == "nosniff"
    page = requests.get(page_url, timeout=10)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def _latest_user_metadata(servers: dict, cookie: str) -> dict:
    """The metadata of this browser's latest message, as Rasa keeps it in the tracker:
    what an action reads as `tracker.latest_message["metadata"]`."""
    with sqlite3.connect(servers["tracker_db"]) as db:
        (data,) = db.execute(
            "select data from events where sender_id = ? and type_name = 'user' order by id desc limit 1",
            ("web:" + cookie.split(".")[0],)).fetchone()
    # latest_message is the user event's parse_data (Rasa adds its model's ids to the event's own).
    return json.loads(data)["parse_data"].get("metadata") or {}


def test_the_browsers_time_zone_reaches_the_conversation(browser: Browser, page_url: str,
                                                          servers: dict) -> None:
    """A person in Hawaii: their browser's zone goes with each message, so "a month ago"
    counts from their own date, not the server's or the site's."""
    context = browser.new_context(viewport=PHONE, timezone_id="Pacific/Honolulu")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(page_url)
    greeted(page)
    type_message(page, "is it still recruiting?")
    (cookie,) = [c["value"] for c in context.cookies() if c["name"] == "trial_chat"]
    assert _latest_user_metadata(servers, cookie) == {"timezone": "Pacific/Honolulu"}
    context.close()


def test_a_time_zone_that_is_not_one_never_reaches_the_conversation(page_url: str, servers: dict) -> None:
    browser = requests.Session()
    browser.get(page_url, timeout=10)
    for zone in ("Mars/Olympus_Mons", "../../../etc/passwd", "Europe/Paris; drop table events"):
        answer = browser.post(page_url + "api/chat", json={"message": "hello", "timezone": zone}, timeout=60)
        assert answer.status_code == 200 and answer.json()
        assert "timezone" not in _latest_user_metadata(servers, browser.cookies["trial_chat"])


def test_an_unreachable_assistant_gets_a_plain_apology(browser: Browser, page_url_without_rasa: str) -> None:
    """Rasa is down (a restart): the page's server says so in plain words, and the page
    shows them, for the greeting and for a typed message, and keeps no made-up reply."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(page_url_without_rasa)
    chat = page.locator("deep-chat")
    expect(chat.get_by_text(WORDS["page_restarting"]).first).to_be_visible()
    page.locator(INPUT).click()
    page.keyboard.type("hello?")
    page.keyboard.press("Enter")
    expect(chat.get_by_text(WORDS["page_restarting"])).to_have_count(2)
    expect(page.locator("#announcer")).to_have_text(WORDS["page_restarting"])  # screen readers hear it too
    assert "Traceback" not in " ".join(page.locator(".message-bubble").all_inner_texts())
    stored = page.evaluate("localStorage.getItem('als-trial-assistant')") or ""
    assert "I'm here" not in stored and WORDS["page_restarting"] not in stored
    shot(page, "assistant-restarting")
    context.close()


def test_when_the_page_cannot_reach_its_server_it_says_so(browser: Browser, page_url: str) -> None:
    """No answer at all (the network is down): the page's own apology, not the browser's error."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.route("**/api/chat", lambda route: route.abort("connectionrefused"))
    page.goto(page_url)
    chat = page.locator("deep-chat")
    expect(chat.get_by_text("can't reach the assistant").first).to_be_visible()
    page.locator(INPUT).click()
    page.keyboard.type("hello?")
    page.keyboard.press("Enter")
    expect(chat.get_by_text("can't reach the assistant")).to_have_count(2)
    assert "Failed to fetch" not in " ".join(page.locator(".message-bubble").all_inner_texts())
    context.close()


def test_the_browsers_copy_expires_after_24_hours(browser: Browser, page_url: str) -> None:
    """The notice says how long this browser keeps the conversation; a copy older than that
    is not shown, and is removed from storage."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(page_url)
    greeted(page)
    expect(page.locator("#privacy-notice")).to_contain_text("24 hours after your last message")
    type_message(page, "is there a placebo in the study?")
    page.reload()
    expect(page.locator(USER_TEXT)).to_have_count(1)  # kept across a reload within the day
    page.evaluate("""() => {
        const saved = JSON.parse(localStorage.getItem('als-trial-assistant'));
        saved.savedAt = Date.now() - 25 * 3600 * 1000;
        localStorage.setItem('als-trial-assistant', JSON.stringify(saved));
    }""")
    page.reload()
    greeted(page)
    expect(page.locator(USER_TEXT)).to_have_count(0)
    page.wait_for_function("() => !(localStorage.getItem('als-trial-assistant') || '').includes('placebo')")
    context.close()


def test_start_fresh_deletes_the_answers_and_starts_a_new_conversation(page: Page, servers: dict) -> None:
    """Nothing is left behind that the browser could no longer reach: after the person
    confirms, the answers and the conversation are deleted, then the page starts again."""
    greeted(page)
    for message in ("am I eligible?", "yes", "yes"):  # consent, then "diagnosed: yes"
        type_message(page, message)
    (before,) = [c["value"] for c in page.context.cookies() if c["name"] == "trial_chat"]
    conversation = "web:" + before.split(".")[0]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCREENING_ID_SECRET", servers["screening_id_secret"])
        person = pseudonym_for(conversation)
    store = ScreeningStore(servers["screening_db_url"])
    try:
        assert store.current(person, "NCT03268603") is not None
        open_notice(page)
        page.get_by_role("button", name="start fresh").click()
        dialog = page.get_by_role("dialog", name="Start fresh?")
        dialog.get_by_role("button", name="No, keep my chat").click()  # nothing changes
        expect(dialog).to_be_hidden()
        expect(page.locator(USER_TEXT)).to_have_count(3)
        assert store.current(person, "NCT03268603") is not None
        page.get_by_role("button", name="start fresh").click()
        with page.expect_navigation():
            dialog.get_by_role("button", name="Yes, delete and start fresh").click()
        greeted(page)
        expect(page.locator(USER_TEXT)).to_have_count(0)
        assert "eligible" not in (page.evaluate("localStorage.getItem('als-trial-assistant')") or "")
        (after,) = [c["value"] for c in page.context.cookies() if c["name"] == "trial_chat"]
        assert after != before
        assert store.current(person, "NCT03268603") is None
    finally:
        store.close()
    with sqlite3.connect(servers["tracker_db"]) as db:
        assert db.execute("select count(*) from events where sender_id = ?", (conversation,)).fetchone() == (0,)
    shot(page, "after-start-fresh")


def test_a_rest_sender_cannot_reach_a_page_persons_answers(page_url: str, servers: dict) -> None:
    """The page's conversations are the "web" channel: a REST sender equal to a page's id
    (with or without its signature) is another conversation, with no answers."""
    visitor = requests.Session()
    visitor.get(page_url, timeout=10)
    for message in ("am I eligible?", "yes", "yes"):  # consent, then "diagnosed: yes"
        assert visitor.post(page_url + "api/chat", json={"message": message}, timeout=60).ok
    cookie = visitor.cookies["trial_chat"]
    shown = visitor.post(page_url + "api/chat", json={"message": "show my answers"}, timeout=60).json()
    assert "no answers saved" not in json.dumps(shown)
    for sender in (cookie, cookie.split(".")[0], "web:" + cookie.split(".")[0]):
        answer = requests.post(f"{servers['rasa']}/webhooks/rest/webhook", timeout=60,
                               json={"sender": sender, "message": "show my answers"})
        assert "no answers saved" in json.dumps(answer.json()), sender
    # Nor can anyone but the page's server post to the web channel.
    forged = requests.post(f"{servers['rasa']}/webhooks/web/webhook", timeout=60,
                           json={"sender": cookie.split(".")[0], "message": "show my answers"})
    assert forged.status_code == 401 and "Diagnosed" not in forged.text
