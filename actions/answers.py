"""Answers to questions about the trial, from data/trials/: one or several in a message, and a
medicine named alone."""
from __future__ import annotations

from typing import Any, Iterable, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.after_result import reopened
from actions.guard import GO_ON, Checked, GuardedAction
from actions.entities import medication_groups
from bot.trial import replies
from bot.understanding import topics
from bot.trial.loading import load_trial
from bot.trial.model import Trial



class ActionAnswerQuestion(GuardedAction):
    """Answers each question the message asks (up to three, in order), citing sources."""

    on_emergency = GO_ON  # guidance first; the question is still answered after it

    def name(self) -> str:
        return "action_answer_question"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], checked: Checked
    ) -> list[dict[str, Any]]:
        if not checked.emergency:
            reopening = await reopened(dispatcher, tracker, checked)
            if reopening is not None:
                return reopening
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        events = answer_questions(dispatcher, tracker, asked_intents(tracker) or [intent])
        if events is None:
            dispatcher.utter_message(
                response="utter_please_rephrase", buttons=replies.menu_buttons(load_trial())
            )
            return []
        return events


def asked_intents(tracker: Tracker) -> list[str]:
    """The topics the latest message asks about, from NLU's reading of it and of each question."""
    message = tracker.latest_message
    whole = topics.guesses([message.get("intent") or {}])[0]
    parts = topics.guesses(message.get(topics.QUESTIONS) or [])
    return topics.topics_to_answer(whole, parts)


def answer_questions(
    dispatcher: CollectingDispatcher, tracker: Tracker, intents: list[str]
) -> Optional[list[dict[str, Any]]]:
    """Says the answer of each intent, headed by its topic when there are several.

    None when none of them has an answer (nothing is said then).
    """
    trial = load_trial()
    groups = medication_groups(tracker)
    answers: list[replies.Answer] = []
    advice = False
    for intent in intents:
        if intent == "ask_medical_advice":
            advice = True
            meds = replies.medication_answer(trial, groups)
            if meds is not None:
                answers.append(meds)
            continue
        topic_id = replies.topic_for_intent(intent) or ""
        if topic_id == "sources":
            answers.append(replies.sources_answer(trial, tracker.get_slot("last_topic")))
            continue
        # A medicine's rule and the recruiting status are said once, with the first answer.
        status_said = any(trial.status_summary in a.text for a in answers)
        answer = replies.answer_question(
            trial, topic_id, [] if answers else groups, with_status=not status_said
        )
        if answer is not None:
            answers.append(answer)
    if not answers and not advice:
        return None
    if advice:
        dispatcher.utter_message(response="utter_no_medical_advice")
    several = len(answers) > 1
    offered = _unique_buttons(b for a in answers for b in replies.offer_buttons(trial, a.topic))
    for i, answer in enumerate(answers):
        last = i == len(answers) - 1
        say_answer(dispatcher, trial, answer, groups if last else [],
                   heading=several, buttons=offered if last else [])
    topics = [a.topic for a in answers if a.topic != "sources"]
    return [SlotSet("last_topic", topics[-1])] if topics else []


def _unique_buttons(buttons: Iterable[dict]) -> list[dict]:
    return list({b["payload"]: b for b in buttons}.values())


def say_answer(
    dispatcher: CollectingDispatcher, trial: Trial, answer: replies.Answer, groups: list[str],
    heading: bool = False, buttons: Optional[list[dict]] = None,
) -> None:
    """An answer with its sources and buttons; any word on medicines sends people to their neurologist.

    `heading` names the topic first, for a reply that answers several questions.
    """
    topic = trial.topic(answer.topic)
    text = f"{topic.title}: {answer.text}" if heading and topic is not None else answer.text
    dispatcher.utter_message(
        text=text,
        json_message=answer.payload(),
        buttons=(replies.offer_buttons(trial, answer.topic) if buttons is None else buttons) or None,
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
