"""The pre-screen form: a thin adapter over bot.prescreen.screening (its record: actions/records.py).

The whole pre-screen state lives in the `prescreen` slot, which only these
actions set (custom mapping): a user typing `/intent{...}` cannot fill in
consent, answers or a verdict.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.guard import Checked, GuardedAction
from actions.latest_message import read_message
from actions.records import STORE_TROUBLE, save_off_loop
from actions.saying import dispatch, say_replies
from actions.shared_place import in_shared_place
from actions.slots import PAUSED_SLOT, PRESCREEN_SLOT, REPLY_SLOT, STAGE_SLOT
from bot.messages import WORDS
from bot.trial import replies
from bot.prescreen import screening
from bot.prescreen.form_requests import Turn
from bot.prescreen.state import DONE, State
from bot.prescreen.today import person_today
from bot.prescreen.eligibility import evaluate, result_payload, result_text
from bot.trial.loading import load_trial
from bot.trial.model import Trial


SHARED_PLACE = "shared_place"  # REPLY_SLOT when the form was asked for where others read
# "/affirm{...}": Rasa reads it as an intent; its words must not be read as an answer too.
INTENT_SHORTCUT_RE = re.compile(r"^\s*/\w")


def message_timezone(tracker: Tracker) -> Any:
    """The IANA time zone the channel sent with this message (`metadata.timezone`), if any.

    The hook for the chat page: it may send its browser's zone with each message; other
    channels send none, and the trial site's zone is used (bot.prescreen.today.person_today).
    """
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata.get("timezone") if isinstance(metadata, dict) else None


def state_of(tracker: Tracker) -> State:
    return State.from_dict(tracker.get_slot(PRESCREEN_SLOT))


def prescreen_slots(tracker: Tracker, state: Optional[State]) -> dict[str, Any]:
    """The slots that change when the pre-screen becomes `state` (None: no pre-screen).

    The one place the `prescreen_stage` slot is kept in step with the state's stage. Each slot
    is set only when its value changes: every event makes each later turn's replay longer.
    """
    raw = state.to_dict() if state is not None else None
    stage = state.stage if state is not None else None
    values: dict[str, Any] = {}
    if tracker.get_slot(PRESCREEN_SLOT) != raw:
        values[PRESCREEN_SLOT] = raw
    if tracker.get_slot(STAGE_SLOT) != stage:
        values[STAGE_SLOT] = stage
    return values


def prescreen_events(tracker: Tracker, state: Optional[State]) -> list[EventType]:
    """prescreen_slots as the events an action returns."""
    return [SlotSet(name, value) for name, value in prescreen_slots(tracker, state).items()]


class ActionStartPrescreen(GuardedAction):
    """Opens the pre-screen: the trial's real status first, then the form asks for consent."""

    NAME = "action_start_prescreen"
    personal = True

    def name(self) -> str:
        return self.NAME

    def refused(self, tracker: Tracker) -> list[EventType]:
        # General answers only in a shared place; the form opens and closes at once (nothing asked).
        return prescreen_events(tracker, None) + [SlotSet(REPLY_SLOT, SHARED_PLACE)]

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, checked: Checked
    ) -> list[EventType]:
        trial = load_trial()
        meds = replies.medication_answer(trial, read_message(tracker).medication_groups())
        if meds is not None:  # "my wife takes Radicava, can she join?"
            dispatcher.utter_message(text=meds.text, json_message=meds.payload())
        if not trial.recruiting:
            dispatcher.utter_message(text=WORDS["not_recruiting_but_check"].format(status=trial.status_summary))
        return begin(tracker, trial, opening_words(tracker))


def begin(tracker: Tracker, trial: Trial, opening: str) -> list[EventType]:
    """A new pre-screen's slots; "can my wife join?" already says whom it is about.

    It replaces one left unfinished in an earlier session.
    """
    state = screening.start(trial, opening)
    return prescreen_events(tracker, state) + [SlotSet(REPLY_SLOT, None), SlotSet(PAUSED_SLOT, None)]


PRESCREEN_PAYLOAD = "/check_eligibility"


def accepted_offer(tracker: Tracker) -> Optional[str]:
    """When "yes" answers a reply that offered the pre-screen (its "Check if I may qualify"
    button), the words of the message that reply answered ("can my wife join?"); else None."""
    users = 0
    offered = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                return (event.get("text") or "") if offered else None
        elif event.get("event") == "bot" and users == 1:
            buttons = (event.get("data") or {}).get("buttons") or []
            # Offered on its own, as an answer does ("...a short pre-screen?"), not one topic of a menu.
            offered = offered or [b.get("payload") for b in buttons] == [PRESCREEN_PAYLOAD]
    return "" if offered else None


