"""The pre-screen form and the person's own data: thin adapters over bot.screening and bot.store.

The whole pre-screen state lives in the `prescreen` slot, which only these
actions set (custom mapping): a user typing `/intent{...}` cannot fill in
consent, answers or a verdict.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.entities import medication_groups
from bot import identity, replies, screening
from bot.eligibility import evaluate, result_payload, result_text, verdict
from bot.store import ScreeningStore, pseudonym_for
from bot.trial import Trial, load_trial

PRESCREEN_SLOT = "prescreen"
REPLY_SLOT = "prescreen_reply"
DELETE_SLOT = "delete_requested"
FORGET_SLOT = "forget_conversation"  # read by adapters.tracker_store
DELETED_PAYLOAD = {"type": "conversation_deleted"}
# "/affirm{...}": Rasa reads it as an intent; its words must not be read as an answer too.
INTENT_SHORTCUT_RE = re.compile(r"^\s*/\w")


@lru_cache(maxsize=1)
def store() -> ScreeningStore:
    """One store per action-server process; the URL comes from SCREENING_DB_URL."""
    return ScreeningStore()


def pseudonym(tracker: Tracker) -> str:
    """Whose stored answers these are: from the conversation id the channel adapter made
    ("twilio:+1555..."), never from the `input_channel` a request body may claim."""
    return pseudonym_for(tracker.sender_id)


def channel(tracker: Tracker) -> str:
    """The channel that really received this conversation (the namespace of its id)."""
    return identity.channel_of(tracker.sender_id)


def record_handoff(tracker: Tracker, reason: str, during_prescreen: bool) -> None:
    """Notes for staff that this person was pointed to the study team; never what they typed."""
    store().record_handoff(
        pseudonym(tracker), load_trial().id, channel(tracker), reason, during_prescreen,
    )


def message_timezone(tracker: Tracker) -> Any:
    """The IANA time zone the channel sent with this message (`metadata.timezone`), if any.

    The hook for the chat page: it may send its browser's zone with each message; other
    channels send none, and the trial site's zone is used (bot.screening.person_today).
    """
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata.get("timezone") if isinstance(metadata, dict) else None


def dispatch(dispatcher: CollectingDispatcher, replies: list[screening.Reply]) -> None:
    for reply in replies:
        if reply.response:
            dispatcher.utter_message(response=reply.response)
        elif reply.text or reply.custom:
            dispatcher.utter_message(
                text=reply.text, buttons=reply.buttons or None, json_message=reply.custom
            )


def state_of(tracker: Tracker) -> screening.State:
    return screening.State.from_dict(tracker.get_slot(PRESCREEN_SLOT))


def _subject(state: screening.State) -> str:
    return "self" if state.is_self in (True, None) else "other"


def _save(tracker: Tracker, trial: Trial, before: screening.State, after: screening.State) -> None:
    """Stores what changed: nothing before consent, then each answer as it comes.

    The record opens when the questions begin, i.e. after consent and once we know
    whom they are about, so its subject ("self" or "other") is the right one.
    """
    if after.screening_id is None:
        if after.stage != screening.ASKING or before.stage not in (screening.CONSENT, screening.FOR_WHOM):
            return
        after.screening_id = store().start(
            pseudonym(tracker),
            trial.id,
            channel(tracker),
            _subject(after),
        )
    elif _subject(after) != _subject(before):
        store().set_subject(after.screening_id, _subject(after))  # "actually it's for my mom"
    for question_id, value in after.answers.items():
        if before.answers.get(question_id) != value:
            store().record_answer(after.screening_id, question_id, value)
    for question_id in set(before.answers) - set(after.answers):
        store().remove_answer(after.screening_id, question_id)


class ActionStartPrescreen(Action):
    """Opens the pre-screen: the trial's real status first, then the form asks for consent."""

    NAME = "action_start_prescreen"

    def name(self) -> str:
        return self.NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        trial = load_trial()
        meds = replies.medication_answer(trial, medication_groups(tracker))
        if meds is not None:  # "my wife takes Radicava, can she join?"
            dispatcher.utter_message(text=meds.text, json_message=meds.payload())
        if not trial.recruiting:
            dispatcher.utter_message(
                text=f"{trial.status_summary} I can still check the answers against the "
                "study's public criteria, which may help when you talk with the study team."
            )
        state = screening.start(trial, opening_words(tracker))
        return [SlotSet(PRESCREEN_SLOT, state.to_dict()), SlotSet(REPLY_SLOT, None)]


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


