"""Hand-off actions with real rasa_sdk Trackers, a CollectingDispatcher and a real SQLite store.

`Conversation` plays Rasa Open Source: each message is answered by the action the rules in
data/rules.yml pick for its intent (and, for the third miss in a row, for the `misses` slot
and the action before), and the events are logged the way Rasa sends them to the action
server (all of them, the ones a fallback took back too), so counting misses is tested on the
same shape of history.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Optional

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.paths import REPO_ROOT
from actions import records
from actions.answers import ActionAnswerQuestion
from actions.menu import ActionGreet, ActionShowMenu
from actions.handoff import ActionHandoff
from actions.slots import prescreen_in_progress
from actions.misses import misses_before_this_message
from actions.not_understood import (
    ActionDefaultFallback,
    ActionEmergency,
    ActionHandOffAfterMisses,
    ActionNotUnderstood,
)
from bot.privacy import identity
from bot.trial import replies
from bot.privacy.pseudonyms import pseudonym_for
from bot.trial.loading import load_trial

DOMAIN: dict[str, Any] = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
RULES: list[dict[str, Any]] = yaml.safe_load((REPO_ROOT / "data" / "rules.yml").read_text())["rules"]
CHANNEL = "telegram"
SENDER = identity.namespaced(CHANNEL, "+15551234567")  # the conversation id the channel made
REPHRASE = "utter_please_rephrase"
# What data/rules.yml answers each intent with (checked against the file below).
ROUTES: dict[str, Action] = {
    "talk_to_person": ActionHandoff(),
    "nlu_fallback": ActionNotUnderstood(),
    "out_of_scope": ActionNotUnderstood(),  # so an emergency NLU took for off-topic is still caught
    "other_language": ActionNotUnderstood(),
    "ask_status": ActionAnswerQuestion(),
    "ask_safety": ActionAnswerQuestion(),
    "inform": ActionShowMenu(),
    "greet": ActionGreet(),
    "emergency": ActionEmergency(),
}
HAND_OFF_AFTER_MISSES = ActionHandOffAfterMisses()


def third_miss_rule() -> tuple[str, float, set[str]]:
    """The rule for the third miss in a row: the action before, the `misses` it left, the intents."""
    [rule] = [r for r in RULES if r["steps"][-1].get("action") == HAND_OFF_AFTER_MISSES.name()]
    [condition] = rule["condition"]
    before, _listen, intents = rule["steps"][:3]
    return before["action"], condition["slot_was_set"][0]["misses"], {i["intent"] for i in intents["or"]}


THIRD_MISS = third_miss_rule()


pytestmark = pytest.mark.usefixtures("screening_db")  # tests/unit/conftest.py


class Conversation:
    """One sender's conversation, with the event log Rasa keeps and sends to actions."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.slots: dict[str, Any] = {"last_topic": None, "prescreen": None, "prescreen_stage": None,
                                      "misses": None}
        self.active_loop: dict[str, Any] = {}
        self.messages: list[dict[str, Any]] = []
        self.returned: list[dict[str, Any]] = []
        self.new_session()

    def new_session(self) -> "Conversation":
        self.events += [
            {"event": "action", "name": "action_session_start"},
            {"event": "session_started"},
            {"event": "action", "name": "action_listen"},
        ]
        self.slots = {name: None for name in self.slots}  # no slot carries over to a new session
        return self

    def by_rule(self, intent: str) -> Action:
        """The action data/rules.yml picks: the third miss in a row's, or the intent's."""
        before, misses, intents = THIRD_MISS
        actions = [e["name"] for e in self.events if e["event"] == "action" and e["name"] != "action_listen"]
        if intent in intents and actions and actions[-1] == before and self.slots["misses"] == misses:
            return HAND_OFF_AFTER_MISSES
        return ROUTES[intent]

    def say(
        self, text: str, intent: str, confidence: float = 0.95, action: Optional[Action] = None,
        entities: Optional[list[dict[str, Any]]] = None,
    ) -> "Conversation":
        """A message, answered by `action` or else by the rule for its intent."""
        action = action or self.by_rule(intent)
        parse = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": entities or []}
        self.events.append({"event": "user", "text": text, "parse_data": parse, "input_channel": CHANNEL})
        tracker = Tracker(
            SENDER, dict(self.slots), parse, list(self.events), False, None, dict(self.active_loop), "action_listen",
        )
        dispatcher = CollectingDispatcher()
        self.returned = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
        self.messages = dispatcher.messages
        self.events.append({"event": "action", "name": action.name()})
        self.events += [
            {"event": "bot", "text": m.get("text"), "data": {"custom": m.get("custom")}} for m in self.messages
        ]
        self.events += self.returned
        for event in self.returned:
            if event["event"] == "slot":
                self.slots[event["name"]] = event["value"]
        self.events.append({"event": "action", "name": "action_listen"})
        return self

    def miss(self) -> "Conversation":
        return self.say("blorp the thing", "nlu_fallback", 0.45)

    def replies(self) -> list[str]:
        return [m["text"] or m["response"] for m in self.messages]

    @property
    def handed_off(self) -> bool:
        return any((m["text"] or "").startswith(load_trial().handoff.repeated_failure) for m in self.messages)


