"""Rasa's checks still hold after adapters/lean_rasa/ takes their waste out.

An action server answer that breaks Rasa's schema is still refused with Rasa's own error, and
stored events still come back as the same classes; what goes is only the repeated work (the
schema checked against its metaschema at every call, the walk over Event's subclasses).
"""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered

from adapters import lean_rasa
from adapters.lean_rasa.action_answers import action_response_check, action_response_validator
from adapters.lean_rasa.debug_log_copies import DEBUG_LOG_COPIES
from adapters.lean_rasa.kept_sessions import close_kept_sessions
from tests.ports import free_port

lean_rasa.install()

VALID = {
    "events": [{"event": "slot", "name": "prescreen", "value": {"stage": "asking"}, "timestamp": None}],
    "responses": [{"text": "How old are you?", "buttons": [{"title": "Not sure", "payload": "not sure"}]}],
}


def action() -> RemoteAction:
    return RemoteAction("action_answer_question", None)


def test_a_valid_answer_of_the_action_server_passes() -> None:
    assert action()._validate_action_result(VALID) is True


@pytest.mark.parametrize("bad", [
    {"events": [{"name": "prescreen"}]},  # an event without its kind
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": [42]},
])
def test_a_malformed_answer_is_refused_with_rasas_message(bad: dict) -> None:
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        action()._validate_action_result(bad)


def test_the_schema_is_checked_once_not_at_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    checks = []
    validator_class = type(action_response_validator())
    monkeypatch.setattr(validator_class, "check_schema",
                        classmethod(lambda cls, schema: checks.append(schema)))
    for _ in range(3):
        action()._validate_action_result(VALID)
    assert checks == []


def test_stored_events_come_back_as_the_same_classes() -> None:
    for event in (UserUttered("hi", {"name": "greet"}), ActionExecuted("action_listen"),
                  SlotSet("prescreen", {"stage": "asking"}), SessionStarted()):
        for _ in range(2):  # found, then remembered
            assert Event.from_parameters(event.as_dict()) == event
    assert Event.resolve_by_type("slot") is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet


# --- calling the action server over kept connections -------------------------------------------

async def _serve(port: int, peers: list) -> "web.AppRunner":
    from aiohttp import web

    async def webhook(request: "web.Request") -> "web.Response":
        peers.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"events": [], "responses": [], "token": request.query.get("token")})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


def test_action_calls_reuse_one_connection_and_survive_a_restart_of_the_action_server() -> None:
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    port = free_port()
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", token="shared-token")

    async def scenario() -> None:
        peers: list = []
        runner = await _serve(port, peers)
        first = await endpoint.request(json={"next_action": "a"}, method="post")
        await endpoint.request(json={"next_action": "b"}, method="post")
        assert first == {"events": [], "responses": [], "token": "shared-token"}  # Rasa's request
        assert len(peers) == 2 and peers[0] == peers[1]  # the same connection, kept
        await runner.cleanup()  # the action server restarts
        runner = await _serve(port, peers)
        assert (await endpoint.request(json={"next_action": "c"}, method="post"))["events"] == []
        await runner.cleanup()
        await close_kept_sessions()

    asyncio.run(scenario())


# --- copies for debug logs ---------------------------------------------------------------------

def test_those_modules_deep_copy_only_as_arguments_of_debug_logs() -> None:
    """What makes skipping the copies safe: in each module, every `copy.deepcopy(...)` is an
    argument of a `structlogger.debug(...)` call (and `copy` is used for nothing else)."""
    import ast
    import importlib
    import inspect

    for name in DEBUG_LOG_COPIES:
        tree = ast.parse(inspect.getsource(importlib.import_module(name)))
        in_debug_logs = {
            id(node)
            for call in ast.walk(tree)
            if isinstance(call, ast.Call) and ast.unparse(call.func) == "structlogger.debug"
            for node in ast.walk(call)
        }
        uses = [node for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and ast.unparse(node.value) == "copy"]
        assert uses, name
        assert all(node.attr == "deepcopy" and id(node) in in_debug_logs for node in uses), name


def test_a_deep_copy_is_made_only_while_debug_logging_is_on() -> None:
    import logging

    import rasa.core.processor as processor

    value = {"events": [{"event": "user"}]}
    logger = logging.getLogger("rasa.core.processor")
    level = logger.level
    try:
        logger.setLevel(logging.INFO)
        assert processor.copy.deepcopy(value) is value
        logger.setLevel(logging.DEBUG)
        copied = processor.copy.deepcopy(value)
        assert copied == value and copied is not value and copied["events"] is not value["events"]
    finally:
        logger.setLevel(level)


# --- the action answer's check, one event kind at a time ---------------------------------------

def _answers() -> list:
    """Valid answers of every event kind, and each broken in the ways an answer can be."""
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA

    kinds = [k["properties"]["event"]["const"] for k in EVENT_SCHEMA["oneOf"]]
    good = {
        "user": {"event": "user", "text": "hi", "input_channel": "rest", "parse_data": {
            "text": "hi", "intent": {"name": "greet", "confidence": 0.9},
            "intent_ranking": [{"name": "greet", "confidence": 0.9}],
            "entities": [{"entity": "medication", "value": "riluzole", "start": 0, "end": 8}],
            "response_selector": {"all_retrieval_intents": []}}},
        "action": {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0},
        "slot": {"event": "slot", "name": "prescreen", "value": {"stage": "asking"}},
        "entities": {"event": "entities", "entities": [{"entity": "condition", "value": "ALS"}]},
    }
    breaks = [
        lambda e: {**e, "event": 7}, lambda e: {**e, "timestamp": "noon"},
        lambda e: {**e, "metadata": "x"}, lambda e: {**e, "name": 3},
        lambda e: {k: v for k, v in e.items() if k != "value"},
        lambda e: {**e, "entities": [{"entity": "x"}]}, lambda e: {**e, "text": 5},
        lambda e: {**e, "parse_data": {"intent": {"name": 1}}},
        lambda e: {**e, "parse_data": {"entities": [{"value": 1}]}},
        lambda e: {**e, "parse_data": {"response_selector": {"all_retrieval_intents": "x"}}},
        lambda e: {**e, "confidence": "high"}, lambda e: {**e, "hide_rule_turn": "no"},
        lambda e: {**e, "timestamp": None, "metadata": None},
    ]
    events = [good.get(kind, {"event": kind}) for kind in kinds] + [{"event": "nope"}, {}, "slot", None, 3]
    events += [broken(event) for event in events if isinstance(event, dict) for broken in breaks]
    answers = [{"events": [event], "responses": []} for event in events]
    answers += [{"events": events[:3]}, {"responses": [{"text": "hi"}]}, {}, {"events": "x"},
                {"responses": [3]}, {"responses": {"text": "x"}}, [], "x", None,
                {"events": [], "responses": [], "extra": 1}]
    return answers


def test_checking_each_event_by_its_kind_gives_jsonschemas_verdict() -> None:
    check, full = action_response_check(), action_response_validator()
    answers = _answers()
    assert sum(full.is_valid(a) for a in answers) > 20 and sum(not full.is_valid(a) for a in answers) > 100
    for answer in answers:
        assert check.fits(answer) == full.is_valid(answer), answer
