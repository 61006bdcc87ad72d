// Every sentence the page's scripts show or say, in one place, so they can be read and
// measured together (tests/unit/test_plain_language.py reads this object as JSON: keep it
// plain strings in double quotes). {name} is filled in by the script.
export const TEXTS = {
  "unreachable": "Sorry, I can't reach the assistant right now. Please try again in a minute.",
  "empty_reply": "I'm here. Ask me about the study, or type 'menu'.",
  "input_hint": "Type a question or an answer",
  "send": "Send",
  "choices": "Choices",
  "choices_done": "Choices for a question already answered",
  "choices_spoken": "Choices: {titles}.",
  "checklist_shown": "The pre-screen checklist is shown.",
  "key_yes": "Y for yes",
  "key_no": "N for no",
  "key_not_sure": "? for not sure",
  "keys_letters": "Press {keys}.",
  "keys_digits": "Press a number from 1 to {last} to choose.",
  "keys_letters_digits": "Press {keys}, or a number from 1 to {last}.",
  "keys_one": "Press {key}, or type an answer.",
  "or": "or",
  "fresh_failed": "Sorry, I can't reach the assistant right now, so nothing was deleted. Please try again in a minute.",
  "reading_stopped": "Stopped reading.",
  "verdict_likely_eligible": "May qualify. Only the study team decides.",
  "verdict_needs_review": "The study team needs to check a few things.",
  "verdict_likely_not_eligible": "May not qualify. Only the study team decides.",
  "verdict_other": "See the message above.",
  "result_heading": "Pre-screen result:",
  "checklist_label": "Pre-screen checklist",
  "status_pass": "Met",
  "status_fail": "Not met",
  "status_unknown": "To check"
};

// "{name}" -> values.name
export function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
