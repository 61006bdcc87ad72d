"""Deleting a person's data when they ask ("delete my data"): confirm, then remove their
screenings and hand-off notes now; the tracker store erases the conversation on save."""
from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.guard import Checked, GuardedAction
from actions.prescreen import prescreen_events
from actions.slots import PAUSED_SLOT
from actions.records import pseudonym, store
from bot.messages import WORDS

logger = logging.getLogger(__name__)

DELETE_SLOT = "delete_requested"
FORGET_SLOT = "forget_conversation"  # read by adapters.tracker_store
DELETED_PAYLOAD = {"type": "conversation_deleted"}


class ActionAskDeleteConfirmation(GuardedAction):
    """Asks to confirm a deletion ("delete my data", in the form or out of it)."""

    personal = True

    def name(self) -> str:
        return "action_ask_delete_confirmation"

    def refused(self, tracker: Tracker) -> list[EventType]:
        return [SlotSet(DELETE_SLOT, False)]

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, checked: Checked
    ) -> list[EventType]:
        dispatcher.utter_message(
            response="utter_confirm_delete",
            buttons=[
                {"title": WORDS["yes_delete"], "payload": "/affirm"},
                {"title": WORDS["no_keep"], "payload": "/deny"},
            ],
        )
        return [SlotSet(DELETE_SLOT, True)]


class ActionDeleteMyData(GuardedAction):
    """Removes screenings and hand-off requests now; the tracker store erases the conversation on save."""

    personal = True

    def name(self) -> str:
        return "action_delete_my_data"

    def refused(self, tracker: Tracker) -> list[EventType]:
        return [SlotSet(DELETE_SLOT, False)]

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, checked: Checked
    ) -> list[EventType]:
        try:
            store().delete_person(pseudonym(tracker))
        except SQLAlchemyError as error:
            logger.warning("Could not delete a person's answers (%s).", type(error).__name__)
            dispatcher.utter_message(text=WORDS["not_deleted"])
            return [SlotSet(DELETE_SLOT, False)]
        # The payload tells a page to drop its own copy of the conversation too.
        dispatcher.utter_message(response="utter_data_deleted", json_message=DELETED_PAYLOAD)
        return [
            SlotSet(DELETE_SLOT, False),
            *prescreen_events(tracker, None),
            SlotSet(PAUSED_SLOT, None),
            SlotSet(FORGET_SLOT, True),
        ]


class ActionKeepMyData(Action):
    def name(self) -> str:
        return "action_keep_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_data_kept")
        return [SlotSet(DELETE_SLOT, False)]