class ActionAskPrescreenReply(Action):
    """The form's question: consent, for whom, the next criterion question, or a retry."""

    def name(self) -> str:
        return "action_ask_prescreen_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatch(dispatcher, [screening.prompt(load_trial(), state_of(tracker))])
        return []


def _opened_this_turn(tracker: Tracker) -> bool:
    """True while the form validates the message that opened it ("am I eligible"): not an answer."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") == ActionStartPrescreen.NAME:
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
        if _opened_this_turn(tracker):
            return {REPLY_SLOT: None}
        trial = load_trial()
        before = state_of(tracker)
        after = screening.State.from_dict(before.to_dict())
        intent = tracker.latest_message.get("intent") or {}
        text = str(value or tracker.latest_message.get("text") or "")
        turn = screening.Turn(
            text="" if INTENT_SHORTCUT_RE.match(text) else text,
            intent=intent.get("name") or "",
            confidence=float(intent.get("confidence") or 0.0),
        )
        said = screening.step(trial, after, turn, screening.person_today(trial, message_timezone(tracker)))
        dispatch(dispatcher, said)
        for reply in said:
            if reply.handoff:
                record_handoff(tracker, reply.handoff, during_prescreen=True)
        _save(tracker, trial, before, after)
        return {PRESCREEN_SLOT: after.to_dict(), REPLY_SLOT: "done" if after.finished else None}


class ActionFinishPrescreen(Action):
    """Gives the verdict with its per-criterion payload, or hands over to "delete my data"."""

    def name(self) -> str:
        return "action_finish_prescreen"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        trial = load_trial()
        state = state_of(tracker)
        events: list[EventType] = [SlotSet(REPLY_SLOT, None)]
        if state.stage == screening.DELETE_REQUESTED:
            return events + ask_delete_confirmation(dispatcher)
        if state.stage != screening.DONE:
            return events
        results = evaluate(trial, state.answers)
        dispatcher.utter_message(
            text=result_text(trial, results, state.subject()),
            json_message=result_payload(trial, results),
        )
        if state.screening_id:
            store().finish(
                state.screening_id,
                {r.id: {"status": r.status, "reason": r.reason} for r in results},
                verdict(results),
            )
        return events


class ActionShowMyAnswers(Action):
    """Shows the stored answers of this person's latest pre-screen."""

    def name(self) -> str:
        return "action_show_my_answers"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        trial = load_trial()
        saved = store().current(pseudonym(tracker), trial.id)
        answers = saved.answers if saved else {}
        text = screening.answers_summary(trial, answers)
        if saved and saved.verdict:
            text += f"\nResult: {saved.verdict.replace('_', ' ')}."
        dispatcher.utter_message(text=text)
        return []


def ask_delete_confirmation(dispatcher: CollectingDispatcher) -> list[EventType]:
    dispatcher.utter_message(
        response="utter_confirm_delete",
        buttons=[
            {"title": "Yes, delete", "payload": "/affirm"},
            {"title": "No, keep", "payload": "/deny"},
        ],
    )
    return [SlotSet(DELETE_SLOT, True)]


class ActionAskDeleteConfirmation(Action):
    def name(self) -> str:
        return "action_ask_delete_confirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return ask_delete_confirmation(dispatcher)


class ActionDeleteMyData(Action):
    """Removes screenings and hand-off requests now; the tracker store erases the conversation on save."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        store().delete_person(pseudonym(tracker))
        # The payload tells a page to drop its own copy of the conversation too.
        dispatcher.utter_message(response="utter_data_deleted", json_message=DELETED_PAYLOAD)
        return [
            SlotSet(DELETE_SLOT, False),
            SlotSet(PRESCREEN_SLOT, None),
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