def opening_words(tracker: Tracker) -> str:
    """What the person said to open the check, for whom it is about.

    A click on "Check if I may qualify" sends only the button's payload; the words are in
    the message it answered ("can my husband join?"), so "your husband" is not asked again.
    """
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    latest = tracker.latest_message.get("text") or ""
    if latest.startswith("/") and len(texts) >= 2 and not texts[-2].startswith("/"):
        return texts[-2]
    return latest


class ActionAskPrescreenReply(GuardedAction):
    """The form's question: consent, for whom, the next criterion question, or a retry.

    In a shared place the question waits for the direct message."""

    personal = True

    def name(self) -> str:
        return "action_ask_prescreen_reply"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, checked: Checked
    ) -> list[EventType]:
        dispatch(dispatcher, [screening.prompt(load_trial(), state_of(tracker))])
        return []


# Actions that open the form: the message before them is not an answer. Besides starting and
# resuming, the actions that take messages outside the form reopen it for a correction after
# the result (actions/after_result.py); outside the form is the only place they run, so when
# the form validates in the same turn, it is that reopening, and the correction is already read.
OPENING_ACTIONS = frozenset({
    ActionStartPrescreen.NAME, "action_resume_prescreen",
    "action_answer_question", "action_show_menu", "action_not_understood",
    "action_hand_off_after_misses",
})


def _opened_this_turn(tracker: Tracker) -> bool:
    """True while the form validates the message that opened it ("am I eligible"): not an answer."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") in OPENING_ACTIONS:
            return True
    return False


class ValidatePrescreenForm(FormValidationAction):
    """Feeds each message to the pre-screen state machine and stores the answers."""

    def name(self) -> str:
        return "validate_prescreen_form"

    async def validate_prescreen_reply(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        # The form is no action of ours to guard: in a shared place it opens and closes
        # without asking, or waits for the direct message.
        shared = in_shared_place(tracker)
        if _opened_this_turn(tracker):
            if tracker.get_slot(REPLY_SLOT) == SHARED_PLACE or shared:
                # Closes the form: nothing asked.
                return {REPLY_SLOT: "done", **prescreen_slots(tracker, None)}
            return {REPLY_SLOT: None}
        if shared:
            # An answer typed in a shared channel is not taken; the form waits for the DM.
            return {REPLY_SLOT: None}
        # Read once, before anything is decided: the message, the state, the time zone.
        message = read_message(tracker)
        before = state_of(tracker)
        zone = message_timezone(tracker)
        text = str(value or message.text)
        after = State.from_dict(before.to_dict())
        turn = Turn(
            text="" if INTENT_SHORTCUT_RE.match(text) else text,
            intent=message.intent.intent,
            confidence=message.intent.confidence,
            topics=tuple(message.asked_topics()),
        )
        trial = load_trial()
        said = screening.step(trial, after, turn, person_today(trial, zone))
        # Then said and kept.
        say_replies(dispatcher, tracker, said, during_prescreen=True)
        if not await save_off_loop(tracker, trial, before, after):
            dispatcher.utter_message(text=STORE_TROUBLE)
        return {**prescreen_slots(tracker, after), REPLY_SLOT: "done" if after.finished else None}


class ActionFinishPrescreen(Action):
    """Gives the verdict with its per-criterion payload.

    A pre-screen that ended with "delete my data" goes to action_ask_delete_confirmation
    instead: a rule reads the stage slot (data/rules.yml).
    """

    def name(self) -> str:
        return "action_finish_prescreen"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        trial = load_trial()
        state = state_of(tracker)
        events: list[EventType] = [SlotSet(REPLY_SLOT, None)]
        if state.stage != DONE:
            return events
        results = evaluate(trial, state.answers)
        dispatcher.utter_message(
            text=result_text(trial, results, state.subject()),
            json_message=result_payload(trial, results),
        )
        if state.screening_id or state.answers:
            # Writes any answers still waiting, then the verdict (the state is DONE).
            if not await save_off_loop(tracker, trial, state, state):
                dispatcher.utter_message(text=STORE_TROUBLE)
            return events + prescreen_events(tracker, state)
        return events
