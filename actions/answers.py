"""Actions that answer questions about the trial from data/trials/."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.emergency import emergency_first
from actions.entities import medication_groups
from bot import replies
from bot.trial import Trial, load_trial

MENU_PROMPT = "You can ask me about this trial in your own words, or pick a topic:"


class ActionAnswerQuestion(Action):
    """Answers the topic of the latest intent, citing its sources."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        trial = load_trial()
        # Guidance first; the question is still answered after it.
        emergency_first(dispatcher, tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        groups = medication_groups(tracker)

        if intent == "ask_medical_advice":
            dispatcher.utter_message(response="utter_no_medical_advice")
            meds = replies.medication_answer(trial, groups)
            if meds is not None:
                dispatcher.utter_message(text=meds.text, json_message=meds.payload())
            return []

        topic_id = replies.topic_for_intent(intent)
        if topic_id == "sources":
            answer = replies.sources_answer(trial, tracker.get_slot("last_topic"))
        else:
            answer = replies.answer_question(trial, topic_id or "", groups)
        if answer is None:
            dispatcher.utter_message(
                response="utter_please_rephrase", buttons=replies.menu_buttons(trial)
            )
            return []
        say_answer(dispatcher, trial, answer, groups)
        if answer.topic == "sources":
            return []
        return [SlotSet("last_topic", answer.topic)]


def say_answer(
    dispatcher: CollectingDispatcher, trial: Trial, answer: replies.Answer, groups: list[str]
) -> None:
    """An answer with its sources and buttons; any word on medicines sends people to their neurologist."""
    dispatcher.utter_message(
        text=answer.text,
        json_message=answer.payload(),
        buttons=replies.offer_buttons(trial, answer.topic) or None,
    )
    if answer.topic == "medications" or groups:
        dispatcher.utter_message(response="utter_talk_to_your_neurologist")


def answer_named_medicines(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """The trial's rule for a medicine the message names, and True; False when it names none.

    "he stopped edaravone a couple months ago" is no question NLU knows, but the person
    wants to know what that medicine means for the study.
    """
    groups = medication_groups(tracker)
    if not groups:
        return False
    trial = load_trial()
    answer = replies.answer_question(trial, "medications", groups)
    if answer is None:
        return False
    say_answer(dispatcher, trial, answer, groups)
    return True


class ActionShowMenu(Action):
    """The topic menu, for "what can you do" and for a lone answer or "yes" outside the form;
    a lone answer that names a medicine gets that medicine's rule instead.

    Off-topic, other-language and not-understood messages get it from action_not_understood,
    which counts them as misses.
    """

    def name(self) -> str:
        return "action_show_menu"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if emergency_first(dispatcher, tracker):
            return []
        if answer_named_medicines(dispatcher, tracker):
            return [SlotSet("last_topic", "medications")]
        trial = load_trial()
        dispatcher.utter_message(text=MENU_PROMPT, buttons=replies.menu_buttons(trial))
        return []


class ActionGreet(Action):
    """Says who we are, that we are not doctors, and the trial's real status."""

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        trial = load_trial()
        emergency_first(dispatcher, tracker)  # "hi, my dad is choking": guidance first
        dispatcher.utter_message(text=replies.greeting(trial))
        dispatcher.utter_message(
            text="What would you like to know? Type a question or pick a topic:",
            buttons=replies.menu_buttons(trial),
        )
        return []
