"""The chat page for people living with ALS (issue 19), in a real headless chromium against the
real servers: weak hands (keyboard only, one key per answer, 44 px targets), tired eyes (larger
text, high contrast, 320 px and 200% zoom), a tiring voice (read-aloud), slow days (a pause of
any length within the day resumes where the person stopped), and WCAG 2.2 AA measured by
axe-core at every stage a person goes through.
"""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.messages import WORDS
from tests.e2e.accessibility import axe_violations, sideways_overflow, small_targets
from tests.e2e.test_break import TWO_HOURS, age_conversation
from tests.e2e.test_web_page import (  # noqa: F401 (fixtures)
    AI_TEXT, INPUT, LOADING, PHONE, TIMEOUT_MS, USER_TEXT, ai_texts, browser, greeted,
    page, page_url, page_url_without_rasa, shot, type_message, wait_for_ai_count,
)

# A laptop screen at 200% zoom lays the page out in half its CSS pixels.
ZOOMED_LAPTOP = {"width": 640, "height": 360}
NARROW = {"width": 320, "height": 568}

# What a person with ALS answers in the keyboard-only pre-screen: the key for a question with
# buttons, the words for one without. Matched against the question, in this order.
KEYBOARD_ANSWERS = [
    ("before i ask", "y"),  # consent: "Yes, I agree"
    ("who are these questions about", "1"),  # "Me"
    ("diagnosed", "y"), ("ruled out", "y"),
    ("weakness first start", "about a year ago"), ("how old", "54"),
    ("sex at birth", "2"),  # Female / Male
    ("citizen", "y"), ("travel", "y"), ("riluzole", "n"), ("autoimmune", "n"),
    ("another research study", "n"), ("breathe", "1"),  # No / BiPAP... / Not sure: numbered
    ("edaravone", "n"), ("immune system", "n"),
    ("before i show the result", "y"),  # the review: "Yes, show the result"
]


def focused(page: Page) -> str:
    """Where the keyboard is: 'input', 'choices' (the live answer buttons), a button's text,
    or an element id of the page."""
    return page.evaluate("""() => {
        const chat = document.getElementById('chat');
        const inner = document.activeElement === chat ? chat.shadowRoot.activeElement : null;
        if (inner) {
            if (inner.id === 'text-input') return 'input';
            if (inner.classList.contains('choices')) return 'choices';
            return 'button:' + inner.textContent.trim();
        }
        return document.activeElement.id || document.activeElement.tagName.toLowerCase();
    }""")


def wait_for_focus(page: Page, where: str) -> None:
    for _ in range(100):
        if focused(page) == where:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"focus is on {focused(page)!r}, not {where!r}")


def focus_ring_px(page: Page) -> float:
    """The outline drawn around whatever has the keyboard's focus (inside the chat too)."""
    return page.evaluate("""() => {
        let el = document.activeElement;
        while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
        const style = getComputedStyle(el);
        return style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth);
    }""")


def input_hint(page: Page) -> str:
    return page.locator(INPUT).get_attribute("deep-chat-placeholder-text") or ""


def assert_accessible(page: Page, stage: str) -> None:
    """0 WCAG 2.2 A/AA violations and no control under 44 x 44 px, with a screenshot."""
    shot(page, f"a11y-{stage}")
    assert axe_violations(page) == [], stage
    assert small_targets(page) == [], stage


