"""A message the assistant could not place: say it another way, with the menu, or, at the
third miss in a row, the study team's contact route. Before that, every other reading is
tried: an emergency, a request for a person, a correction after the result, the questions
inside the message, a passage of the trial's sources, a medicine named."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.after_result import reopened
from actions.answers import answer_named_medicines, answer_questions, asked_intents
from actions.emergency import latest_turn
from actions.from_sources import answer_from_sources
from actions.guard import STOP, Checked, GuardedAction
from actions.handoff import hand_off
from actions.misses import DEFAULT_FALLBACK, MISSES_SLOT, NOT_UNDERSTOOD, misses_after, misses_before_this_message
from bot.messages import WORDS
from bot.prescreen.form_requests import wants_a_person
from bot.prescreen.state import MISSES_BEFORE_HANDOFF
from bot.trial import replies
from bot.trial.loading import load_trial
from bot.understanding import topics

EMERGENCY = "action_emergency"
# The rule picks this one, not action_not_understood, for the third miss in a row.
HAND_OFF_AFTER_MISSES = "action_hand_off_after_misses"
# How the menu is introduced, by why the message was missed.
MISS_INTRO = {
    "out_of_scope": "utter_out_of_scope",
    "nlu_fallback": "utter_please_rephrase",
    "gibberish": "utter_please_rephrase",
    "other_language": "utter_other_language",
}


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
                    text=f"{WORDS['did_you_mean']} {WORDS['sources_dont_say']}",
                    buttons=replies.suggestion_buttons(trial, likely),
                )
                return []
            intro = MISS_INTRO.get(intent, MISS_INTRO["nlu_fallback"])
            dispatcher.utter_message(response=intro, buttons=buttons)
            return []
        events = hand_off(dispatcher, tracker, trial, "repeated_failure")
        dispatcher.utter_message(text=WORDS["menu_prompt"], buttons=buttons)
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
