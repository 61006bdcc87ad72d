"""The pre-screen actions with real rasa_sdk Trackers, a CollectingDispatcher and a real SQLite store.

`Person` plays the part of Rasa Open Source around the action server: it keeps the
slots, fills `prescreen_reply` from the text (its from_text mapping) before running
the form's validation action, then runs the ask action or, once the form is done,
the finish action, the way the rules in data/rules.yml do.
"""
from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.paths import REPO_ROOT
from actions import prescreen, records
from actions.prescreen import (
    ActionAskPrescreenReply,
    ActionFinishPrescreen,
    ActionStartPrescreen,
    ValidatePrescreenForm,
)
from actions.deletion import ActionAskDeleteConfirmation, ActionDeleteMyData, ActionKeepMyData
from actions.my_answers import ActionShowMyAnswers
from bot.privacy import identity
from bot.messages import WORDS
from bot.prescreen.state import DELETE_REQUESTED, STAGES
from bot.prescreen.today import person_today
from bot.privacy.pseudonyms import pseudonym_for
from bot.storage.store import Screening
from bot.trial.loading import load_trial
from tests.prescreen_driver import ELIGIBLE_MAN, FINISHED, GO_ON, answer_all

DOMAIN: dict[str, Any] = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
TRIAL_ID = "NCT03268603"
SENDER = "+15551234567"  # a messaging-channel id: a phone number, never to be stored
CHANNEL = "rest"
PROTECTED_SLOTS = ("prescreen", "prescreen_stage", "misses", "delete_requested", "forget_conversation")
RULES: list[dict[str, Any]] = yaml.safe_load((REPO_ROOT / "data" / "rules.yml").read_text())["rules"]


def stage_after_the_form(action: str) -> str:
    """The stage a rule in data/rules.yml reads when the form ends, to run `action` instead of
    action_finish_prescreen."""
    [rule] = [r for r in RULES if {"active_loop": "prescreen_form"} in r.get("condition", [])
              and any(step.get("action") == action for step in r["steps"])]
    [stage] = [c["slot_was_set"][0]["prescreen_stage"] for c in rule["condition"] if "slot_was_set" in c]
    return stage


ASKS_BEFORE_DELETING = stage_after_the_form("action_ask_delete_confirmation")


pytestmark = pytest.mark.usefixtures("screening_db")  # tests/unit/conftest.py


