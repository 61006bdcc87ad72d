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

from actions.guard import Checked
from actions.prescreen import message_timezone, prescreen_events, state_of
from actions.records import STORE_TROUBLE, save_off_loop
from actions.saying import dispatch
from actions.slots import PRESCREEN_FORM, REPLY_SLOT, STAGE_SLOT
from bot.prescreen.stage_replies.review import reopen_for_correction
from bot.prescreen.state import DONE, State
from bot.prescreen.today import person_today
from bot.trial.loading import load_trial



async def reopened(
    dispatcher: CollectingDispatcher, tracker: Tracker, checked: Checked
) -> Optional[list[EventType]]:
    """The events that reopen the pre-screen for a correction, or None when it is not one.

    The stage slot says whether a result was given, without reading the whole pre-screen.
    """
    if tracker.get_slot(STAGE_SLOT) != DONE or checked.shared_place:
        return None
    text = tracker.latest_message.get("text") or ""
    zone = message_timezone(tracker)
    state = state_of(tracker)
    before = State.from_dict(state.to_dict())
    trial = load_trial()
    said = reopen_for_correction(trial, state, text, person_today(trial, zone))
    if not said:
        return None
    dispatch(dispatcher, said)
    if not await save_off_loop(tracker, trial, before, state):
        dispatcher.utter_message(text=STORE_TROUBLE)
    # The form runs next: it asks the review (or the question the change opened).
    return prescreen_events(tracker, state) + [SlotSet(REPLY_SLOT, None), FollowupAction(PRESCREEN_FORM)]
