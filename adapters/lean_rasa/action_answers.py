"""Checking an action server's answer took 20 ms a call, up to half of the server's CPU
under 30 pre-screens at once. `RemoteAction._validate_action_result` calls
`jsonschema.validate`, which checks the schema itself against the JSON Schema metaschema and
builds a new validator on every call, then tries each event against all 23 event kinds. The
schema never changes, so it is checked once, and each event is checked against the one kind
its "event" field names (`ActionResponseCheck`, the same verdict): 0.1 ms a call. A bad
answer still raises Rasa's own error with Rasa's own message.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction


@functools.lru_cache(maxsize=1)
def action_response_validator() -> Validator:
    """The validator of Rasa's action response schema, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


class ActionResponseCheck:
    """Whether an action server's answer fits Rasa's schema, one event kind at a time.

    The schema says an event is exactly one of 23 kinds (`oneOf`), each told apart by the
    constant of its "event" field, so an event fits the schema exactly when it fits the one
    kind its "event" names; jsonschema otherwise tries all 23 for each event. Each kind's
    schema (the common part and that kind) and the rest of the answer's schema are built
    once, from Rasa's own, with the same validator class.
    """

    def __init__(self) -> None:
        schema = RemoteAction.action_response_format_spec()
        validator_class = type(action_response_validator())
        event = schema["properties"]["events"]["items"]
        common = {key: value for key, value in event.items() if key != "oneOf"}
        self.kinds = {kind["properties"]["event"]["const"]: validator_class({**common, "allOf": [kind]})
                      for kind in event["oneOf"]}
        assert len(self.kinds) == len(event["oneOf"]), "two event kinds share a name"
        rest = {key: value for key, value in schema["properties"].items() if key != "events"}
        self.rest = validator_class({**schema, "properties": rest})

    def fits(self, result: Any) -> bool:
        if not self.rest.is_valid(result):
            return False
        events = result.get("events", [])
        if not isinstance(events, list):
            return False
        for event in events:
            kind = event.get("event") if isinstance(event, dict) else None
            validator = self.kinds.get(kind) if isinstance(kind, str) else None
            if validator is None or not validator.is_valid(event):
                return False
        return True


@functools.lru_cache(maxsize=1)
def action_response_check() -> ActionResponseCheck:
    return ActionResponseCheck()


def validate_once_built(original: Callable[[RemoteAction, dict], bool]) -> Callable[..., bool]:
    @functools.wraps(original)
    def validate(self: RemoteAction, result: dict) -> bool:
        if action_response_check().fits(result):
            return True
        return original(self, result)  # raises jsonschema's ValidationError, worded by Rasa

    return validate
