// Wires deep-chat to the assistant: the conversation kept in this browser's
// localStorage so a reload keeps it, and "delete my data" clearing that copy as
// well as the server's. Whose conversation it is, the server decides: it gives
// this browser an id in an HttpOnly cookie that no script here can read or set,
// and a new one after "delete my data". The page sends only the message and this
// browser's time zone, so "a month ago" means the person's own date.
//
// Built for weak hands and tired days: one key answers a question with buttons (render.js
// keysFor), focus goes where the next action is after each reply, the header folds away on
// small or zoomed screens, and the comfort settings (comfort.js) last across visits.
import "/vendor/deep-chat.js";
import {
  buttonForKey, fromRasa, isIntentPayload, keyHint, keysFor, payloadFor, rememberTopics, SHADOW_STYLE,
} from "/render.js";
import { TEXTS } from "/texts.js";
import { readAloud, setUpComfort, stopReading } from "/comfort.js";

const STORAGE_KEY = "als-trial-assistant";
const CHAT_URL = "/api/chat";
const FRESH_URL = "/api/fresh";
const MAX_STORED_MESSAGES = 400;
// The page's copy of the conversation expires 24 hours after the last message (the privacy
// notice says so); the server forgets this browser's id at the same time (web_server.py).
const MAX_AGE_MS = 24 * 3600 * 1000;
const UNREACHABLE = TEXTS.unreachable;
// What deep-chat shows when a request fails. The page's server says why in plain words (its
// reply's `error`, e.g. "The assistant is restarting..."); that is shown instead when there is one.
const FAILURE_TEXT = { default: UNREACHABLE };
// A screen this narrow or this short (320 px, or a laptop's at 200% zoom) starts with the
// notice folded, so the conversation keeps the screen (style.css has the same sizes).
const COMPACT_SCREEN = "(max-width: 30em), (max-height: 36em)";
// Buttons on the page itself, sent as the intent they stand for.
const PAGE_ACTIONS = { "delete my data": "/delete_my_data" };

function freshState() {
  return { messages: [], buttons: [], topics: [], savedAt: Date.now() };
}

function forgetLocalCopy() {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch (_) {
    /* storage unavailable: nothing kept */
  }
}

function loadState() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    // A copy with a `sender` was made when the page chose its own id: that
    // conversation is not this browser's server-given one, so it is not shown.
    if (saved && !("sender" in saved) && Array.isArray(saved.messages)
        && Date.now() - (saved.savedAt || 0) < MAX_AGE_MS) {
      return {
        messages: saved.messages, buttons: saved.buttons || [], topics: saved.topics || [],
        savedAt: saved.savedAt,
      };
    }
  } catch (_) {
    /* unreadable storage: start afresh */
  }
  forgetLocalCopy(); // an expired or unreadable copy is removed, not only hidden
  return freshState();
}

let state = loadState();

function remember(messages) {
  state.messages.push(...messages);
  save();
}