def handoff_requests() -> list[tuple[str, str, str, bool]]:
    return [(r.pseudonym, r.channel, r.reason, r.during_prescreen) for r in records.store().list_handoffs()]


def test_the_rules_and_domain_match_what_these_tests_play() -> None:
    routes = {
        said["intent"]: rule["steps"][1]["action"]
        for rule in RULES if "condition" not in rule
        for said in rule["steps"][0].get("or", [rule["steps"][0]]) if "intent" in said
    }
    for intent, action in ROUTES.items():
        assert routes[intent] == action.name(), intent
    assert "talk_to_person" in DOMAIN["intents"]
    for action in (ActionHandoff(), ActionNotUnderstood(), ActionDefaultFallback(), HAND_OFF_AFTER_MISSES):
        assert action.name() in DOMAIN["actions"]
    assert THIRD_MISS[0] == ActionNotUnderstood().name() and THIRD_MISS[1] == 2
    assert DOMAIN["slots"]["misses"]["max_value"] == THIRD_MISS[1]


# --- asking for a person ---------------------------------------------------------------------

def test_asking_for_a_person_gives_the_contact_route_and_records_the_request(screening_db: Path) -> None:
    chat = Conversation().say("can i talk to a real person pls", "talk_to_person")
    trial = load_trial()
    handoff = replies.handoff_answer(trial, "asked")
    assert chat.replies() == [handoff.text]
    assert "NCT03268603" in handoff.text and "not recruiting" in handoff.text
    assert chat.messages[0]["custom"] == handoff.payload()
    assert {"event": "slot", "name": "last_topic", "value": "contact", "timestamp": None} in chat.returned
    assert handoff_requests() == [(pseudonym_for(SENDER), CHANNEL, "asked", False)]
    records.store().close()
    stored = screening_db.read_bytes()
    assert b"real person" not in stored and SENDER.lstrip("+").encode() not in stored


def test_each_request_is_recorded() -> None:
    Conversation().say("human", "talk_to_person").say("agent!!", "talk_to_person")
    assert [r[2] for r in handoff_requests()] == ["asked", "asked"]


def test_a_question_about_contact_details_is_answered_but_not_recorded() -> None:
    chat = Conversation().say("how do i contact the study team", "ask_contact", action=ActionAnswerQuestion())
    assert "NCT03268603" in chat.replies()[0]
    assert handoff_requests() == []


def test_a_request_while_a_prescreen_is_open_says_so() -> None:
    chat = Conversation()
    chat.active_loop = {"name": "prescreen_form"}
    chat.say("get me a human", "talk_to_person")
    assert handoff_requests()[0][3] is True


@pytest.mark.parametrize("stage, in_progress", [
    (None, False), ("asking", True), ("ruled_out", True), ("stopped", False), ("done", False), ("declined", False),
])
def test_an_unfinished_prescreen_counts_as_in_progress(stage: Optional[str], in_progress: bool) -> None:
    state = None if stage is None else {"stage": stage, "answers": {"diagnosed": "yes"}}
    tracker = Tracker(SENDER, {"prescreen": state, "prescreen_stage": stage}, {}, [], False, None, {},
                      "action_listen")
    assert prescreen_in_progress(tracker) is in_progress


# --- not understood, twice, then a hand-off --------------------------------------------------------

def test_two_misses_ask_to_rephrase_and_the_third_points_to_the_study_team() -> None:
    chat = Conversation()
    for _ in range(2):
        chat.miss()
        assert chat.replies() == [REPHRASE]
        assert chat.messages[0]["buttons"] == replies.menu_buttons(load_trial())
    assert handoff_requests() == []

    chat.miss()
    trial = load_trial()
    handoff = replies.handoff_answer(trial, "repeated_failure")
    assert REPHRASE not in chat.replies()
    assert chat.replies()[0] == handoff.text
    assert "Here is how to reach the study team." in handoff.text
    assert chat.messages[-1]["buttons"] == replies.menu_buttons(trial)  # they can still try a topic
    assert handoff_requests() == [(pseudonym_for(SENDER), CHANNEL, "repeated_failure", False)]


