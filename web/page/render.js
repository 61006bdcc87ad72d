// Turns the bot's Rasa messages into deep-chat messages.
//
// Bot text goes to deep-chat as `text` (Markdown with raw HTML switched off),
// so it is always shown as text. Buttons and the eligibility checklist need
// markup: they are built here from escaped strings only.
import { TEXTS, fill } from "/texts.js";

const VERDICT_LABELS = {
  likely_eligible: TEXTS.verdict_likely_eligible,
  needs_review: TEXTS.verdict_needs_review,
  likely_not_eligible: TEXTS.verdict_likely_not_eligible,
};

const STATUS_LABELS = {
  pass: { mark: "\u2713", word: TEXTS.status_pass },
  fail: { mark: "\u2717", word: TEXTS.status_fail },
  unknown: { mark: "?", word: TEXTS.status_unknown },
};

// One-key answers: Y, N and ? for the buttons that say yes, no and not sure, and the
// digits 1-9 on any list of two or more. The titles come from the bot (the trial file).
const LETTER_KEYS = [
  { key: "y", title: /^yes\b/i, said: "key_yes" },
  { key: "n", title: /^no\b/i, said: "key_no" },
  { key: "?", title: /^not sure\b/i, said: "key_not_sure" },
];

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
  return `<div class="choices" data-kind="${kind}" role="group" aria-label="${escapeHtml(TEXTS.choices)}">${items}</div>`;
}

// The keys of a list of buttons, in order: [{letter: "y" | null, digit: "1" | null}, ...].
// A list of yes / no / not sure gets letters only, so a typed answer that starts with a
// number ("2 months ago") is never taken for a button; any other list of two or more is
// numbered.
export function keysFor(buttons) {
  const taken = new Set();
  const letters = (buttons ?? []).map((b) => {
    const match = LETTER_KEYS.find((k) => k.title.test(String(b.title).trim()) && !taken.has(k.key));
    if (match) taken.add(match.key);
    return match ? match.key : null;
  });
  const numbered = letters.length >= 2 && letters.some((letter) => letter === null);
  return letters.map((letter, i) => ({ letter, digit: numbered && i < 9 ? String(i + 1) : null }));
}

// Which button a key stands for (an index into buttons), or -1.
export function buttonForKey(key, buttons) {
  const wanted = String(key ?? "").toLowerCase();
  if (wanted.length !== 1) return -1;
  return keysFor(buttons).findIndex((k) => k.letter === wanted || k.digit === wanted);
}

// What the input's hint and the screen reader say about the keys of these buttons ("" for none).
export function keyHint(buttons) {
  const keys = keysFor(buttons);
  const letters = LETTER_KEYS.filter((k) => keys.some((each) => each.letter === k.key)).map((k) => TEXTS[k.said]);
  const last = Math.min(keys.length, 9);
  const numbered = keys.some((k) => k.digit);
  const said = letters.length > 1 ? letters.slice(0, -1).join(", ") + `, ${TEXTS.or} ` + letters.at(-1) : letters[0];
  if (letters.length && numbered) return fill(TEXTS.keys_letters_digits, { keys: said, last });
  if (numbered) return fill(TEXTS.keys_digits, { last });
  if (letters.length > 1) return fill(TEXTS.keys_letters, { keys: said });
  if (letters.length === 1) return fill(TEXTS.keys_one, { key: said });
  return "";
}

export function checklistHtml(result) {
  const verdict = VERDICT_LABELS[result.verdict] ?? TEXTS.verdict_other;
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
    `<section class="eligibility-result" aria-label="${escapeHtml(TEXTS.checklist_label)}">` +
    `<p class="verdict"><strong>${escapeHtml(TEXTS.result_heading)}</strong> ${escapeHtml(verdict)}</p>` +
    `<ul class="checklist">${lines.join("")}</ul></section>`
  );
}

// A menu of topics to pick (three or more intents), not the answer to a question.
function isMenu(buttons) {
  return buttons.length >= 3 && buttons.every((b) => isIntentPayload(b.payload));
}