function save() {
  try {
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    state.savedAt = Date.now();
    localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch (_) {
    /* private mode or full storage: the chat still works, it just won't survive a reload */
  }
}

function offer(reply) {
  state.buttons = reply.buttons;
  for (const group of reply.groups ?? []) state.topics = rememberTopics(state.topics, group);
}

// Answer buttons of earlier questions are switched off, so a stray click cannot
// answer the current question by mistake; the newest group stays live and answers to its
// keys (Y, N, ?, 1-9), which the input's hint and the group's label say.
let groupsBeforeReply = 0; // how many button groups there were when the person last sent
let focusPending = false; // move focus once the reply is on screen
// deep-chat may re-create its input or bubbles just after a reply (while it starts, above all):
// for this long, focus lost to nothing is put back.
const FOCUS_SETTLE_MS = 2000;
let focusHoldUntil = 0;

function expectReply() {
  focusPending = true;
  focusHoldUntil = Date.now() + FOCUS_SETTLE_MS;
}

function focusLost(chat) {
  const active = document.activeElement;
  return !active || active === document.body || (active === chat && !chat.shadowRoot?.activeElement);
}

function choiceGroups(chat) {
  return [...(chat.shadowRoot?.querySelectorAll(".choices") ?? [])];
}

// The newest reply's group of the live buttons, once it is on screen; else null.
function liveGroup(chat) {
  if (!state.buttons.length) return null;
  const wanted = state.buttons.map((b) => b.title.trim()).join("\n");
  const fresh = choiceGroups(chat).slice(groupsBeforeReply);
  const titles = (group) => [...group.querySelectorAll("button")].map((b) => b.textContent.trim()).join("\n");
  return fresh.reverse().find((group) => titles(group) === wanted) ?? null;
}

function inputOf(chat) {
  return chat.shadowRoot?.getElementById("text-input") ?? null;
}

function refreshChoices(chat) {
  const live = liveGroup(chat);
  for (const group of choiceGroups(chat)) {
    const buttons = [...group.querySelectorAll("button")];
    if (group === live) continue;
    group.removeAttribute("tabindex");
    for (const button of buttons) {
      delete button.dataset.key;
      button.removeAttribute("aria-keyshortcuts");
    }
    if (group.dataset.kind === "answers") {
      group.setAttribute("aria-label", TEXTS.choices_done);
      for (const button of buttons) button.disabled = true;
    }
  }
  const hint = live ? keyHint(state.buttons) : "";
  if (live) {
    const keys = keysFor(state.buttons);
    [...live.querySelectorAll("button")].forEach((button, i) => {
      const own = [keys[i]?.letter, keys[i]?.digit].filter(Boolean).map((k) => k.toUpperCase());
      if (own.length) {
        button.dataset.key = own.at(-1); // the number on a numbered list, else the letter
        button.setAttribute("aria-keyshortcuts", own.join(" "));
      }
    });
    live.tabIndex = -1; // focus can be put on the group itself (moveFocus)
    live.setAttribute("aria-label", hint ? `${TEXTS.choices}. ${hint}` : TEXTS.choices);
  }
  const input = inputOf(chat);
  if (input) {
    const said = hint || TEXTS.input_hint;
    if (input.getAttribute("deep-chat-placeholder-text") !== said) input.setAttribute("deep-chat-placeholder-text", said);
    const name = hint ? `${TEXTS.input_hint}. ${hint}` : TEXTS.input_hint;
    if (input.getAttribute("aria-label") !== name) input.setAttribute("aria-label", name);
  }
  if (focusPending || (Date.now() < focusHoldUntil && focusLost(chat))) moveFocus(chat, live);
}

// After a reply, focus goes where the next action is: to the buttons when they are the
// answer (answers to a question, or a choice of two such as "Carry on" / "Start again":
// their keys answer, and Enter presses nothing by mistake), to a lone offer ("Carry on"),
// else (a menu of topics, a question to type) to the text box. Never while the person has
// started typing.
function moveFocus(chat, live) {
  const input = inputOf(chat);
  const typing = input && input.textContent.trim();
  const count = state.buttons.length;
  const answers = count === 2 || (count >= 2 && state.buttons.some((b) => !isIntentPayload(b.payload)));
  const offer = count === 1 && isIntentPayload(state.buttons[0].payload);
  if (typing) {
    focusPending = false;
    return;
  }
  if ((answers || offer) && !live) return; // not on screen yet: the next render does it
  const target = answers ? live : offer ? live.querySelector("button") : inputOf(chat);
  if (!target) return;
  if (target === inputOf(chat)) chat.focusInput();
  else target.focus();
  (live ?? target).scrollIntoView?.({ block: "nearest" }); // the input's hint may have grown
  // deep-chat may re-create its input while it renders: until the focus holds, the next
  // render tries again (a click or a key of the person's own ends that: onPersonActs).
  if (chat.shadowRoot?.activeElement === target) focusPending = false;
}

function onPersonActs() {
  focusPending = false;
  focusHoldUntil = 0;
}

function announce(text) {
  const announcer = document.getElementById("announcer");
  if (announcer && text) announcer.textContent = text;
}

// What screen readers hear and read-aloud says of a reply: its words, then its keys.
function sayReply(reply) {
  const hint = reply.buttons.length ? keyHint(reply.buttons) : "";
  const text = hint ? `${reply.plainText}\n${hint}` : reply.plainText;
  announce(text);
  readAloud(text);
}

// {timezone: "America/Chicago"}, or {} when the browser does not say.
function browserZone() {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return typeof zone === "string" && zone ? { timezone: zone } : {};
  } catch (_) {
    return {};
  }
}