def test_off_topic_and_other_language_messages_are_misses_with_their_own_intro() -> None:
    chat = Conversation().say("whats the weather", "out_of_scope")
    assert chat.replies() == ["utter_out_of_scope"]
    assert chat.messages[0]["buttons"] == replies.menu_buttons(load_trial())
    chat.say("hola necesito ayuda", "other_language")
    assert chat.replies() == ["utter_other_language"]
    assert handoff_requests() == []
    chat.say("tell me a joke", "out_of_scope")
    assert chat.handed_off
    assert handoff_requests() == [(pseudonym_for(SENDER), CHANNEL, "repeated_failure", False)]


@pytest.mark.parametrize("intents", [
    ("out_of_scope", "out_of_scope", "out_of_scope"),
    ("nlu_fallback", "out_of_scope", "nlu_fallback"),
    ("other_language", "other_language", "other_language"),
])
def test_any_three_misses_in_a_row_hand_off(intents: tuple[str, str, str]) -> None:
    chat = Conversation()
    for intent in intents[:2]:
        assert not chat.say("xq", intent, 0.9).handed_off
    assert chat.say("xq", intents[2], 0.9).handed_off


def test_after_a_handoff_the_count_starts_again() -> None:
    chat = Conversation().miss().miss().miss()
    assert chat.handed_off
    assert not chat.miss().handed_off and chat.replies() == [REPHRASE]
    assert not chat.miss().handed_off
    assert chat.miss().handed_off
    assert [r[2] for r in handoff_requests()] == ["repeated_failure", "repeated_failure"]


def test_an_understood_message_between_misses_starts_the_count_again() -> None:
    chat = Conversation().miss().miss()
    chat.say("is it still recruiting", "ask_status")
    assert not chat.miss().handed_off
    assert not chat.miss().handed_off
    assert chat.miss().handed_off


def test_asking_for_a_person_between_misses_is_understood() -> None:
    chat = Conversation().miss().miss().say("talk to a person", "talk_to_person")
    assert not chat.miss().handed_off
    assert [r[2] for r in handoff_requests()] == ["asked"]


@pytest.mark.parametrize("text, intent", [
    ("can i talk to somebody about this study", "nlu_fallback"),
    ("i want to speak with a real human being", "out_of_scope"),
    ("transfer me to the coordinator please", "nlu_fallback"),
])
def test_a_request_for_a_person_nlu_missed_is_still_a_handoff(text: str, intent: str) -> None:
    chat = Conversation().say(text, intent, 0.5)
    assert chat.replies() == [replies.handoff_answer(load_trial(), "asked").text]
    assert [r[2] for r in handoff_requests()] == ["asked"]


def test_a_miss_that_only_mentions_people_is_not_a_handoff() -> None:
    chat = Conversation().say("i'd have to talk to my wife first", "nlu_fallback", 0.5)
    assert chat.replies() == [REPHRASE]
    assert handoff_requests() == []


def test_misses_in_an_earlier_session_do_not_count() -> None:
    chat = Conversation().miss().miss().new_session()
    assert not chat.miss().handed_off


def test_rasas_own_fallback_counts_as_a_miss_and_takes_the_message_back() -> None:
    chat = Conversation()
    chat.say("hmm", "greet", 0.9, action=ActionDefaultFallback())  # no policy was sure what to do
    assert chat.replies() == [REPHRASE]
    # Rasa forgets the message, as its own fallback does, but keeps the count set after it.
    assert [e["event"] for e in chat.returned] == ["rewind", "slot"]
    chat.miss()
    chat.say("hmm again", "greet", 0.9, action=ActionDefaultFallback())
    assert chat.handed_off and chat.returned[-2]["event"] == "rewind"
    assert [r[2] for r in handoff_requests()] == ["repeated_failure"]


def misses_before(chat: Conversation) -> int:
    events = chat.events + [{"event": "user", "text": "x", "parse_data": {}, "input_channel": CHANNEL}]
    return misses_before_this_message(Tracker(SENDER, chat.slots, {}, events, False, None, {}, "action_listen"))


