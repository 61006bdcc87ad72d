"""Six per-message costs of Rasa 3.6 that buy nothing, removed without changing what Rasa does.

Measured with a sampling profile of the Rasa server under load (`make bench`; README, "Speed").
A module per cost, each saying what it cost and what stands in for it:

- `action_answers.py`: checking an action server's answer against Rasa's schema;
- `event_types.py`: finding a stored event's class by its type name;
- `graph_in_order.py`: running the model's graph without dask's scheduler;
- `kept_sessions.py`: one HTTP session per action-server endpoint, kept;
- `dialogue_states.py`: the policies' dialogue states and the applied events, replayed once;
- `debug_log_copies.py`: deep copies made only for debug logs that are off.

Rasa 3.6 is maintenance-only, so these private names will not move under us; the tests
(tests/unit/test_lean_rasa.py) fail if they do. `install()` is called by the modules the Rasa
server loads from our configuration (the channels and the tracker store).
"""
from __future__ import annotations

import importlib
from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from adapters.lean_rasa.action_answers import validate_once_built
from adapters.lean_rasa.debug_log_copies import DEBUG_LOG_COPIES, CopiesForDebugLogsOnly
from adapters.lean_rasa.dialogue_states import applied_events, states_once
from adapters.lean_rasa.event_types import resolve_known_types
from adapters.lean_rasa.graph_in_order import run_in_order
from adapters.lean_rasa.kept_sessions import kept_session

_installed = False


def install() -> None:
    """Puts all six in place in this process (once; later calls do nothing)."""
    global _installed
    if _installed:
        return
    RemoteAction._validate_action_result = validate_once_built(  # type: ignore[assignment]
        RemoteAction._validate_action_result
    )
    original: Any = Event.__dict__["resolve_by_type"].__func__
    Event.resolve_by_type = staticmethod(resolve_known_types(original))  # type: ignore[assignment]
    DaskGraphRunner.run = run_in_order  # type: ignore[assignment]
    EndpointConfig.session = kept_session  # type: ignore[assignment]
    DialogueStateTracker.past_states = states_once(  # type: ignore[assignment]
        DialogueStateTracker.past_states
    )
    DialogueStateTracker.applied_events = applied_events  # type: ignore[assignment]
    for name in DEBUG_LOG_COPIES:
        importlib.import_module(name).copy = CopiesForDebugLogsOnly(name)  # type: ignore[attr-defined]
    _installed = True
