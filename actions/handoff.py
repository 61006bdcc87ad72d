"""Pointing a person to the study team: when they ask for a person, and when we keep missing them.

Thin adapters over bot.trial.replies (what is said, from the trial file) and bot.storage.store (the request
staff see with `python -m staff handoffs`). Nothing here keeps what the person typed.
"""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import MENU_PROMPT, answer_named_medicines, answer_questions, asked_intents
from actions.after_result import reopened
from actions.emergency import emergency_first, latest_turn
from actions.prescreen import PRESCREEN_SLOT, record_handoff
from bot.messages import WORDS
from bot.trial import replies
from bot.prescreen import screening
from bot.understanding import topics
from bot.trial.passages import passage_of
from bot.trial.model import Trial, load_trial

NOT_UNDERSTOOD = "action_not_understood"
EMERGENCY = "action_emergency"
# How the menu is introduced, by why the message was missed.
MISS_INTRO = {
    "out_of_scope": "utter_out_of_scope",
    "nlu_fallback": "utter_please_rephrase",
    "gibberish": "utter_please_rephrase",
    "other_language": "utter_other_language",
}
DID_YOU_MEAN = WORDS["did_you_mean"]
# When nothing in the trial's sources came close either: say so, and who can answer.
SOURCES_DONT_SAY = WORDS["sources_dont_say"]
# Rasa runs this one when no policy is sure what to do; ours replaces its silent default.
DEFAULT_FALLBACK = "action_default_fallback"
# Two "I didn't understand" in a row; a third miss points to the study team instead.
MISSES_BEFORE_HANDOFF = screening.MISSES_BEFORE_HANDOFF
PRESCREEN_FORM = "prescreen_form"


def misses_before_this_message(tracker: Tracker) -> int:
    """How many messages in a row, just before the latest one, the assistant did not understand.

    Rasa sends every event of the conversation (reverted ones too), so a message counts as
    missed when the first action that answered it was one of ours for "not understood".
    Counting stops at a message that was understood, or at the start of the session.
    """
    answered_by: list[Optional[str]] = []  # per message, the first action that answered it
    got_an_answer: list[bool] = []  # per message, whether a trial answer was given after all
    for event in tracker.events:
        kind = event.get("event")
        if kind == "session_started":
            answered_by, got_an_answer = [], []
        elif kind == "user":
            answered_by.append(None)
            got_an_answer.append(False)
        elif kind == "action" and answered_by and answered_by[-1] is None:
            if event.get("name") not in (None, "action_listen"):
                answered_by[-1] = event["name"]
        elif kind == "bot" and got_an_answer:
            custom = ((event.get("data") or {}).get("custom") or {})
            got_an_answer[-1] = got_an_answer[-1] or custom.get("type") == "answer"
    misses = 0
    # The last message is the one being answered now.
    for action, answered in reversed(list(zip(answered_by, got_an_answer))[:-1]):
        if action not in (NOT_UNDERSTOOD, DEFAULT_FALLBACK) or answered:
            break
        misses += 1
    return misses


def hand_off_now(misses_before: int) -> bool:
    """After two misses in a row the third is a hand-off; then the count starts again."""
    return misses_before % (MISSES_BEFORE_HANDOFF + 1) == MISSES_BEFORE_HANDOFF


def prescreen_in_progress(tracker: Tracker) -> bool:
    """The form is open, or a pre-screen was left unfinished in this conversation."""
    if tracker.active_loop_name == PRESCREEN_FORM:
        return True
    raw = tracker.get_slot(PRESCREEN_SLOT)
    return bool(raw) and not screening.State.from_dict(raw).finished


def hand_off(
    dispatcher: CollectingDispatcher, tracker: Tracker, trial: Trial, reason: str
) -> list[EventType]:
    """Says how to reach the study team and records the request for staff."""
    answer = replies.handoff_answer(trial, reason)
    dispatcher.utter_message(text=answer.text, json_message=answer.payload())
    record_handoff(tracker, reason, during_prescreen=prescreen_in_progress(tracker))
    # "Where does that come from?" then cites the contact route's sources.
    return [SlotSet("last_topic", answer.topic)]


