"""Pointing a person to the study team when they ask for a person: a thin adapter over
bot.answering.handoff (what is said, from the trial file) and actions/saying.py (the request
staff see with `python -m staff handoffs`). Nothing here keeps what the person typed.
"""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.guard import STOP, Checked, GuardedAction
from actions.saying import say
from bot.answering.handoff import ASKED, handoff
from bot.trial.loading import load_trial


class ActionHandoff(GuardedAction):
    """The person asked for a person: the study team's contact route, recorded for staff."""

    on_emergency = STOP

    def name(self) -> str:
        return "action_handoff"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, checked: Checked
    ) -> list[EventType]:
        return say(dispatcher, tracker, handoff(load_trial(), ASKED))
