// Wires deep-chat to the assistant: the conversation kept in this browser's
// localStorage so a reload keeps it, and "delete my data" clearing that copy as
// well as the server's. Whose conversation it is, the server decides: it gives
// this browser an id in an HttpOnly cookie that no script here can read or set,
// and a new one after "delete my data". The page sends only the message and this
// browser's time zone, so "a month ago" means the person's own date.
import "/vendor/deep-chat.js";
import { fromRasa, payloadFor, rememberTopics, SHADOW_STYLE } from "/render.js";

const STORAGE_KEY = "als-trial-assistant";
const CHAT_URL = "/api/chat";
const FRESH_URL = "/api/fresh";
const MAX_STORED_MESSAGES = 400;
// The page's copy of the conversation expires 24 hours after the last message (the privacy
// notice says so); the server forgets this browser's id at the same time (web_server.py).
const MAX_AGE_MS = 24 * 3600 * 1000;
const UNREACHABLE = "Sorry, I can't reach the assistant right now. Please try again in a minute.";
// What deep-chat shows when a request fails. The page's server says why in plain words (its
// reply's `error`, e.g. "The assistant is restarting..."); that is shown instead when there is one.
const FAILURE_TEXT = { default: UNREACHABLE };
const START_FRESH_QUESTION =
  "Start fresh? This deletes your answers and this conversation, in this browser and on our side. It cannot be undone.";
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

function offer(buttons) {
  state.buttons = buttons;
  state.topics = rememberTopics(state.topics, buttons);
}

// Answer buttons of earlier questions are switched off, so a stray click cannot
// answer the current question by mistake; the newest group stays live.
function retireOldAnswerButtons(chat) {
  setTimeout(() => {
    const groups = [...(chat.shadowRoot?.querySelectorAll(".choices") ?? [])];
    const live = state.buttons.length ? groups.at(-1) : null;
    for (const group of groups) {
      if (group === live || group.dataset.kind !== "answers") continue;
      for (const button of group.querySelectorAll("button")) button.disabled = true;
    }
  }, 100);
}

function announce(text) {
  const announcer = document.getElementById("announcer");
  if (announcer && text) announcer.textContent = text;
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

customElements.whenDefined("deep-chat").then(() => {
  const chat = document.getElementById("chat");
  chat.auxiliaryStyle = SHADOW_STYLE;
  chat.remarkable = { html: false, breaks: true, linkTarget: "_blank" };
  chat.textInput = {
    characterLimit: 600,
    placeholder: { text: "Type a question or an answer" },
  };
  // deep-chat reads these overrides when it shows a failure, so the interceptors below can
  // set the text; the service's own error messages are never shown as they are.
  chat.errorMessages = { displayServiceErrorMessages: false, overrides: FAILURE_TEXT };
  chat.onError = (text) => announce(text); // screen readers hear a failure too
  chat.messageStyles = { default: { shared: { bubble: { maxWidth: "92%", fontSize: "1rem" } } } };
  // A font of our own keeps deep-chat from fetching one from Google (the CSP would block it anyway).
  chat.chatStyle = {
    width: "100%", height: "100%", border: "1px solid #d7dde3", borderRadius: "8px",
    fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  };
  if (state.messages.length) {
    chat.history = state.messages;
    retireOldAnswerButtons(chat);
  }

  chat.requestInterceptor = (details) => {
    const typed = details.body?.messages?.at(-1)?.text ?? "";
    const pageAction = PAGE_ACTIONS[typed.trim().toLowerCase()];
    details.body = chatRequest(pageAction ?? payloadFor(typed, state.buttons, state.topics));
    FAILURE_TEXT.default = UNREACHABLE; // until the server says otherwise
    remember([{ role: "user", text: typed }]);
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
    const messages = reply.messages.length
      ? reply.messages
      : [{ role: "ai", text: "I'm here. Ask me about the study, or type 'menu'." }];
    announce(reply.plainText);
    if (reply.deleted) {
      forgetThisBrowser(chat, messages);
      return messages;
    }
    offer(reply.buttons);
    remember(messages);
    retireOldAnswerButtons(chat);
    return messages;
  };

  // "Start fresh": once the person confirms, the server deletes this conversation's answers
  // and history (as "delete my data" does) and gives a new id; then this browser forgets its
  // copy. If the server could not delete them, nothing changes and the person is told.
  document.getElementById("start-fresh").addEventListener("click", async () => {
    if (!window.confirm(START_FRESH_QUESTION)) return;
    let failure = null;
    try {
      const response = await fetch(FRESH_URL, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: "{}",
      });
      if (!response.ok) failure = failureText(await response.json().catch(() => null));
    } catch {
      failure = UNREACHABLE;
    }
    if (failure) {
      announce(failure);
      window.alert(failure);
      return;
    }
    forgetLocalCopy();
    window.location.reload();
  });

  document.getElementById("delete-my-data").addEventListener("click", () => {
    chat.submitUserMessage({ text: "Delete my data" });
    chat.focusInput();
  });

  // deep-chat's send button is an icon and is re-created on every re-render:
  // name it for screen readers whenever it appears.
  const nameSendButton = () => {
    for (const button of chat.shadowRoot?.querySelectorAll(".input-button:not([aria-label])") ?? []) {
      button.setAttribute("aria-label", "Send");
    }
  };
  if (chat.shadowRoot) {
    new MutationObserver(nameSendButton).observe(chat.shadowRoot, { childList: true, subtree: true });
  }
  nameSendButton();

  if (!state.messages.length) {
    // A first visit: the assistant greets and offers its topics as buttons. Set as
    // history, not added: deep-chat re-renders while it starts and drops added messages.
    send("/greet")
      .then((messages) => {
        const reply = fromRasa(messages);
        offer(reply.buttons);
        remember(reply.messages);
        chat.history = [...reply.messages];
        announce(reply.plainText);
      })
      .catch((error) => {
        // Not a network error's own words ("Failed to fetch"): only the server's sentence.
        chat.history = [{ role: "ai", text: error instanceof ChatFailure ? error.message : UNREACHABLE }];
      });
  }
});
