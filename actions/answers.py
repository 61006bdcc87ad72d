"""Answers to questions about the trial, from data/trials/ (bot.answering.trial_questions)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.after_result import reopened
from actions.guard import GO_ON, Checked, GuardedAction
from actions.latest_message import read_message
from actions.saying import say
from bot.answering.missed import PLEASE_REPHRASE
from bot.answering.outcome import Outcome
from bot.answering.trial_questions import topic_answers
from bot.prescreen.state import Reply
from bot.trial import replies
from bot.trial.loading import load_trial


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
        message = read_message(tracker)
        trial = load_trial()
        answered = topic_answers(trial, message, message.asked_topics() or [message.intent.intent])
        if answered is None:
            answered = Outcome([Reply(response=PLEASE_REPHRASE, buttons=replies.menu_buttons(trial))])
        return say(dispatcher, tracker, answered)
