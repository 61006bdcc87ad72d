"""A correction after the result: the finished pre-screen reopens at the review.

The form has ended, so the message reaches whatever action its intent has ("I'm actually
59" may look like an age question, "change an answer" like nothing at all). The actions
that take such messages ask here first; bot.prescreen.screening decides whether it is a correction.
"""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.prescreen import (
    PRESCREEN_SLOT,
    REPLY_SLOT,
    STORE_TROUBLE,
    save,
    dispatch,
    message_timezone,
    state_of,
)
from actions.shared_place import in_shared_place
from bot.prescreen import screening
from bot.trial.model import load_trial

FORM = "prescreen_form"
NAME = "action_reopen_prescreen"  # not a real action: marks the turn the form reopened


def reopened(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[list[EventType]]:
    """The events that reopen the pre-screen for a correction, or None when it is not one."""
    state = state_of(tracker)
    if state.stage != screening.DONE or in_shared_place(tracker):
        return None
    text = tracker.latest_message.get("text") or ""
    trial = load_trial()
    before = screening.State.from_dict(state.to_dict())
    said = screening.reopen_for_correction(trial, state, text, screening.person_today(trial, message_timezone(tracker)))
    if not said:
        return None
    dispatch(dispatcher, said)
    if not save(tracker, trial, before, state):
        dispatcher.utter_message(text=STORE_TROUBLE)
    # The form runs next: it asks the review (or the question the change opened).
    return [SlotSet(PRESCREEN_SLOT, state.to_dict()), SlotSet(REPLY_SLOT, None), FollowupAction(FORM)]
