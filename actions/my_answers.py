"""'Show my answers': the stored answers of this person's latest pre-screen, and its result.

Answers still waiting in the conversation are written first; when the store cannot be read,
what the conversation holds is shown instead, so a person always sees their own answers.
"""
from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.guard import Checked, GuardedAction
from actions.prescreen import prescreen_events, state_of
from actions.records import STORE_TROUBLE, pseudonym, save_off_loop, store
from bot.messages import WORDS
from bot.prescreen.state import answers_summary
from bot.trial.loading import load_trial

logger = logging.getLogger(__name__)


class ActionShowMyAnswers(GuardedAction):
    """Shows the stored answers of this person's latest pre-screen."""

    personal = True

    def name(self) -> str:
        return "action_show_my_answers"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, checked: Checked
    ) -> list[EventType]:
        trial = load_trial()
        state = state_of(tracker)
        events: list[EventType] = []
        if state.screening_id or state.answers:
            # Answers that waited in the conversation are written first, if the store is back.
            if await save_off_loop(tracker, trial, state, state):
                events += prescreen_events(tracker, state)
            else:
                # The store is down: what this conversation holds is theirs to see.
                text = answers_summary(trial, state.answers)
                dispatcher.utter_message(text=f"{text}\n\n{STORE_TROUBLE}")
                return []
        try:
            saved = store().current(pseudonym(tracker), trial.id)
        except SQLAlchemyError as error:
            logger.warning("Could not read the pre-screen store (%s).", type(error).__name__)
            dispatcher.utter_message(text=WORDS["answers_unreachable"])
            return events
        answers = saved.answers if saved else {}
        text = answers_summary(trial, answers)
        if saved and saved.verdict:
            text += "\n" + WORDS["saved_result"].format(verdict=saved.verdict.replace("_", " "))
        dispatcher.utter_message(text=text)
        return events
