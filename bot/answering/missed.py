"""A message the assistant could not place: say it another way, with the menu, or, at the
third miss in a row, the study team's contact route. Before that, every other reading is
tried, in order: a request for a person, the questions inside the message, a passage of the
trial's sources, a medicine named."""
from __future__ import annotations

from bot.answering.from_sources import source_answer
from bot.answering.handoff import ASKED, REPEATED_FAILURE, handoff
from bot.answering.message import Message
from bot.answering.outcome import Outcome
from bot.answering.trial_questions import named_medicines_answer, topic_answers
from bot.messages import WORDS
from bot.prescreen.form_requests import Turn, wants_a_person
from bot.prescreen.state import Reply
from bot.trial import replies
from bot.trial.model import Trial
from bot.understanding import topics

PLEASE_REPHRASE = "utter_please_rephrase"
# How the menu is introduced, by why the message was missed (domain.yml responses).
MISS_INTRO = {
    "out_of_scope": "utter_out_of_scope",
    "nlu_fallback": PLEASE_REPHRASE,
    "gibberish": PLEASE_REPHRASE,
    "other_language": "utter_other_language",
}


def missed_reply(trial: Trial, message: Message, hands_off: bool) -> Outcome:
    """What a missed message gets; `hands_off` when it is the third miss in a row."""
    if wants_a_person(Turn(message.text, message.intent.intent, message.intent.confidence)):
        # NLU missed a request for a person it was not trained on ("can I talk to
        # somebody about this study"); the pre-screen's phrase match still knows it.
        return handoff(trial, ASKED)
    intent = message.intent.intent
    if intent == topics.FALLBACK:
        # Unsure of the whole, but sure of each question in it: answer them.
        answered = topic_answers(trial, message, message.asked_topics())
        if answered is not None:
            return answered
        quoted = source_answer(trial, message)
        if quoted is not None:
            return quoted
    medicines = named_medicines_answer(trial, message)
    if medicines is not None:
        return medicines  # answered, so not a miss
    buttons = replies.menu_buttons(trial)
    if hands_off:
        handed = handoff(trial, REPEATED_FAILURE)
        return Outcome(handed.replies + [Reply(text=WORDS["menu_prompt"], buttons=buttons)],
                       handed.last_topic)
    likely = topics.suggestions(list(message.ranking))
    if intent == topics.FALLBACK and likely:
        return Outcome([Reply(
            text=f"{WORDS['did_you_mean']} {WORDS['sources_dont_say']}",
            buttons=replies.suggestion_buttons(trial, likely),
        )])
    intro = MISS_INTRO.get(intent, MISS_INTRO["nlu_fallback"])
    return Outcome([Reply(response=intro, buttons=buttons)])