// -> {messages, buttons (the live group), groups (every group), deleted, plainText}
export function fromRasa(rasaMessages) {
  const messages = [];
  const groups = [];
  let deleted = false;
  const spoken = [];
  for (const m of Array.isArray(rasaMessages) ? rasaMessages : []) {
    if (typeof m.text === "string" && m.text.trim()) {
      messages.push({ role: "ai", text: m.text });
      spoken.push(m.text);
    }
    if (Array.isArray(m.buttons) && m.buttons.length) {
      const group = m.buttons
        .filter((b) => b && typeof b.title === "string")
        .map((b) => ({ title: b.title, payload: String(b.payload ?? b.title) }));
      groups.push(group);
      messages.push({ role: "ai", html: choicesHtml(group) });
      spoken.push(fill(TEXTS.choices_spoken, { titles: group.map((b) => b.title).join(", ") }));
    }
    const custom = m.custom;
    if (custom && custom.type === "eligibility_result") {
      messages.push({ role: "ai", html: checklistHtml(custom) });
      spoken.push(TEXTS.checklist_shown);
    } else if (custom && custom.type === "conversation_deleted") {
      deleted = true;
    }
  }
  // The live buttons: the reply's last question, not the menu of topics that may follow it
  // ("Welcome back... Carry on / Start again", then the topics).
  const buttons = groups.filter((g) => !isMenu(g)).at(-1) ?? groups.at(-1) ?? [];
  return { messages, buttons, groups, deleted, plainText: spoken.join("\n") };
}

// What to send for a typed or clicked text: a choice's payload when the text
// is exactly one of the last choices offered, or that choice's key alone ("y", "?", "2"),
// else the text itself.
export function payloadFor(text, buttons, topics = []) {
  const wanted = String(text ?? "").trim().toLowerCase();
  const byKey = buttonForKey(wanted, buttons);
  if (byKey >= 0) return buttons[byKey].payload;
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

// Styles inside deep-chat's shadow root (the page's CSS does not reach it, but its custom
// properties do: the colours and sizes follow the page's comfort settings, style.css).
// deep-chat puts inline styles on its buttons, hence the !important.
export const SHADOW_STYLE = `
  #messages { background: var(--chat-bg); }
  .choices { display: flex; flex-wrap: wrap; gap: 0.5rem; border-radius: 0.6rem; }
  .choices:focus { outline: none; }
  .choices:focus-visible { outline: var(--focus-ring); outline-offset: 4px; }
  .choice { font: inherit !important; font-size: 1rem !important; min-height: 44px; min-width: 44px;
    padding: 0.45rem 0.9rem !important; border: 2px solid var(--accent) !important;
    border-radius: 1.2rem !important; background: var(--button-bg) !important;
    color: var(--accent) !important; cursor: pointer; display: inline-flex; align-items: center; gap: 0.5rem; }
  .choice:hover { background: var(--button-hover) !important; }
  .choice[data-key]::after { content: attr(data-key) / ""; font-size: 0.8em; font-weight: bold;
    min-width: 1.5em; padding: 0 0.3em; border-radius: 0.3em; text-align: center;
    background: var(--accent); color: var(--button-bg); text-transform: uppercase; }
  .choice:disabled { cursor: default; background: var(--done-bg) !important; color: var(--done-ink) !important;
    border-color: var(--done-border) !important; }
  .choice:focus-visible { outline: var(--focus-ring); outline-offset: 2px; }
  #text-input { min-height: 44px; font-size: 1rem !important; line-height: 1.4; box-sizing: border-box;
    padding-top: 10px !important; padding-bottom: 10px !important; color: var(--ink) !important; }
  #text-input-container { border-color: var(--input-border) !important; border-width: 2px !important; }
  #text-input-container:focus-within { outline: var(--focus-ring); outline-offset: 2px; }
  #text-input:focus { outline: none; }
  [deep-chat-placeholder-text]:empty::before { color: var(--muted) !important; }
  .input-button { min-width: 44px; min-height: 44px; display: flex; align-items: center; justify-content: center; }
  .input-button:focus-visible { outline: var(--focus-ring); outline-offset: 2px; }
  .eligibility-result .verdict { margin: 0 0 0.4rem; }
  .checklist { list-style: none; padding: 0; margin: 0; }
  .checklist li { padding: 0.3rem 0; border-top: 1px solid var(--rule); }
  .checklist .mark { display: inline-block; width: 1.2em; font-weight: bold; }
  .checklist .pass .mark { color: var(--pass); }
  .checklist .fail .mark { color: var(--fail); }
  .checklist .unknown .mark { color: var(--unknown); }
  @media (prefers-reduced-motion: reduce) {
    *, *::before, *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
  }
`;
