"""A message the assistant could not place. What it gets is bot.answering.missed's: a request
for a person, the questions inside it, a passage of the trial's sources, a medicine named, or
"say it another way" with the menu (the study team's contact route at the third miss in a
row). Here, before that: an emergency (actions.guard) and a correction after the result
(actions.after_result); after it, the count of misses in a row that Rasa's rule reads."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.after_result import reopened
from actions.guard import STOP, Checked, GuardedAction
from actions.latest_message import read_message
from actions.misses import DEFAULT_FALLBACK, MISSES_SLOT, NOT_UNDERSTOOD, misses_after, misses_before_this_message
from actions.saying import say
from bot.answering.missed import missed_reply
from bot.prescreen.state import MISSES_BEFORE_HANDOFF
from bot.trial.loading import load_trial

EMERGENCY = "action_emergency"
# The rule picks this one, not action_not_understood, for the third miss in a row.
HAND_OFF_AFTER_MISSES = "action_hand_off_after_misses"


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
        hands_off = self.hands_off(tracker)
        message = read_message(tracker)
        return say(dispatcher, tracker, missed_reply(load_trial(), message, hands_off))


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
