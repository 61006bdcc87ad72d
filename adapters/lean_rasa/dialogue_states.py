"""The dialogue's states for the policies (`DialogueStateTracker.past_states`) replay the
whole conversation, and the rule and memoization policies ask for them three times for one
prediction: twice alike, once without the turns only rules have. Both lists now come from
one replay (`_both_ways`, Rasa's `Domain.states_for_tracker_history` for both at once), kept
until the tracker's events change; each caller gets its own copy, as callers change theirs.
The applied events (`applied_events`, asked for by the session check, the states and the
forms at every turn, each time a pass over every event that undoes earlier loop turns) go
on from where they were last asked while the tracker only gains events.
"""
from __future__ import annotations

import functools
import itertools
from typing import Any, Callable, Iterable

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

# Rasa's own, kept for the tests that compare the two.
PAST_STATES = DialogueStateTracker.past_states
APPLIED_EVENTS = DialogueStateTracker.applied_events


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


def states_once(original: Callable[..., list]) -> Callable[..., list]:
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
