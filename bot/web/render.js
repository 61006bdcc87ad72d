// Turns the bot's Rasa messages into deep-chat messages.
//
// Bot text goes to deep-chat as `text` (Markdown with raw HTML switched off),
// so it is always shown as text. Buttons and the eligibility checklist need
// markup: they are built here from escaped strings only.

const VERDICT_LABELS = {
  likely_eligible: "May qualify. Only the study team decides.",
  needs_review: "The study team needs to check a few things.",
  likely_not_eligible: "May not qualify. Only the study team decides.",
};

const STATUS_LABELS = {
  pass: { mark: "\u2713", word: "Met" },
  fail: { mark: "\u2717", word: "Not met" },
  unknown: { mark: "?", word: "To check" },
};

export function escapeHtml(value) {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

// Buttons whose payload is an intent ("/ask_cost") stay useful later; answers to
// one question ("Yes") are retired once the conversation moves on.
export function isIntentPayload(payload) {
  return String(payload).startsWith("/");
}

function choicesHtml(buttons) {
  const items = buttons
    .map((b) => `<button type="button" class="deep-chat-button deep-chat-suggestion-button choice">${escapeHtml(b.title)}</button>`)
    .join("");
  const kind = buttons.every((b) => isIntentPayload(b.payload)) ? "topics" : "answers";
  return `<div class="choices" data-kind="${kind}" role="group" aria-label="Choices">${items}</div>`;
}

export function checklistHtml(result) {
  const verdict = VERDICT_LABELS[result.verdict] ?? "See the message above.";
  const lines = (result.criteria ?? []).map((c) => {
    const status = STATUS_LABELS[c.status] ?? STATUS_LABELS.unknown;
    const name = c.title || c.id;
    return (
      `<li class="criterion ${escapeHtml(c.status)}">` +
      `<span class="mark" aria-hidden="true">${status.mark}</span> ` +
      `<span class="status">${escapeHtml(status.word)}:</span> ` +
      `<strong class="name">${escapeHtml(name)}</strong>` +
      `<span class="reason"> \u2014 ${escapeHtml(c.reason)}</span></li>`
    );
  });
  return (
    `<section class="eligibility-result" aria-label="Pre-screen checklist">` +
    `<p class="verdict"><strong>Pre-screen result:</strong> ${escapeHtml(verdict)}</p>` +
    `<ul class="checklist">${lines.join("")}</ul></section>`
  );
}

// -> {messages, buttons, deleted, plainText}
export function fromRasa(rasaMessages) {
  const messages = [];
  let buttons = [];
  let deleted = false;
  const spoken = [];
  for (const m of Array.isArray(rasaMessages) ? rasaMessages : []) {
    if (typeof m.text === "string" && m.text.trim()) {
      messages.push({ role: "ai", text: m.text });
      spoken.push(m.text);
    }
    if (Array.isArray(m.buttons) && m.buttons.length) {
      buttons = m.buttons
        .filter((b) => b && typeof b.title === "string")
        .map((b) => ({ title: b.title, payload: String(b.payload ?? b.title) }));
      messages.push({ role: "ai", html: choicesHtml(buttons) });
      spoken.push("Choices: " + buttons.map((b) => b.title).join(", "));
    }
    const custom = m.custom;
    if (custom && custom.type === "eligibility_result") {
      messages.push({ role: "ai", html: checklistHtml(custom) });
      spoken.push("The pre-screen checklist is shown.");
    } else if (custom && custom.type === "conversation_deleted") {
      deleted = true;
    }
  }
  return { messages, buttons, deleted, plainText: spoken.join("\n") };
}

// What to send for a typed or clicked text: a choice's payload when the text
// is exactly one of the last choices offered, else the text itself.
export function payloadFor(text, buttons, topics = []) {
  const wanted = String(text ?? "").trim().toLowerCase();
  const same = (b) => b.title.trim().toLowerCase() === wanted;
  const match = (buttons ?? []).find(same) ?? (topics ?? []).find(same);
  return match ? match.payload : String(text ?? "");
}

// Topic buttons seen so far (newest wins), so an older topic button still works.
export function rememberTopics(topics, buttons) {
  const fresh = buttons.filter((b) => isIntentPayload(b.payload));
  const titles = new Set(fresh.map((b) => b.title));
  return [...fresh, ...(topics ?? []).filter((b) => !titles.has(b.title))].slice(0, 60);
}

// Styles inside deep-chat's shadow root (the page's CSS does not reach it).
export const SHADOW_STYLE = `
  .choices { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  .choice { font: inherit; font-size: 1rem; min-height: 44px; padding: 0.45rem 0.9rem;
    border: 2px solid #0b5cab; border-radius: 1.2rem; background: #fff; color: #0b5cab; cursor: pointer; }
  .choice:hover { background: #e8f0fa; }
  .choice:disabled { opacity: 0.45; cursor: default; background: #fff; }
  .choice:focus-visible { outline: 3px solid #0b5cab; outline-offset: 2px; }
  .eligibility-result .verdict { margin: 0 0 0.4rem; }
  .checklist { list-style: none; padding: 0; margin: 0; }
  .checklist li { padding: 0.3rem 0; border-top: 1px solid #e3e7eb; }
  .checklist .mark { display: inline-block; width: 1.2em; font-weight: bold; }
  .checklist .pass .mark { color: #1b6e2d; }
  .checklist .fail .mark { color: #a3161b; }
  .checklist .unknown .mark { color: #7a5a00; }
`;
