"""What the assistant offers: the greeting (who we are, that we are not doctors, the trial's real
status) and the topic menu, which also takes a "yes" to an offer made before it."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.after_result import reopened
from actions.guard import GO_ON, STOP, Checked, GuardedAction
from actions.latest_message import read_message
from actions.prescreen import accepted_offer, begin
from actions.saying import say
from actions.session import offered_carry_on, resume
from actions.slots import PRESCREEN_FORM
from bot.answering.trial_questions import named_medicines_answer, topic_answers
from bot.messages import WORDS
from bot.trial import replies
from bot.trial.loading import load_trial


def latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


class ActionShowMenu(GuardedAction):
    """The topic menu, for "what can you do" and for a lone answer or "yes" outside the form;
    a lone answer that names a medicine gets that medicine's rule instead.

    Off-topic, other-language and not-understood messages get it from action_not_understood,
    which counts them as misses.
    """

    on_emergency = STOP

    def name(self) -> str:
        return "action_show_menu"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], checked: Checked
    ) -> list[dict[str, Any]]:
        reopening = await reopened(dispatcher, tracker, checked)
        if reopening is not None:
            return reopening
        trial = load_trial()
        opening = accepted_offer(tracker) if latest_intent(tracker) == "affirm" else None
        if opening is not None and not checked.shared_place:
            # "Yes" to "I can go through the criteria with you": the pre-screen starts.
            return begin(tracker, trial, opening) + [FollowupAction(PRESCREEN_FORM)]
        if latest_intent(tracker) == "affirm" and offered_carry_on(tracker) and not checked.shared_place:
            # "ok, I'm ready" to "say carry on when you're ready": the pre-screen goes on.
            return resume(dispatcher, tracker) + [FollowupAction(PRESCREEN_FORM)]
        medicines = named_medicines_answer(trial, read_message(tracker))
        if medicines is not None:
            return say(dispatcher, tracker, medicines)
        dispatcher.utter_message(text=WORDS["menu_prompt"], buttons=replies.menu_buttons(trial))
        return []


class ActionGreet(GuardedAction):
    """Says who we are, that we are not doctors, and the trial's real status; then answers
    any question the greeting came with, or offers the topics."""

    on_emergency = GO_ON  # "hi, my dad is choking": guidance first

    def name(self) -> str:
        return "action_greet"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], checked: Checked
    ) -> list[dict[str, Any]]:
        trial = load_trial()
        dispatcher.utter_message(text=replies.greeting(trial))
        message = read_message(tracker)
        asked = message.asked_topics()  # "hi! is it still recruiting?"
        if asked:
            answered = topic_answers(trial, message, asked)
            return say(dispatcher, tracker, answered) if answered is not None else []
        dispatcher.utter_message(
            text=WORDS["menu_after_greeting"],
            buttons=replies.menu_buttons(trial),
        )
        return []