def run(action: Action, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    return asyncio.run(action.run(dispatcher, tracker, DOMAIN))


class Person:
    """One sender talking to the assistant through Rasa.

    `channel` is the channel that received the messages: it namespaced the sender id
    (adapters/channels/). `claims` is the `input_channel` the request said, which a
    REST body can set to anything.
    """

    def __init__(self, sender: str = SENDER, channel: str = CHANNEL, claims: Optional[str] = None) -> None:
        self.sender, self.channel = identity.namespaced(channel, sender), channel
        self.claimed_channel = claims or channel
        self.slots: dict[str, Any] = {
            "prescreen": None, "prescreen_stage": None, "prescreen_reply": None, "requested_slot": None,
            "delete_requested": False, "forget_conversation": False,
        }
        self.active_loop: dict[str, Any] = {}
        self.messages: list[dict[str, Any]] = []  # what the bot said in reply to the last message
        self.events: list[dict[str, Any]] = []  # what the actions returned for the last message
        self._latest: dict[str, Any] = {}
        self.metadata: dict[str, Any] = {}  # what the channel sends with each message

    @property
    def pseudonym(self) -> str:
        return pseudonym_for(self.sender)

    @property
    def stage(self) -> Optional[str]:
        return (self.slots["prescreen"] or {}).get("stage")

    def tracker(self, latest_action: str = "action_listen", extra: tuple[dict[str, Any], ...] = ()) -> Tracker:
        user = {"event": "user", "text": self._latest["text"], "parse_data": self._latest,
                "input_channel": self.claimed_channel}
        return Tracker(
            self.sender, dict(self.slots), self._latest, [user, *extra], False, None,
            dict(self.active_loop), latest_action,
        )

    def _message(self, text: str, intent: str, confidence: float, entities: Optional[list] = None) -> None:
        self._latest = {"text": text, "intent": {"name": intent, "confidence": confidence},
                        "entities": entities or [], "metadata": dict(self.metadata)}
        self.messages, self.events = [], []

    def run(self, action: Action, latest_action: str = "action_listen",
            extra: tuple[dict[str, Any], ...] = ()) -> list[dict[str, Any]]:
        dispatcher = CollectingDispatcher()
        events = run(action, dispatcher, self.tracker(latest_action, extra))
        self.messages += dispatcher.messages
        self.events += events
        for event in events:
            if event["event"] == "slot":
                self.slots[event["name"]] = event["value"]
        return events

    def start(self, text: str = "am I eligible?") -> "Person":
        """ "check_eligibility": the start action, then the form asks its first question."""
        self._message(text, "check_eligibility", 0.98)
        self.run(ActionStartPrescreen())
        self.active_loop = {"name": "prescreen_form"}
        self.slots["requested_slot"] = "prescreen_reply"
        self.run(ActionAskPrescreenReply(), "action_start_prescreen")
        return self

    def say(self, text: str, intent: str = "", confidence: float = 0.0,
            entities: Optional[list] = None) -> "Person":
        """A message while the form is active: validate, then ask again or finish."""
        self._message(text, intent, confidence, entities)
        # Rasa's from_text mapping fills prescreen_reply; the SDK validates what was just set.
        self.slots["prescreen_reply"] = text
        self.run(ValidatePrescreenForm(), extra=({"event": "slot", "name": "prescreen_reply", "value": text},))
        if self.slots["prescreen_reply"] == "done":
            self.active_loop, self.slots["requested_slot"] = {}, None
            # The rules: "delete my data" asks first (the stage slot says so), else the result.
            ends = ActionAskDeleteConfirmation() if self.slots["prescreen_stage"] == ASKS_BEFORE_DELETING \
                else ActionFinishPrescreen()
            self.run(ends, "prescreen_form")
        else:
            self.run(ActionAskPrescreenReply(), "validate_prescreen_form")
        return self

    def ask(self, action: Action, text: str, intent: str) -> "Person":
        """A message outside the form, answered by one action (a rule)."""
        self._message(text, intent, 0.97)
        self.run(action)
        return self

    def where(self) -> str:
        """Where the form stands (tests/prescreen_driver.py): a question's id, a stage, or the end."""
        if not self.active_loop:
            return FINISHED
        state = prescreen.screening.State.from_dict(self.slots["prescreen"])
        if state.stage in GO_ON:
            return state.stage
        question = prescreen.screening.current_question(load_trial(), state)
        assert question is not None, state
        return question.id

    def answer_all(self, answers: Optional[dict[str, str]] = None) -> "Person":
        answer_all(self, {**ELIGIBLE_MAN, **(answers or {})})
        return self

    def texts(self) -> list[str]:
        return [m["text"] or m["response"] for m in self.messages]


def saved(person: Person) -> Optional[Screening]:
    return records.store().current(person.pseudonym, TRIAL_ID)


def all_screenings() -> list[Screening]:
    return records.store().list_screenings()


def consented() -> Person:
    return Person().start().say("Yes, I agree")


# ---------------------------------------------------------------------------
# Consent and the stored record
# ---------------------------------------------------------------------------
def test_the_form_opens_with_the_status_then_consent_and_stores_nothing(screening_db: Path) -> None:
    person = Person().start()
    trial = load_trial()
    assert person.texts()[0].startswith(trial.status_summary)
    consent = person.messages[-1]
    assert consent["text"].endswith("Do you agree to answer these questions?")
    assert [b["title"] for b in consent["buttons"]] == ["Yes, I agree", "No thanks"]
    assert person.stage == "consent"
    assert all_screenings() == []


def test_nothing_is_stored_before_consent_even_with_questions_and_misses() -> None:
    person = Person().start()
    person.say("is there a placebo?", "ask_placebo", 0.95)
    assert "placebo" in person.texts()[0].lower()
    person.say("I'm 54 and I take Rilutek")
    assert person.texts()[0] == WORDS["consent_retry"]
    person.say("he can't breathe", "emergency", 0.99)
    assert person.messages[0]["response"] == "utter_emergency"
    assert person.stage == "consent"
    assert all_screenings() == []


def test_saying_no_ends_the_form_and_stores_nothing() -> None:
    person = Person().start().say("No thanks")
    assert person.stage == "declined"
    assert person.active_loop == {}
    assert "nothing was saved" in person.texts()[0]
    assert not any(m["custom"] for m in person.messages)  # no verdict
    assert all_screenings() == []


def test_after_consent_a_screening_is_stored_under_a_pseudonym(screening_db: Path) -> None:
    person = consented()
    rows = all_screenings()
    assert len(rows) == 1
    row = rows[0]
    assert row.pseudonym == person.pseudonym != SENDER
    assert row.trial_id == TRIAL_ID and row.channel == CHANNEL and row.subject == "self"
    assert row.answers == {} and row.verdict is None
    assert person.slots["prescreen"]["screening_id"] == row.id
    # The raw sender id is nowhere in the database file.
    records.store().close()
    assert SENDER.encode() not in screening_db.read_bytes()
    assert SENDER.lstrip("+").encode() not in screening_db.read_bytes()


def test_the_same_sender_on_another_channel_is_another_pseudonym() -> None:
    assert Person(SENDER, "rest").pseudonym != Person(SENDER, "telegram").pseudonym


def test_a_caregivers_screening_is_stored_as_about_someone_else() -> None:
    person = Person().start("check if my dad qualifies").say("yes")
    row = saved(person)
    assert row is not None and row.subject == "other"
    assert row.answers == {"sex": "male"}  # what "my dad" already says


def test_who_the_questions_are_about_is_known_before_the_record_is_opened() -> None:
    person = Person().start("check eligibility").say("yes")
    assert person.stage == "for_whom"
    person.say("my husband")
    rows = all_screenings()
    assert len(rows) == 1 and rows[0].subject == "other"
    assert "your husband" in person.messages[-1]["text"]


def test_answers_are_stored_as_given_and_corrections_replace_them() -> None:
    person = consented()
    for typed in ("yes", "yes", "about a year and a half ago", "I'm 54", "male"):
        person.say(typed)
    row = saved(person)
    assert row is not None
    assert row.answers == {
        "diagnosed": "yes", "other_causes_ruled_out": "yes", "weakness_started": {"low": 17.5, "high": 18.5, "low_open": False, "high_open": False},
        "age": 54, "sex": "male",
    }
    person.say("actually I'm 45")
    assert person.texts()[0] == "Thanks, I've changed that answer. Age: 45."
    assert saved(person).answers["age"] == 45  # type: ignore[union-attr]


def test_asking_to_change_an_answer_removes_it_and_its_follow_up_from_the_store() -> None:
    person = consented()
    while "autoimmune" not in person.messages[-1]["text"]:
        state = prescreen.state_of(person.tracker())
        question = prescreen.screening.current_question(load_trial(), state)
        person.say(ELIGIBLE_MAN[question.id])  # type: ignore[union-attr]
    assert saved(person).answers["riluzole_stable"] == "yes"  # type: ignore[union-attr]
    person.say("change my riluzole answer")
    answers = saved(person).answers  # type: ignore[union-attr]
    assert "riluzole_taking" not in answers and "riluzole_stable" not in answers
    assert person.messages[-1]["text"].startswith("Do you take riluzole now?")


def test_start_over_clears_the_stored_answers() -> None:
    person = consented().say("yes").say("no")
    person.say("start over")
    assert saved(person).answers == {}  # type: ignore[union-attr]
    assert len(all_screenings()) == 1


def test_validate_prescreen_reply_returns_the_new_state_and_keeps_the_form_going() -> None:
    person = Person().start()
    person._message("Yes, I agree", "affirm", 0.99)
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ValidatePrescreenForm().validate_prescreen_reply(
        "Yes, I agree", dispatcher, person.tracker(), DOMAIN))
    assert set(result) == {"prescreen", "prescreen_stage", "prescreen_reply"}
    assert result["prescreen_reply"] is None  # not done: the form asks again
    assert result["prescreen"]["stage"] == result["prescreen_stage"] == "asking"
    assert json.loads(json.dumps(result["prescreen"])) == result["prescreen"]  # fits in a slot
    assert dispatcher.messages == []


