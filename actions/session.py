"""A new session after a break: an unfinished pre-screen is offered back, never dropped.

People with ALS tire and type slowly; after an idle hour Rasa starts a new session and
forgets the form. Our session start keeps the unfinished pre-screen aside (slot
`prescreen_paused`) and asks whether to carry on; "Carry on" puts it back and the form asks
the question where the person stopped. The answers themselves are also in the store.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.guard import Checked, GuardedAction
from actions.prescreen import prescreen_events
from actions.slots import PAUSED_SLOT, PRESCREEN_SLOT, REPLY_SLOT
from bot.prescreen import screening
from bot.messages import WORDS
from bot.prescreen.state import CARRY_ON_PAYLOAD, State
from bot.prescreen.resume import can_resume, resume_offer, resume_state, resumed
from bot.trial.loading import load_trial

RESUME_PAYLOAD = CARRY_ON_PAYLOAD
START_AGAIN_PAYLOAD = "/check_eligibility"


def paused_state(tracker: Tracker) -> State | None:
    """The pre-screen this conversation left unfinished, from the last session or this one."""
    for slot in (PAUSED_SLOT, PRESCREEN_SLOT):
        raw: Any = tracker.get_slot(slot)
        if raw:
            state = State.from_dict(raw)
            if can_resume(state):
                return state
    return None


class ActionSessionStart(GuardedAction):
    """Rasa's session start, plus the offer to carry on an unfinished pre-screen (not in a
    place others read: the pre-screen is kept aside all the same)."""

    def name(self) -> str:
        return "action_session_start"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, checked: Checked
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        state = paused_state(tracker)
        if state is not None:
            events.append(SlotSet(PAUSED_SLOT, state.to_dict()))
            if not checked.shared_place:
                offer = resume_offer(load_trial(), state)
                dispatcher.utter_message(text=offer.text, buttons=[
                    {"title": WORDS["carry_on"], "payload": RESUME_PAYLOAD},
                    {"title": WORDS["start_again"], "payload": START_AGAIN_PAYLOAD},
                ])
        events.append(ActionExecuted("action_listen"))
        return events


class ActionResumePrescreen(Action):
    """"Carry on": the paused pre-screen comes back with its answers; the form asks on."""

    def name(self) -> str:
        return "action_resume_prescreen"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return resume(dispatcher, tracker)


def resume(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The slots that carry on the pre-screen where the person stopped (after a break, a
    "stop" or a pause), or start one when there is none; the form then asks."""
    state = paused_state(tracker)
    if state is None:
        # Nothing to carry on: a new pre-screen starts, from consent.
        dispatcher.utter_message(text=WORDS["nothing_to_resume"])
        state = screening.start(load_trial(), "")
    else:
        dispatcher.utter_message(text=resumed(load_trial(), resume_state(state)))
    return prescreen_events(tracker, state) + [SlotSet(PAUSED_SLOT, None), SlotSet(REPLY_SLOT, None)]


def offered_carry_on(tracker: Tracker) -> bool:
    """Whether the reply just before the latest message offered only "Carry on" (a pause or a
    "stop" in the form): then "ok, I'm ready" accepts it."""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                return False
        elif event.get("event") == "bot" and users == 1:
            buttons = (event.get("data") or {}).get("buttons") or []
            if [b.get("payload") for b in buttons] == [CARRY_ON_PAYLOAD]:
                return True
    return False
