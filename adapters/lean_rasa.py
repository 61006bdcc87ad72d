"""Six per-message costs of Rasa 3.6 that buy nothing, removed without changing what Rasa does.

Measured with a sampling profile of the Rasa server under load (`make bench`; README, "Speed"):

- **Checking an action server's answer** took 20 ms a call, up to half of the server's CPU
  under 30 pre-screens at once. `RemoteAction._validate_action_result` calls
  `jsonschema.validate`, which checks the schema itself against the JSON Schema metaschema and
  builds a new validator on every call, then tries each event against all 23 event kinds. The
  schema never changes, so it is checked once, and each event is checked against the one kind
  its "event" field names (`ActionResponseCheck`, the same verdict): 0.1 ms a call. A bad
  answer still raises Rasa's own error with Rasa's own message.
- **Reading stored events** looks each event's type up by walking every subclass of `Event`
  (`Event.resolve_by_type`), for every event of the conversation at every turn. A type name,
  once found, always names the same class, so the answer is kept per name; unknown names still
  go the long way (and fail the same way).
- **Running the model's graph** (NLU for each message, the policies for each prediction) went
  through dask's scheduler, which plans the same small graph again at every call: 9% of the
  server's CPU was dask itself. The same nodes now run in the same dependency order from a plan
  made once per set of targets, each given the same inputs as under dask (a needed name that
  no node makes is passed as the name itself, as dask passes it).
- **Calling the action server** opened a new HTTP client session and a new TCP connection for
  every action (`EndpointConfig.session`), 17% of the server's CPU under load. Each endpoint
  now keeps one session per event loop, whose connections are kept alive and reused (aiohttp
  drops one the server closed, and closes its own after 15 idle seconds, well before the
  action server's keep-alive ends). Requests, headers, token, timeouts and errors are Rasa's;
  the tracker sent and the answer read are the same JSON, written and read with ujson.
- **The dialogue's states for the policies** (`DialogueStateTracker.past_states`) replay the
  whole conversation, and the rule and memoization policies ask for them three times for one
  prediction: twice alike, once without the turns only rules have. Both lists now come from
  one replay (`_both_ways`, Rasa's `Domain.states_for_tracker_history` for both at once), kept
  until the tracker's events change; each caller gets its own copy, as callers change theirs.
  The applied events (`applied_events`, asked for by the session check, the states and the
  forms at every turn, each time a pass over every event that undoes earlier loop turns) go
  on from where they were last asked while the tracker only gains events.
- **Copies for debug logs nobody reads**: the processor and the rule and memoization policies
  deep-copy events and states at every turn as arguments of `structlogger.debug`, evaluated
  even when debug logging is off (4% of the server's time). In those three modules, whose every
  `copy.deepcopy` is such an argument (tests/unit/test_lean_rasa.py reads their source),
  `deepcopy` copies only while their logger is on at DEBUG.

Rasa 3.6 is maintenance-only, so these private names will not move under us; the tests
(tests/unit/test_lean_rasa.py) fail if they do. `install()` is called by the modules the Rasa
server loads from our configuration (the channels and the tracker store).
"""
from __future__ import annotations

import asyncio
import copy
import functools
import gc
import importlib
import itertools
import logging
from typing import Any, Callable, Iterable, Optional

import aiohttp

from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from adapters import fast_json

_installed = False
DASK_RUN = DaskGraphRunner.run  # Rasa's own, kept for the tests that compare the two
PAST_STATES = DialogueStateTracker.past_states
APPLIED_EVENTS = DialogueStateTracker.applied_events


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


def _validate_once_built(original: Callable[[RemoteAction, dict], bool]) -> Callable[..., bool]:
    @functools.wraps(original)
    def validate(self: RemoteAction, result: dict) -> bool:
        if action_response_check().fits(result):
            return True
        return original(self, result)  # raises jsonschema's ValidationError, worded by Rasa

    return validate


def _resolve_known_types(original: Callable[..., Optional[type]]) -> Callable[..., Optional[type]]:
    found: dict[str, type] = {}

    @functools.wraps(original)
    def resolve_by_type(type_name: str, default: Optional[type] = None) -> Optional[type]:
        known = found.get(type_name)
        if known is not None:
            return known
        resolved = original(type_name, default)
        if resolved is not None and getattr(resolved, "type_name", None) == type_name:
            found[type_name] = resolved
        return resolved

    return resolve_by_type