class Keys:
    """The keyboard, counted: every key a person presses."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)

    def answer(self, key_or_words: str) -> None:
        """One key on the buttons, or words and Enter in the text box, then the reply."""
        before = self.page.locator(AI_TEXT).count()
        if len(key_or_words) == 1 or key_or_words == "Enter":
            self.press(key_or_words)
        else:
            self.type(key_or_words)
            self.press("Enter")
        wait_for_ai_count(self.page, before)


def test_a_whole_pre_screen_by_keyboard_alone_one_key_per_button_question(page: Page) -> None:
    """No mouse: from the greeting to the checklist. Every question with buttons takes one key
    (the focus is already on its buttons), every other one its words and Enter in the text box,
    where the focus already is. axe finds nothing at any stage."""
    greeted(page)
    wait_for_focus(page, "input")  # a first visit: ready to type a question
    assert_accessible(page, "greeting")
    keys = Keys(page)
    # "Check if I may qualify" is the last topic button: one step back from the text box.
    for _ in range(3):
        keys.press("Shift+Tab")
        if focused(page) == "button:Check if I may qualify":
            break
    assert focused(page) == "button:Check if I may qualify", focused(page)
    keys.answer("Enter")
    seen_mid_form = seen_review = False
    button_questions = 0
    for _ in range(30):
        if page.locator(".eligibility-result").count():
            break
        said = " ".join(ai_texts(page)[-3:]).lower()
        question = ai_texts(page)[-1].lower()
        answer = next((a for k, a in KEYBOARD_ANSWERS if k in question), None) \
            or next((a for k, a in KEYBOARD_ANSWERS if k.startswith("before") and k in said), None)
        assert answer, f"no answer for {question!r}"
        if len(answer) == 1:
            wait_for_focus(page, "choices")
            assert focus_ring_px(page) >= 3  # visible focus
            hint = input_hint(page)
            assert hint.startswith("Press "), hint
            assert (f"{answer.upper()} for" if answer.isalpha() else "1 to") in hint, (hint, said, page.locator(".choices").last.inner_text())
            label = page.locator(".choices").last.get_attribute("aria-label") or ""
            assert hint in label  # screen readers hear the keys with the buttons
            assert hint in page.locator("#announcer").inner_text()
            button_questions += 1
        else:
            wait_for_focus(page, "input")
        if "ruled out" in question and not seen_mid_form:
            # Mid-form: the previous question's buttons, answered, are still on screen.
            assert page.locator(".choices[data-kind=answers] button:disabled").count() >= 3
            assert_accessible(page, "mid-form")
            seen_mid_form = True
        if "before i show the result" in said:
            assert_accessible(page, "review")
            seen_review = True
        keys.answer(answer)
    result = page.locator(".eligibility-result")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("May qualify")
    assert seen_mid_form and seen_review
    assert_accessible(page, "checklist")
    typed = sum(len(a) + 1 for _, a in KEYBOARD_ANSWERS if len(a) > 1)
    # Shift+Tab and Enter to start, then one key per question with buttons.
    assert button_questions >= 13
    assert keys.count == 2 + button_questions + typed, keys.count
    print(f"\nkeyboard-only pre-screen: {keys.count} keys ({button_questions} questions with buttons, "
          f"one key each; {typed} keys of typed answers)")


def test_the_privacy_notice_its_delete_dialogs_and_the_settings_pass_axe(page: Page) -> None:
    greeted(page)
    type_message(page, "what is this study about?")
    keys = Keys(page)
    about = page.get_by_role("button", name="About and privacy")
    about.focus()
    keys.press("Enter")
    expect(about).to_have_attribute("aria-expanded", "true")
    notice = page.locator("#privacy-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("keeps the chat for 24 hours after your last message")
    expect(notice).to_contain_text("take a break")
    assert_accessible(page, "privacy-notice")

    settings = page.get_by_role("button", name="Settings")
    settings.focus()
    keys.press("Enter")
    expect(page.locator("#settings")).to_be_visible()
    assert_accessible(page, "settings")

    # "Delete my data" asks in the chat, with the answer buttons focused.
    before = page.locator(AI_TEXT).count()
    page.get_by_role("button", name="Delete my data").focus()
    keys.press("Enter")
    wait_for_ai_count(page, before)
    wait_for_focus(page, "choices")
    assert "Yes, delete" in page.locator(".choices").last.inner_text()
    assert_accessible(page, "delete-confirm")
    keys.answer("n")  # "No, keep": nothing is deleted
    assert "kept everything" in ai_texts(page)[-1]

    # "Start fresh" asks in a dialog; its safe answer has the focus, Escape closes it.
    page.get_by_role("button", name="Start fresh").focus()
    keys.press("Enter")
    dialog = page.get_by_role("dialog", name="Start fresh?")
    expect(dialog).to_be_visible()
    assert focused(page) == "fresh-no" and focus_ring_px(page) >= 3
    assert_accessible(page, "start-fresh-dialog")
    keys.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator(USER_TEXT)).to_have_count(3)  # nothing was deleted


def test_the_assistant_is_restarting_error_passes_axe(browser: Browser, page_url_without_rasa: str) -> None:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(page_url_without_rasa)
    expect(page.locator("deep-chat").get_by_text(WORDS["page_restarting"]).first).to_be_visible()
    assert_accessible(page, "assistant-restarting")
    context.close()


@pytest.mark.parametrize("viewport", [NARROW, ZOOMED_LAPTOP], ids=["320px", "200pct-zoom"])
def test_small_and_zoomed_screens_keep_the_conversation_and_its_buttons(
    browser: Browser, page_url: str, viewport: dict
) -> None:
    """1.4.10 reflow: no sideways scrolling; the header folds to one bar, so the chat, the live
    answer buttons and the text box are on screen; the notice is one key away."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(page_url)
    greeted(page)
    for message in ("am I eligible?", "y"):  # consent: the first question
        type_message(page, message)
    live = page.locator(".choices").last
    expect(live).to_contain_text("Not sure")
    expect(page.locator("#privacy-notice")).to_be_hidden()
    header = page.locator("header").bounding_box()
    assert header and header["height"] <= 0.25 * viewport["height"], header
    assert sideways_overflow(page) == 0
    for part in (live, page.locator(INPUT)):
        box = part.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 1, box
    assert page.evaluate("document.documentElement.scrollHeight") <= viewport["height"] + 1
    assert_accessible(page, f"reflow-{viewport['width']}")
    page.get_by_role("button", name="About and privacy").click()
    expect(page.locator("#privacy-notice")).to_be_visible()
    assert sideways_overflow(page) == 0
    context.close()


