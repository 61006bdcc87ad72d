"""Pointing a person to the study team when they ask for a person (and, from actions/not_understood.py,
when we keep missing them).

A thin adapter over bot.trial.replies (what is said, from the trial file) and actions/records.py
(the request staff see with `python -m staff handoffs`). Nothing here keeps what the person typed.
"""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.guard import STOP, Checked, GuardedAction
from actions.prescreen import STAGE_SLOT
from actions.records import record_handoff
from bot.prescreen.state import FINAL_STAGES
from bot.trial import replies
from bot.trial.loading import load_trial
from bot.trial.model import Trial

PRESCREEN_FORM = "prescreen_form"


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