def test_the_stage_slot_follows_the_pre_screen_and_is_set_only_when_the_stage_changes() -> None:
    person = Person().start()
    assert person.slots["prescreen_stage"] == "consent"
    stages = [person.stage]
    sets: list[int] = []
    original = person.run

    def run(action: Action, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        events = original(action, *args, **kwargs)
        assert person.slots["prescreen_stage"] == person.stage  # in step after every action
        sets.append(sum(1 for e in events if e["event"] == "slot" and e["name"] == "prescreen_stage"))
        return events

    person.run = run  # type: ignore[method-assign]
    person.say("Yes, I agree")
    for text in ("yes", "yes they did an emg", "about a year and a half ago"):
        person.say(text)
        stages.append(person.stage)
    assert stages == ["consent", "asking", "asking", "asking"]
    assert sum(sets) == 1  # consent to the questions; the answers after it change no stage


def test_the_rules_read_the_stage_the_state_has() -> None:
    assert ASKS_BEFORE_DELETING == DELETE_REQUESTED
    assert DOMAIN["slots"]["prescreen_stage"]["values"] == list(STAGES)


# ---------------------------------------------------------------------------
# Finishing: the verdict payload and what is kept
# ---------------------------------------------------------------------------
def check_payload(custom: dict[str, Any], verdict: str) -> None:
    trial = load_trial()
    assert set(custom) == {"type", "trial", "verdict", "criteria"}
    assert custom["type"] == "eligibility_result" and custom["trial"] == TRIAL_ID
    assert custom["verdict"] == verdict
    known = [c for c in trial.criteria if c.known]
    assert [c["id"] for c in custom["criteria"]] == [c.id for c in known]
    for entry, criterion in zip(custom["criteria"], known):
        assert set(entry) == {"id", "kind", "status", "reason", "title"}
        assert entry["kind"] == criterion.kind in ("inclusion", "exclusion")
        assert entry["status"] in ("pass", "fail", "unknown") and entry["reason"]


def test_finishing_an_eligible_run_gives_the_design_payload_and_stores_it() -> None:
    person = consented().answer_all()
    assert person.stage == "done" and person.active_loop == {}
    result = person.messages[-1]
    check_payload(result["custom"], "likely_eligible")
    assert {c["status"] for c in result["custom"]["criteria"]} == {"pass"}
    assert "Only the study team can decide" in result["text"]
    assert {"event": "slot", "name": "prescreen_reply", "value": None, "timestamp": None} in person.events
    row = saved(person)
    assert row is not None and row.verdict == "likely_eligible" and row.finished_at is not None
    assert row.statuses == {c["id"]: {"status": c["status"], "reason": c["reason"]}
                            for c in result["custom"]["criteria"]}
    assert row.answers["riluzole_taking"] == "yes" and row.answers["age"] == 54


def test_a_rule_out_is_announced_then_stop_here_gives_the_verdict() -> None:
    person = consented()
    for typed in ("yes", "yes", "1 year ago"):
        person.say(typed)
    person.say("16")
    assert person.texts()[0] == "Got it: Age: 16."
    assert "The study is for people 18 or older." in person.texts()[1]
    assert [b["title"] for b in person.messages[-1]["buttons"]] == ["Finish the questions", "Stop here"]
    person.say("Stop here")
    result = person.messages[-1]
    check_payload(result["custom"], "likely_not_eligible")
    statuses = {c["id"]: c["status"] for c in result["custom"]["criteria"]}
    assert statuses["age_18_plus"] == "fail" and statuses["us_resident"] == "unknown"
    assert saved(person).verdict == "likely_not_eligible"  # type: ignore[union-attr]


def test_a_needs_review_run() -> None:
    person = consented().answer_all({"breathing_support": "BiPAP at night", "weakness_started": "Not sure"})
    check_payload(person.messages[-1]["custom"], "needs_review")
    assert saved(person).verdict == "needs_review"  # type: ignore[union-attr]


def test_stopping_gives_no_verdict_and_keeps_the_answers() -> None:
    person = consented().say("yes").say("stop")
    assert person.stage == "stopped"
    assert not any(m["custom"] for m in person.messages)
    row = saved(person)
    assert row is not None and row.answers == {"diagnosed": "yes"} and row.verdict is None


def test_delete_my_data_mid_form_ends_it_and_asks_to_confirm() -> None:
    person = consented().say("yes").say("delete my data")
    assert person.stage == "delete_requested" and person.active_loop == {}
    assert person.messages[-1]["response"] == "utter_confirm_delete"
    assert [b["payload"] for b in person.messages[-1]["buttons"]] == ["/affirm", "/deny"]
    assert person.slots["delete_requested"] is True
    assert saved(person) is not None  # nothing deleted before the person confirms


# ---------------------------------------------------------------------------
# The person's own data, outside the form
# ---------------------------------------------------------------------------
def test_show_my_answers_lists_the_stored_answers_and_the_result() -> None:
    person = consented().say("yes").say("yes").say("18 mos").say("fifty four")
    person.active_loop = {}
    person.ask(ActionShowMyAnswers(), "show my answers", "show_my_answers")
    assert person.texts() == [
        "Here are the answers so far:\n- ALS diagnosis: Yes\n- Other causes ruled out: Yes\n"
        "- When the weakness started: about 18 months ago\n- Age: 54"
    ]
    finished = consented().answer_all()
    finished.ask(ActionShowMyAnswers(), "what did i answer", "show_my_answers")
    assert finished.texts()[0].endswith("\nResult: likely eligible.")


def test_show_my_answers_shows_nothing_of_someone_else() -> None:
    consented().say("yes")
    stranger = Person(sender="+15559876543")
    stranger.ask(ActionShowMyAnswers(), "show my answers", "show_my_answers")
    assert stranger.texts() == ["There are no answers saved yet."]


def test_delete_my_data_removes_the_rows_and_forgets_the_conversation() -> None:
    person = consented().answer_all()  # the form is over: "delete my data" is now a rule
    other = consented()  # same sender, a second screening
    stranger = Person(sender="+15559876543").start().say("yes").say("yes")
    assert len(all_screenings()) == 3

    person.ask(ActionAskDeleteConfirmation(), "delete my data", "delete_my_data")
    assert person.messages[0]["response"] == "utter_confirm_delete"
    assert person.slots["delete_requested"] is True
    events = person.ask(ActionDeleteMyData(), "yes", "affirm").events
    assert person.texts() == ["utter_data_deleted"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots == {"delete_requested": False, "prescreen": None, "prescreen_stage": None,
                     "prescreen_paused": None, "forget_conversation": True}
    assert saved(person) is None and saved(other) is None
    assert [r.pseudonym for r in all_screenings()] == [stranger.pseudonym]


@pytest.mark.parametrize("sender, claims", [
    (SENDER, "twilio"),  # the SMS person's number, with a forged input_channel
    ("twilio:" + SENDER, "twilio"),  # a sender id that looks like the SMS person's conversation
    ("twilio:" + SENDER, "rest"),
])
def test_a_rest_client_posing_as_an_sms_person_cannot_see_or_delete_their_answers(
    sender: str, claims: str
) -> None:
    """The REST channel namespaced the sender ("rest:..."); what the body claims is not read."""
    sms_person = Person(SENDER, "twilio").start().say("Yes, I agree").say("yes").say("yes")
    kept = saved(sms_person)
    assert kept is not None and kept.channel == "twilio" and kept.answers

    forger = Person(sender, "rest", claims=claims)
    forger.ask(ActionShowMyAnswers(), "show my answers", "show_my_answers")
    assert forger.texts() == ["There are no answers saved yet."]
    forger.ask(ActionDeleteMyData(), "yes", "affirm")
    assert saved(sms_person) == kept  # untouched

    forger.start().say("Yes, I agree").say("no")
    assert saved(forger).channel == "rest"  # its own record, under the channel that received it
    assert saved(sms_person) == kept


def test_keeping_my_data_keeps_it() -> None:
    person = consented().say("yes")
    person.ask(ActionKeepMyData(), "no", "deny")
    assert person.texts() == ["utter_data_kept"]
    assert person.slots["delete_requested"] is False
    assert saved(person) is not None


# ---------------------------------------------------------------------------
# A typed /intent{...} cannot set protected slots or skip consent
# ---------------------------------------------------------------------------
FORGED_STATE = {
    "stage": "asking", "is_self": True, "answers": {"diagnosed": "yes", "age": 54},
    "misses": 0, "announced": [], "screening_id": "0" * 32,
}
FORGED = "/check_eligibility" + json.dumps(
    {"prescreen": FORGED_STATE, "delete_requested": True, "forget_conversation": True}
)


def test_protected_slots_have_custom_mappings_only() -> None:
    for slot in PROTECTED_SLOTS:
        assert DOMAIN["slots"][slot]["mappings"] == [{"type": "custom"}], slot


def test_rasa_fills_no_protected_slot_from_a_typed_intent_with_entities() -> None:
    """Rasa's own slot extraction, on its own parse of the typed message."""
    from rasa.core.actions.action import ActionExtractSlots
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.nlu.training_data.message import Message

    domain = Domain.load(str(REPO_ROOT / "domain.yml"))
    parsed = YAMLStoryReader.unpack_regex_message(Message(data={"text": FORGED}), domain)
    assert parsed.get("intent")["name"] == "check_eligibility"
    for with_form in (False, True):
        events = [ActionExecuted("action_listen")]
        if with_form:
            events[:0] = [ActiveLoop("prescreen_form"), SlotSet("requested_slot", "prescreen_reply")]
        events.append(UserUttered(FORGED, parsed.get("intent"), parsed.get("entities") or []))
        tracker = DialogueStateTracker.from_events("someone", events, slots=domain.slots)
        extracted = asyncio.run(ActionExtractSlots(None).run(
            CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain))
        names = {e.key for e in extracted if isinstance(e, SlotSet)}
        assert not names & set(PROTECTED_SLOTS)
        assert names == ({"prescreen_reply"} if with_form else set())


def test_a_typed_intent_with_a_forged_state_cannot_skip_consent() -> None:
    entities = [{"entity": "prescreen", "value": FORGED_STATE}]
    person = Person()
    person._message(FORGED, "check_eligibility", 1.0, entities)
    person.run(ActionStartPrescreen())
    assert person.slots["prescreen"]["stage"] == "consent"
    assert person.slots["prescreen"]["answers"] == {}
    assert person.slots["delete_requested"] is False and person.slots["forget_conversation"] is False
    person.active_loop = {"name": "prescreen_form"}
    person.slots["requested_slot"] = "prescreen_reply"

    # The same message typed as the reply to the consent question is not a yes.
    person.say(FORGED, "check_eligibility", 1.0, entities)
    assert person.stage == "consent"
    assert person.slots["prescreen"]["answers"] == {}
    assert person.messages[0]["text"] == WORDS["consent_retry"]
    assert all_screenings() == []


def test_a_typed_affirm_with_forged_answers_keeps_none_of_them() -> None:
    forged = "/affirm" + json.dumps({"prescreen": FORGED_STATE})
    person = Person().start()
    person.say(forged, "affirm", 1.0, [{"entity": "prescreen", "value": FORGED_STATE}])
    state = person.slots["prescreen"]
    assert state["stage"] == "asking" and state["answers"] == {}
    assert state["screening_id"] != FORGED_STATE["screening_id"]
    assert saved(person).answers == {}  # type: ignore[union-attr]
    assert "diagnosed you with ALS" in person.messages[-1]["text"]  # the first question, not a later one


def test_a_typed_intent_mid_form_is_not_read_as_an_answer() -> None:
    person = consented()
    forged = "/affirm" + json.dumps({"prescreen": FORGED_STATE})  # its JSON says "yes" and 54
    person.say(forged, "affirm", 1.0, [{"entity": "prescreen", "value": FORGED_STATE}])
    assert person.slots["prescreen"]["answers"] == {}
    assert saved(person).answers == {}  # type: ignore[union-attr]
    assert person.messages[-1]["text"].startswith("Sorry, I couldn't read that answer. Has a doctor diagnosed you")


# ---------------------------------------------------------------------------
# Asking for a person mid-form: the contact route, a note for staff, the same question
# ---------------------------------------------------------------------------
def handoff_requests() -> list[tuple[str, str, str, bool]]:
    return [(r.pseudonym, r.channel, r.reason, r.during_prescreen) for r in records.store().list_handoffs()]


def test_asking_for_a_person_mid_form_is_recorded_and_the_question_asked_again(screening_db: Path) -> None:
    person = consented().say("yes")
    question = person.messages[-1]["text"]
    person.say("can i talk to a real person", "talk_to_person", 0.97)
    handoff = prescreen.replies.handoff_answer(load_trial(), "asked")
    assert person.texts() == [handoff.text, "Now, back to the questions.", question]
    assert person.messages[0]["custom"] == handoff.payload()
    assert person.active_loop == {"name": "prescreen_form"} and person.stage == "asking"
    assert handoff_requests() == [(person.pseudonym, CHANNEL, "asked", True)]
    assert saved(person).answers == {"diagnosed": "yes"}  # type: ignore[union-attr]
    # What they typed and who they are (the raw sender id) are not in the database.
    records.store().close()
    stored = screening_db.read_bytes()
    assert b"real person" not in stored and SENDER.lstrip("+").encode() not in stored


def test_asking_for_a_person_before_consent_stores_the_request_but_no_screening() -> None:
    person = Person().start().say("human please", "talk_to_person", 0.95)
    assert person.stage == "consent"
    assert person.messages[-1]["text"].endswith("Do you agree to answer these questions?")
    assert all_screenings() == []
    assert handoff_requests() == [(person.pseudonym, CHANNEL, "asked", True)]


def test_an_answer_mid_form_records_no_handoff() -> None:
    consented().say("yes").say("no").say("about a year ago")
    assert handoff_requests() == []


def test_unreadable_answers_mid_form_record_no_handoff() -> None:
    person = consented().say("yes")
    person.say("purple").say("banana")  # asked again once, then taken as "not sure"
    assert any("marked" in t and "not sure" in t for t in person.texts())
    person.say("zzz").say("qqq")
    assert person.active_loop == {"name": "prescreen_form"}
    assert handoff_requests() == []


def test_delete_my_data_also_removes_the_handoff_requests() -> None:
    person = consented().say("connect me with the study coordinator")
    assert len(handoff_requests()) == 1
    person.say("delete my data")
    person.ask(ActionDeleteMyData(), "yes", "affirm")
    assert handoff_requests() == [] and saved(person) is None


def test_saying_mid_form_that_it_is_for_someone_else_updates_the_stored_record() -> None:
    person = consented().say("yes").say("yes")
    assert saved(person).subject == "self"  # type: ignore[union-attr]  # "am I eligible?" is about me
    person.say("sorry, it's for my dad", "talk_to_person", 0.9)
    assert person.texts()[0].startswith("Thanks, I'll ask about your dad now.")
    assert "your dad" in person.texts()[-1]
    record = saved(person)
    assert record is not None and record.subject == "other"
    assert record.answers == {"sex": "male"}  # the answers about me are gone
    assert handoff_requests() == []


# ---------------------------------------------------------------------------
# "Today" is the person's date
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(("metadata", "stored"), [
    ({}, "yes"),  # the site's zone (Chicago): 30 November, 29 days after 1 November
    ({"timezone": "Asia/Tokyo"}, "no"),  # already 1 December there: 30 days
    ({"timezone": "not/a zone"}, "yes"),  # not a zone: the site's
])
def test_the_time_zone_a_message_carries_decides_today(
    monkeypatch: pytest.MonkeyPatch, metadata: dict[str, Any], stored: str
) -> None:
    real = person_today
    evening_in_chicago = datetime(2025, 12, 1, 3, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(prescreen, "person_today",
                        lambda trial, zone=None, now=None: real(trial, zone, evening_in_chicago))
    person = Person()
    person.metadata = metadata
    person.start().say("Yes, I agree")
    person.answer_all({"riluzole_taking": "no", "riluzole_recent": "stopped it November 1st"})
    row = saved(person)
    assert row is not None and row.answers["riluzole_recent"] == stored