def _plan(runner: DaskGraphRunner, targets: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """The nodes the targets need, each after the nodes it needs, with the names it takes."""
    plans = runner.__dict__.setdefault("_lean_plans", {})
    if targets not in plans:
        nodes = runner._graph_schema.minimal_graph_schema(list(targets)).nodes
        order: list[tuple[str, list[str]]] = []
        placed: set[str] = set()

        def place(name: str) -> None:
            if name in placed or name not in nodes:
                return
            placed.add(name)
            needs = list(nodes[name].needs.values())
            for need in needs:
                place(need)
            order.append((name, needs))

        for target in targets:
            place(target)
        plans[targets] = order
    return plans[targets]


def run_in_order(
    self: DaskGraphRunner, inputs: Optional[dict[str, Any]] = None, targets: Optional[list[str]] = None
) -> dict[str, Any]:
    """`DaskGraphRunner.run` without dask: the same nodes, inputs, results and errors."""
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    plan = _plan(self, run_targets)
    results: dict[str, Any] = {}
    graph_names = {name for name, _ in plan}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and (value in graph_names or value in results):
            raise GraphRunError(f"Input value '{value}' clashes with a node name. Make sure "
                                "that none of the input names passed to the `run` method are "
                                "the same as node names in the graph schema.")
        results[name] = (name, value)
    try:
        for name, needs in plan:
            if inputs and name in inputs:  # an input named as a node stands in for it, as in dask
                continue
            node = self._instantiated_nodes[name]
            results[name] = node(*(results.get(need, need) for need in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(results[target] for target in run_targets)


class _FastJsonResponse(aiohttp.ClientResponse):
    """The action server's answer, read with ujson (adapters/fast_json.py)."""

    async def json(self, *, loads: Callable[[str], Any] = fast_json.loads, **kwargs: Any) -> Any:
        return await super().json(loads=loads, **kwargs)


class _KeptSession:
    """What `async with endpoint.session()` gives: the kept session, left open afterwards."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_: Any) -> None:
        return None


_sessions: dict[tuple, tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = {}


def kept_session(self: EndpointConfig) -> _KeptSession:
    """`EndpointConfig.session`, made once per endpoint settings and event loop."""
    auth = (aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth else None)
    loop = asyncio.get_running_loop()
    key = (self.url, repr(sorted((self.headers or {}).items())), repr(auth))
    kept_loop, session = _sessions.get(key, (None, None))
    if session is None or session.closed or kept_loop is not loop:
        session = aiohttp.ClientSession(headers=self.headers, auth=auth,
                                        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                        json_serialize=fast_json.dumps, response_class=_FastJsonResponse)
        _sessions[key] = (loop, session)
    return _KeptSession(session)


def freeze_loaded_objects() -> None:
    """Leaves what is loaded at start (Rasa, TensorFlow's modules, the model) out of Python's
    garbage collection: it lives as long as the server, and each full collection walked all of
    it again (8% of the server's time under load)."""
    gc.collect()
    gc.freeze()


async def close_kept_sessions() -> None:
    """Closes the sessions kept on the running loop (the Rasa server calls it when it stops)."""
    loop = asyncio.get_running_loop()
    for key, (kept_loop, session) in list(_sessions.items()):
        if kept_loop is loop:
            del _sessions[key]
            await session.close()


def _both_ways(tracker: DialogueStateTracker, domain: Any, omit_unset_slots: bool,
               rule_only_data: Any) -> tuple[list, list]:
    """Rasa's `Domain.states_for_tracker_history` with and without the rule-only turns, from
    one replay of the conversation (the rule policy asks for both in every prediction)."""
    plain: list = []
    for_ml: list = []
    last_ml_action_sub_state = None
    turn_was_hidden = False
    for prior, hide_rule_turn in tracker.generate_all_prior_trackers():
        state = domain.get_active_state(prior, omit_unset_slots=omit_unset_slots)
        if not turn_was_hidden:
            last_ml_action_sub_state = domain._get_prev_action_sub_state(prior)
        if not prior.followup_action and not prior.latest_action_name == prior.active_loop_name:
            turn_was_hidden = hide_rule_turn
        if not turn_was_hidden:
            ml_state = {part: dict(sub) if isinstance(sub, dict) else sub for part, sub in state.items()}
            domain._remove_rule_only_features(ml_state, rule_only_data)
            if for_ml:
                domain._substitute_rule_only_user_input(ml_state, for_ml[-1])
            if last_ml_action_sub_state:
                ml_state[PREVIOUS_ACTION] = last_ml_action_sub_state
            for_ml.append(domain._clean_state(ml_state))
        plain.append(domain._clean_state(state))
    return plain, for_ml


def _frozen(rule_only_data: Any) -> Any:
    """The rule-only slots and loops as a key (the rule policy builds a new dict each time)."""
    if not isinstance(rule_only_data, dict):
        return rule_only_data
    return tuple((key, tuple(values)) for key, values in sorted(rule_only_data.items()))


def _states_once(original: Callable[..., list]) -> Callable[..., list]:
    @functools.wraps(original)
    def past_states(self: DialogueStateTracker, domain: Any, omit_unset_slots: bool = False,
                    ignore_rule_only_turns: bool = False, rule_only_data: Any = None) -> list:
        events = self.events
        version = (len(events), id(events[-1]) if events else None, id(domain))
        known = self.__dict__.get("_lean_states")
        if known is None or known[0] != version:
            known = (version, {})
            self.__dict__["_lean_states"] = known
        key = (omit_unset_slots, _frozen(rule_only_data))
        if key not in known[1]:
            known[1][key] = _both_ways(self, domain, omit_unset_slots, rule_only_data)
        states = known[1][key][1 if ignore_rule_only_turns else 0]
        return [{part: dict(value) for part, value in state.items()} for state in states]

    return past_states


def _fold(tracker: DialogueStateTracker, events: Iterable[Event], applied: list,
          loop_names: frozenset) -> None:
    """Rasa's `applied_events` loop (3.6.21), over `events`, onto `applied` (changed in place)."""
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


def _loop_names(events: Iterable[Event]) -> frozenset:
    return frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)


def applied_events(self: DialogueStateTracker) -> list:
    """`DialogueStateTracker.applied_events`, carried on from where it was last asked.

    Rasa's loop decides each event from the events applied before it and the names of the
    loops the conversation ever activates, so when the tracker has only gained events and
    they activate no new loop, the loop goes on from the kept result. Anything else (a first
    loop, a tracker whose events were replaced) starts it again from the first event.
    """
    events = self.events
    count = len(events)
    known = self.__dict__.get("_lean_applied")
    if known is not None:
        done, last, names, applied = known
        if done == count and (count == 0 or events[-1] is last):
            return list(applied)
        if 0 < done < count and events[done - 1] is last:
            gained = list(itertools.islice(events, done, count))
            if _loop_names(gained) <= names:
                _fold(self, gained, applied, names)
                self.__dict__["_lean_applied"] = (count, events[-1], names, applied)
                return list(applied)
    names = _loop_names(events)
    applied = []
    _fold(self, events, applied, names)
    self.__dict__["_lean_applied"] = (count, events[-1] if count else None, names, applied)
    return list(applied)


DEBUG_LOG_COPIES = ("rasa.core.processor", "rasa.core.policies.rule_policy",
                    "rasa.core.policies.memoization")


class CopiesForDebugLogsOnly:
    """The `copy` module, as a module whose deep copies only feed its debug logs sees it."""

    def __init__(self, logger_name: str) -> None:
        self._logger = logging.getLogger(logger_name)

    def deepcopy(self, value: Any, memo: Optional[dict] = None) -> Any:
        return copy.deepcopy(value, memo) if self._logger.isEnabledFor(logging.DEBUG) else value

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def install() -> None:
    """Puts all six in place in this process (once; later calls do nothing)."""
    global _installed
    if _installed:
        return
    RemoteAction._validate_action_result = _validate_once_built(  # type: ignore[assignment]
        RemoteAction._validate_action_result
    )
    original: Any = Event.__dict__["resolve_by_type"].__func__
    Event.resolve_by_type = staticmethod(_resolve_known_types(original))  # type: ignore[assignment]
    DaskGraphRunner.run = run_in_order  # type: ignore[assignment]
    EndpointConfig.session = kept_session  # type: ignore[assignment]
    DialogueStateTracker.past_states = _states_once(  # type: ignore[assignment]
        DialogueStateTracker.past_states
    )
    DialogueStateTracker.applied_events = applied_events  # type: ignore[assignment]
    for name in DEBUG_LOG_COPIES:
        importlib.import_module(name).copy = CopiesForDebugLogsOnly(name)  # type: ignore[attr-defined]
    _installed = True