def test_misses_are_kept_in_a_slot_set_only_when_the_count_changes() -> None:
    chat = Conversation().say("hi", "greet").miss()
    assert chat.slots["misses"] == 1 and misses_before(chat) == 1
    chat.miss()
    assert {"event": "slot", "name": "misses", "value": 2, "timestamp": None} in chat.returned
    assert misses_before(chat) == 2
    chat.say("is it still recruiting", "ask_status")
    assert not any(e["event"] == "slot" and e["name"] == "misses" for e in chat.returned)
    assert misses_before(chat) == 0  # the slot still says 2, but the last message was understood
    chat.miss()
    assert chat.slots["misses"] == 1


def test_a_miss_answered_after_all_sets_the_count_back() -> None:
    chat = Conversation().miss().say("he stopped edaravone a couple months ago", "nlu_fallback", 0.5,
                                     entities=[{"entity": "medication", "value": "edaravone"}])
    assert chat.slots["misses"] == 0
    assert not chat.miss().handed_off and not chat.miss().handed_off


# --- a medicine named in a message NLU could not place gets that medicine's rule -------------------

EDARAVONE = [{"entity": "medication", "value": "edaravone", "start": 11, "end": 20}]


@pytest.mark.parametrize("intent", ["nlu_fallback", "out_of_scope", "inform"])
def test_a_medicine_named_outside_a_question_gets_its_rule(intent: str) -> None:
    chat = Conversation().say("he stopped edaravone a couple months ago", intent, 0.5, entities=EDARAVONE)
    rule = load_trial().medication_rule("edaravone").answer
    assert rule in chat.replies()[0]
    assert "utter_talk_to_your_neurologist" in chat.replies()
    assert REPHRASE not in chat.replies()


def test_a_medicine_answer_is_not_counted_as_a_miss() -> None:
    chat = Conversation().say("hi", "greet").miss().miss()
    chat.say("he stopped edaravone a couple months ago", "nlu_fallback", 0.5, entities=EDARAVONE)
    chat.miss()
    assert chat.replies()[0] == REPHRASE and handoff_requests() == []


# --- an emergency NLU took for something else still gets emergency guidance ------------------------

@pytest.mark.parametrize("text, intent", [
    ("someone call 911 my husband cant breathe", "talk_to_person"),
    ("get an ambulance please", "talk_to_person"),
    ("my dad is choking", "nlu_fallback"),
    ("i dont want to live anymore, get me a real person", "talk_to_person"),
    ("my wife fell and wont wake up", "out_of_scope"),
    ("he passed out and is unresponsive", "nlu_fallback"),
    ("i think she took an overdose", "other_language"),
])
def test_an_emergency_read_as_something_else_still_gets_emergency_guidance(text: str, intent: str) -> None:
    chat = Conversation().say(text, intent, 0.6)
    assert chat.replies() == ["utter_emergency"]
    assert handoff_requests() == []


@pytest.mark.parametrize("text, intent", [
    ("my husband can't breathe, is the treatment safe?", "ask_safety"),
    ("hi my dad is choking", "greet"),
])
def test_an_emergency_inside_a_question_or_greeting_gets_guidance_first_then_the_answer(
    text: str, intent: str,
) -> None:
    chat = Conversation().say(text, intent, 0.9)
    assert chat.replies()[0] == "utter_emergency"
    assert len(chat.replies()) > 1  # the question is still answered, the greeting still given


def test_an_emergency_read_as_an_answer_gets_only_guidance() -> None:
    chat = Conversation().say("she collapsed and is unresponsive", "inform", 0.9)
    assert chat.replies() == ["utter_emergency"]


@pytest.mark.parametrize("text", [
    "my husband is choking", "she can't breathe", "help he stopped breathing",
    "my breathing!!",  # no words of an emergency, but nothing says there is none: NLU is trusted
])
def test_an_emergency_nlu_recognises_gets_the_guidance(text: str) -> None:
    chat = Conversation().say(text, "emergency", 0.97)
    assert chat.replies() == ["utter_emergency"]


@pytest.mark.parametrize("text", [
    "no breathing machine", "he doesn't use a breathing machine", "she's not on a ventilator",
    "no bipap yet", "no trouble breathing",
])
def test_saying_there_is_no_breathing_machine_is_no_emergency(text: str) -> None:
    chat = Conversation().say(text, "emergency", 0.97)
    assert "utter_emergency" not in chat.replies()
    assert chat.replies()[0] == REPHRASE and chat.messages[0]["buttons"]  # the menu, to go on


def test_an_ordinary_question_gets_no_emergency_note() -> None:
    chat = Conversation().say("is it still recruiting", "ask_status")
    assert "utter_emergency" not in chat.replies()