function chatRequest(message) {
  return { message, ...browserZone() };
}

// A failed request, with the sentence to show the person.
class ChatFailure extends Error {}

// The server's sentence for a failed request, if its reply has one.
function failureText(reply) {
  const text = reply && !Array.isArray(reply) ? reply.error : undefined;
  return typeof text === "string" && text.trim() && text.length <= 300 ? text : UNREACHABLE;
}

async function send(message) {
  const response = await fetch(CHAT_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(chatRequest(message)),
  });
  if (!response.ok) {
    const reply = await response.json().catch(() => null);
    throw new ChatFailure(failureText(reply));
  }
  return response.json();
}

// After "delete my data" (the server has already given this browser a new id):
// only the confirmation is kept.
function forgetThisBrowser(chat, confirmation) {
  forgetLocalCopy();
  state = freshState();
  remember(confirmation);
  setTimeout(() => {
    chat.clearMessages();
    for (const m of confirmation) chat.addMessage(m);
  }, 50);
}

// The header's two panels: "About and privacy" (open, except on a compact screen) and
// "Settings" (closed).
function setUpHeader() {
  const panels = [["about-toggle", "privacy-notice"], ["settings-toggle", "settings"]];
  const compact = window.matchMedia?.(COMPACT_SCREEN).matches ?? false;
  for (const [toggleId, panelId] of panels) {
    const toggle = document.getElementById(toggleId);
    const panel = document.getElementById(panelId);
    if (!toggle || !panel) continue;
    const open = (shown) => {
      panel.hidden = !shown;
      toggle.setAttribute("aria-expanded", String(shown));
    };
    open(panelId === "privacy-notice" ? !compact : false);
    toggle.addEventListener("click", () => open(panel.hidden));
  }
}

// "Start fresh" asks first, in a dialog whose safe answer has the focus. Once the person
// confirms, the server deletes this conversation's answers and history (as "delete my data"
// does) and gives a new id; then this browser forgets its copy. If the server could not
// delete them, nothing changes and the dialog says so.
function setUpStartFresh() {
  const dialog = document.getElementById("fresh-dialog");
  const error = document.getElementById("fresh-error");
  document.getElementById("start-fresh").addEventListener("click", () => {
    error.textContent = "";
    dialog.showModal();
  });
  document.getElementById("fresh-no").addEventListener("click", () => dialog.close());
  document.getElementById("fresh-yes").addEventListener("click", async () => {
    let failure = null;
    try {
      const response = await fetch(FRESH_URL, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: "{}",
      });
      if (!response.ok) failure = failureText(await response.json().catch(() => null));
    } catch {
      failure = TEXTS.fresh_failed;
    }
    if (failure) {
      error.textContent = failure; // role=alert: screen readers hear it
      return;
    }
    forgetLocalCopy();
    window.location.reload();
  });
}

// One key answers the live question: Y, N, ? or a number, when the focus is on the chat's
// buttons (or on nothing), never while typing in the text box or in a dialog. Any other
// letter typed there goes to the text box. Escape stops reading aloud.
function setUpKeys(chat) {
  document.addEventListener("pointerdown", onPersonActs, true);
  document.addEventListener("keydown", (event) => {
    onPersonActs();
    if (event.key === "Escape") stopReading();
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (document.querySelector("dialog[open]")) return;
    const path = event.composedPath();
    const target = path[0];
    const inChat = path.includes(chat);
    if (target === inputOf(chat) || !(inChat || target === document.body)) return;
    const live = liveGroup(chat);
    const index = live ? buttonForKey(event.key, state.buttons) : -1;
    const button = index >= 0 ? live.querySelectorAll("button")[index] : null;
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    } else if (inChat && event.key.length === 1 && event.key !== " ") {
      chat.focusInput(); // the key itself then types into the box
    }
  }, true);
}

setUpComfort();
setUpHeader();
setUpStartFresh();

