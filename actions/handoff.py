"""Pointing a person to the study team: when they ask for a person, and when we keep missing them.

Thin adapters over bot.trial.replies (what is said, from the trial file) and bot.storage.store (the request
staff see with `python -m staff handoffs`). Nothing here keeps what the person typed.
"""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import MENU_PROMPT, answer_named_medicines, answer_questions, asked_intents
from actions.after_result import reopened
from actions.emergency import latest_turn
from actions.guard import STOP, Checked, GuardedAction
from actions.prescreen import STAGE_SLOT
from actions.records import record_handoff
from bot.messages import WORDS
from bot.trial import replies
from bot.prescreen.form_requests import wants_a_person
from bot.prescreen.state import FINAL_STAGES, MISSES_BEFORE_HANDOFF
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
MISSES_BEFORE_HANDOFF = MISSES_BEFORE_HANDOFF
PRESCREEN_FORM = "prescreen_form"
# Misses in a row, as of the latest miss: the rule "the third miss in a row" reads it.
MISSES_SLOT = "misses"
# The rule picks this one, not action_not_understood, for the third miss in a row.
HAND_OFF_AFTER_MISSES = "action_hand_off_after_misses"
# A message answered first by one of these, with no answer from the trial, is a miss.
MISS_ACTIONS = frozenset({NOT_UNDERSTOOD, DEFAULT_FALLBACK})


def misses_before_this_message(tracker: Tracker) -> int:
    """How many messages in a row, just before the latest one, the assistant did not understand.

    The `misses` slot holds the count as of the latest miss. A reply that is only a response
    ("You're welcome") sets no slot, so the count holds only while the message before the
    latest one was answered by a miss action; a new session starts it again.
    """
    if previous_action(tracker) not in MISS_ACTIONS:
        return 0
    return int(tracker.get_slot(MISSES_SLOT) or 0)


def previous_action(tracker: Tracker) -> Optional[str]:
    """The last action other than listening before the latest message, from every event Rasa
    sends (a fallback's, taken back, too); None at the start of a session.

    Only the previous message's events are read, however long the conversation.
    """
    seen_latest = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if seen_latest:
                return None
            seen_latest = True
        elif kind == "session_started" and seen_latest:
            return None
        elif kind == "action" and seen_latest and event.get("name") != "action_listen":
            return event.get("name")
    return None


def misses_after(dispatcher: CollectingDispatcher, misses_before: int) -> int:
    """The count once this message is answered: a reply with an answer from the trial is no
    miss; after a hand-off (the third miss) the count starts again."""
    answered = any((m.get("custom") or {}).get("type") == "answer" for m in dispatcher.messages)
    misses = 0 if answered else misses_before + 1
    return 0 if misses > MISSES_BEFORE_HANDOFF else misses


def prescreen_in_progress(tracker: Tracker) -> bool:
    """The form is open, or a pre-screen was left unfinished in this conversation."""
    if tracker.active_loop_name == PRESCREEN_FORM:
        return True
    stage = tracker.get_slot(STAGE_SLOT)
    return stage is not None and stage not in FINAL_STAGES


def hand_off(
    dispatcher: CollectingDispatcher, tracker: Tracker, trial: Trial, reason: str
) -> list[EventType]:
    """Says how to reach the study team and records the request for staff."""
    answer = replies.handoff_answer(trial, reason)
    dispatcher.utter_message(text=answer.text, json_message=answer.payload())
    record_handoff(tracker, reason, during_prescreen=prescreen_in_progress(tracker))
    # "Where does that come from?" then cites the contact route's sources.
    return [SlotSet("last_topic", answer.topic)]


class ActionHandoff(GuardedAction):
    """The person asked for a person: the study team's contact route, recorded for staff."""

    on_emergency = STOP

    def name(self) -> str:
        return "action_handoff"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, checked: Checked
    ) -> list[EventType]:
        return hand_off(dispatcher, tracker, load_trial(), "asked")


class ActionNotUnderstood(GuardedAction):
    """Asks to rephrase and shows the menu, and counts the miss in the `misses` slot.

    A miss is a message NLU could not place, one off this trial's topic, or one in another
    language: to someone typing it, each is the assistant not helping, so all three count.
    The third miss in a row is a rule's (data/rules.yml): it picks action_hand_off_after_misses.
    """

    on_emergency = STOP
    # Whether this action's message counts in the `misses` slot (MISS_ACTIONS).
    counts_misses = True
    # Whether Rasa forgets the message afterwards, as its own fallback does.
    takes_message_back = False

    def name(self) -> str:
        return NOT_UNDERSTOOD

    def hands_off(self, tracker: Tracker) -> bool:
        """Whether a message still missed after every other reading gets the study team's
        contact route instead of "say it another way"."""
        return False

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        if self.takes_message_back:
            events.append(UserUtteranceReverted())
        if self.counts_misses:
            # After the take-back, so that Rasa keeps the count.
            misses = misses_after(dispatcher, misses_before_this_message(tracker))
            if misses != int(tracker.get_slot(MISSES_SLOT) or 0):
                events.append(SlotSet(MISSES_SLOT, misses))
        return events

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, checked: Checked
    ) -> list[EventType]:
        reopening = await reopened(dispatcher, tracker, checked)
        if reopening is not None:
            return reopening
        trial = load_trial()
        if wants_a_person(latest_turn(tracker)):
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
        if not self.hands_off(tracker):
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


class ActionHandOffAfterMisses(ActionNotUnderstood):
    """The third miss in a row (the rule reads the `misses` slot): the study team's contact
    route and the menu, unless the message is understood after all (an emergency, a
    correction, a request for a person, a question or a medicine NLU could not place)."""

    # The count is left as the rule read it (Rasa's rule then says to listen); the next message
    # starts again, since this is no miss action (misses_before_this_message).
    counts_misses = False

    def name(self) -> str:
        return HAND_OFF_AFTER_MISSES

    def hands_off(self, tracker: Tracker) -> bool:
        return True


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
    gets the menu like any message the assistant could not place (but is no miss).
    """

    counts_misses = False

    def name(self) -> str:
        return EMERGENCY


class ActionDefaultFallback(ActionNotUnderstood):
    """Rasa's fallback when no policy is sure of the next action: as "not understood".

    The message is then taken back (as Rasa's own fallback does), so it does not steer
    what the assistant does next. No rule picks this action, so it decides the third miss
    in a row itself, from the same slot.
    """

    takes_message_back = True

    def name(self) -> str:
        return DEFAULT_FALLBACK

    def hands_off(self, tracker: Tracker) -> bool:
        return misses_before_this_message(tracker) == MISSES_BEFORE_HANDOFF