def test_comfort_settings_last_across_visits_and_follow_the_system(browser: Browser, page_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(page_url)
    greeted(page)
    bubble = page.locator(AI_TEXT).first
    size_before = bubble.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.get_by_role("button", name="Settings").click()
    for name in ("Larger text", "High contrast"):
        toggle = page.get_by_role("button", name=name)
        expect(toggle).to_have_attribute("aria-pressed", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
    page.reload()
    greeted(page)
    root_classes = page.evaluate("document.documentElement.className")
    assert "larger-text" in root_classes and "high-contrast" in root_classes
    assert page.locator(AI_TEXT).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 1.2 * size_before
    # High contrast reaches inside the chat: black text on white bubbles.
    assert page.locator(AI_TEXT).first.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    assert_accessible(page, "high-contrast-larger-text")
    context.close()

    # A system that asks for more contrast gets it without a click; reduced motion stops
    # the "typing" dots.
    context = browser.new_context(viewport=PHONE, contrast="more", reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    waiting = []
    page.route("**/api/chat", lambda route: waiting.append(route))
    page.goto(page_url)
    page.wait_for_function("document.documentElement.classList.contains('high-contrast')")
    while not waiting:
        page.wait_for_timeout(100)
    waiting.pop().fulfill(status=200, content_type="application/json",
                          body=json.dumps([{"text": "Hello.", "buttons": [{"title": "A", "payload": "/a"}]}]))
    greeted(page)
    page.locator(INPUT).click()
    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    dots = page.locator(f"{LOADING} *").first
    expect(dots).to_be_attached()
    animations = page.locator(f"{LOADING} *").evaluate_all("els => els.map(e => getComputedStyle(e).animationName)")
    assert animations and set(animations) == {"none"}, animations
    while not waiting:
        page.wait_for_timeout(100)
    waiting.pop().fulfill(status=200, content_type="application/json", body=json.dumps([{"text": "Hi."}]))
    context.close()


SPEECH_STUB = """
(() => {
    const said = [];
    window.__speech = { said, cancels: 0 };
    const synth = {
        speak: (u) => said.push({ text: u.text, rate: u.rate }),
        cancel: () => { window.__speech.cancels += 1; },
        speaking: false, pending: false, paused: false,
        getVoices: () => [], addEventListener: () => {}, removeEventListener: () => {},
    };
    Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
})();
"""


def test_read_aloud_speaks_each_reply_on_the_device_at_the_chosen_speed(browser: Browser, page_url: str) -> None:
    """The browser's own speech synthesis (stubbed here: a headless browser has no voice)."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    requests_made: list[str] = []
    page.on("request", lambda r: requests_made.append(r.url))
    page.goto(page_url)
    greeted(page)
    assert page.evaluate("window.__speech.said") == []  # off until asked for
    page.get_by_role("button", name="Settings").click()
    page.get_by_role("button", name="Read replies aloud").click()
    expect(page.get_by_role("button", name="Stop reading")).to_be_visible()
    page.get_by_label("Reading speed").select_option(label="Slow")
    type_message(page, "is it still recruiting?")
    said = page.evaluate("window.__speech.said")
    assert len(said) == 1 and said[0]["rate"] == 0.75
    assert ai_texts(page)[-1].split(".")[0] in said[0]["text"]
    cancels = page.evaluate("window.__speech.cancels")
    page.get_by_role("button", name="Stop reading").click()
    assert page.evaluate("window.__speech.cancels") == cancels + 1
    page.keyboard.press("Escape")  # Escape stops it too
    assert page.evaluate("window.__speech.cancels") == cancels + 2
    # Kept across a visit; turned off, nothing more is said.
    page.reload()
    greeted(page)
    page.get_by_role("button", name="Settings").click()
    expect(page.get_by_role("button", name="Read replies aloud")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_label("Reading speed")).to_have_value("0.75")
    page.get_by_role("button", name="Read replies aloud").click()
    type_message(page, "where does it take place?")
    assert page.evaluate("window.__speech.said") == []
    # Nothing about speech left the page: only its own origin was asked for anything.
    assert all(url.startswith(page_url) for url in requests_made), requests_made
    context.close()


def test_a_pause_of_hours_within_the_day_resumes_where_the_person_stopped(page: Page, servers: dict) -> None:
    """2.2.1: no time limit loses work. The notice says how long the chat is kept; two hours
    away (the server's session has ended) the page still shows the question, and two keys
    carry on from it with every answer kept."""
    greeted(page)
    for message in ("am I eligible?", "y", "y"):  # consent, then diagnosed: yes
        type_message(page, message)
    assert "ruled out" in ai_texts(page)[-1]
    (cookie,) = [c["value"] for c in page.context.cookies() if c["name"] == "trial_chat"]
    age_conversation(servers["tracker_db"], "web:" + cookie.split(".")[0], TWO_HOURS)
    page.evaluate(f"""() => {{
        const saved = JSON.parse(localStorage.getItem('als-trial-assistant'));
        saved.savedAt -= {TWO_HOURS * 1000};
        localStorage.setItem('als-trial-assistant', JSON.stringify(saved));
    }}""")
    page.reload()
    expect(page.locator(USER_TEXT)).to_have_count(3)
    assert "ruled out" in ai_texts(page)[-1]
    wait_for_focus(page, "choices")  # back where they stopped, buttons ready
    keys = Keys(page)
    keys.answer("y")
    assert "Welcome back" in " ".join(ai_texts(page)[-2:])
    wait_for_focus(page, "choices")
    keys.answer("1")  # Carry on
    said = "\n".join(ai_texts(page)[-3:])
    assert "ALS diagnosis: Yes" in said and "ruled out" in ai_texts(page)[-1], said
    keys.answer("y")
    assert "weakness" in ai_texts(page)[-1].lower()
    assert keys.count == 3


def test_tab_reaches_every_button_and_typing_on_the_buttons_goes_to_the_text_box(page: Page) -> None:
    """Every visible, enabled control (the header's, the notice's, the settings', the chat's
    buttons, the text box and Send) is reached by Tab alone; and a person whose focus is on
    the answer buttons who starts to type a word types it in the text box."""
    greeted(page)
    type_message(page, "am I eligible?")  # consent: "Yes, I agree" / "No thanks"
    wait_for_focus(page, "choices")
    page.keyboard.type("sure")  # no key of its own: the words go to the text box
    expect(page.locator(INPUT)).to_have_text("sure")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    for name in ("About and privacy", "Settings"):
        toggle = page.get_by_role("button", name=name)
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
    expected = page.evaluate("""() => {
        let next = 0;
        const mark = (root) => {
            for (const el of root.querySelectorAll('button, select, [role=button], [contenteditable=true]')) {
                const box = el.getBoundingClientRect();
                if (!el.disabled && el.getAttribute('aria-disabled') !== 'true' && box.width && box.height
                        && !el.closest('[hidden], dialog:not([open])')) {
                    el.dataset.probe = String(next++);
                }
            }
        };
        mark(document);
        mark(document.getElementById('chat').shadowRoot);
        return next;
    }""")
    page.locator("body").focus()
    reached = set()
    for _ in range(expected + 40):
        page.keyboard.press("Tab")
        probe = page.evaluate("""() => {
            let el = document.activeElement;
            while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
            return el ? el.dataset.probe ?? null : null;
        }""")
        if probe is not None:
            reached.add(int(probe))
    assert expected >= 20 and reached == set(range(expected)), (expected, sorted(set(range(expected)) - reached))