customElements.whenDefined("deep-chat").then(() => {
  const chat = document.getElementById("chat");
  setUpKeys(chat);
  chat.auxiliaryStyle = SHADOW_STYLE;
  chat.remarkable = { html: false, breaks: true, linkTarget: "_blank" };
  chat.textInput = {
    characterLimit: 600,
    placeholder: { text: TEXTS.input_hint },
  };
  // deep-chat reads these overrides when it shows a failure, so the interceptors below can
  // set the text; the service's own error messages are never shown as they are.
  chat.errorMessages = { displayServiceErrorMessages: false, overrides: FAILURE_TEXT };
  chat.onError = (text) => announce(text); // screen readers hear a failure too
  // Colours are the page's custom properties (style.css), so the comfort settings reach them.
  chat.messageStyles = {
    default: {
      shared: { bubble: { maxWidth: "92%", fontSize: "1rem", lineHeight: "1.45" } },
      ai: { bubble: { backgroundColor: "var(--ai-bubble)", color: "var(--ink)", border: "1px solid var(--rule)" } },
      user: { bubble: { backgroundColor: "var(--user-bubble)", color: "var(--user-ink)" } },
    },
  };
  // A font of our own keeps deep-chat from fetching one from Google (the CSP would block it anyway).
  chat.chatStyle = {
    width: "100%", height: "100%", border: "1px solid var(--rule)", borderRadius: "8px",
    backgroundColor: "var(--chat-bg)",
    fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  };
  if (state.messages.length) {
    chat.history = state.messages;
    expectReply(); // back after a break: where the person stopped
  }

  chat.requestInterceptor = (details) => {
    const typed = details.body?.messages?.at(-1)?.text ?? "";
    const pageAction = PAGE_ACTIONS[typed.trim().toLowerCase()];
    details.body = chatRequest(pageAction ?? payloadFor(typed, state.buttons, state.topics));
    FAILURE_TEXT.default = UNREACHABLE; // until the server says otherwise
    remember([{ role: "user", text: typed }]);
    groupsBeforeReply = choiceGroups(chat).length;
    return details;
  };

  chat.responseInterceptor = (response) => {
    if (!Array.isArray(response)) {
      // A failed request (deep-chat shows it as an error): nothing to show or keep, only
      // the server's reason for the person.
      FAILURE_TEXT.default = failureText(response);
      return response;
    }
    const reply = fromRasa(response);
    const messages = reply.messages.length ? reply.messages : [{ role: "ai", text: TEXTS.empty_reply }];
    sayReply(reply.messages.length ? reply : { ...reply, plainText: TEXTS.empty_reply });
    expectReply();
    if (reply.deleted) {
      groupsBeforeReply = 0;
      offer({ buttons: [], groups: [] });
      forgetThisBrowser(chat, messages);
      return messages;
    }
    offer(reply);
    remember(messages);
    return messages;
  };

  document.getElementById("delete-my-data").addEventListener("click", () => {
    chat.submitUserMessage({ text: "Delete my data" }); // it asks to confirm, in the chat
  });

  // deep-chat re-creates its parts as it renders: its icon-only send button is named for
  // screen readers, and the buttons' keys and the focus are set, whenever it does.
  let queued = false;
  const afterRender = () => {
    queued = false;
    for (const button of chat.shadowRoot?.querySelectorAll(".input-button:not([aria-label])") ?? []) {
      button.setAttribute("aria-label", TEXTS.send);
    }
    refreshChoices(chat);
  };
  if (chat.shadowRoot) {
    new MutationObserver(() => {
      if (!queued) {
        queued = true;
        requestAnimationFrame(afterRender);
      }
    }).observe(chat.shadowRoot, { childList: true, subtree: true });
  }
  afterRender();

  if (!state.messages.length) {
    // A first visit: the assistant greets and offers its topics as buttons. Set as
    // history, not added: deep-chat re-renders while it starts and drops added messages.
    send("/greet")
      .then((messages) => {
        const reply = fromRasa(messages);
        offer(reply);
        remember(reply.messages);
        chat.history = [...reply.messages];
        sayReply(reply);
        expectReply();
      })
      .catch((error) => {
        // Not a network error's own words ("Failed to fetch"): only the server's sentence.
        chat.history = [{ role: "ai", text: error instanceof ChatFailure ? error.message : UNREACHABLE }];
      });
  }
});