class ActionHandoff(Action):
    """The person asked for a person: the study team's contact route, recorded for staff."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if emergency_first(dispatcher, tracker):
            return []
        return hand_off(dispatcher, tracker, load_trial(), "asked")


class ActionNotUnderstood(Action):
    """Asks to rephrase and shows the menu; on the third miss in a row, hands off instead.

    A miss is a message NLU could not place, one off this trial's topic, or one in another
    language: to someone typing it, each is the assistant not helping, so all three count.
    """

    def name(self) -> str:
        return NOT_UNDERSTOOD

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if emergency_first(dispatcher, tracker):
            return []
        reopening = reopened(dispatcher, tracker)
        if reopening is not None:
            return reopening
        trial = load_trial()
        if screening.wants_a_person(latest_turn(tracker)):
            # NLU missed a request for a person it was not trained on ("can I talk to
            # somebody about this study"); the pre-screen's phrase match still knows it.
            return hand_off(dispatcher, tracker, trial, "asked")
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        if intent == topics.FALLBACK:
            # Unsure of the whole, but sure of each question in it: answer them.
            answered = answer_questions(dispatcher, tracker, asked_intents(tracker))
            if answered is not None:
                return answered
            from_sources = answer_from_sources(dispatcher, tracker, trial)
            if from_sources is not None:
                return from_sources
        if answer_named_medicines(dispatcher, tracker):
            return [SlotSet("last_topic", "medications")]  # answered, so not a miss
        buttons = replies.menu_buttons(trial)
        if not hand_off_now(misses_before_this_message(tracker)):
            likely = topics.suggestions(
                topics.guesses(tracker.latest_message.get("intent_ranking") or [])
            )
            if intent == topics.FALLBACK and likely:
                dispatcher.utter_message(
                    text=f"{DID_YOU_MEAN} {SOURCES_DONT_SAY}",
                    buttons=replies.suggestion_buttons(trial, likely),
                )
                return []
            intro = MISS_INTRO.get(intent, MISS_INTRO["nlu_fallback"])
            dispatcher.utter_message(response=intro, buttons=buttons)
            return []
        events = hand_off(dispatcher, tracker, trial, "repeated_failure")
        dispatcher.utter_message(text=MENU_PROMPT, buttons=buttons)
        return events


def answer_from_sources(
    dispatcher: CollectingDispatcher, tracker: Tracker, trial: Trial
) -> Optional[list[EventType]]:
    """A passage of the trial file that answers what NLU could not place, quoted with its
    source, then the likely topics; None when no passage is close enough (bot.understanding.topics)."""
    message = tracker.latest_message
    found = topics.from_sources(
        topics.guesses([message.get("intent") or {}])[0],
        topics.guesses(message.get(topics.QUESTIONS) or []),
        topics.guesses(message.get(topics.PASSAGES) or []),
    )
    if found is None:
        return None
    ids = [p.get("passage") for p in message.get(topics.PASSAGES) or []
           if p.get("intent") == found.intent]
    topic_id = replies.topic_for_intent(found.intent) or ""
    passage = passage_of(trial, str(ids[0])) if ids else None
    if passage is None or trial.topic(topic_id) is None:
        return None
    answer = replies.passage_answer(trial, topic_id, passage.quote, passage.sources)
    likely = [found.intent] + [
        i for i in topics.suggestions(
            topics.guesses(message.get("intent_ranking") or [])
        ) if i != found.intent
    ]
    dispatcher.utter_message(
        text=answer.text, json_message=answer.payload(),
        buttons=replies.suggestion_buttons(trial, likely[: topics.MOST_SUGGESTIONS]),
    )
    return [SlotSet("last_topic", topic_id)]


class ActionEmergency(ActionNotUnderstood):
    """What NLU took for an emergency: the guidance, unless the words say otherwise.

    NLU hears "breathing" in "no breathing machine" too; the pre-screen's reading of
    the words (bot.prescreen.screening.is_emergency) decides, and a message that is no emergency
    gets the menu like any message the assistant could not place.
    """

    def name(self) -> str:
        return EMERGENCY


class ActionDefaultFallback(ActionNotUnderstood):
    """Rasa's fallback when no policy is sure of the next action: as "not understood".

    The message is then taken back (as Rasa's own fallback does), so it does not steer
    what the assistant does next.
    """

    def name(self) -> str:
        return DEFAULT_FALLBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await super().run(dispatcher, tracker, domain) + [UserUtteranceReverted()]
