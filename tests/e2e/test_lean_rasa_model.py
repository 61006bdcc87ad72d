"""The trained model gives the same understanding and the same next actions when its graph runs
in order (adapters/lean_rasa/graph_in_order.py) as when dask runs it, message by message and turn by turn."""
from __future__ import annotations

import asyncio
import logging

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from adapters.lean_rasa.dialogue_states import APPLIED_EVENTS, PAST_STATES
from adapters.lean_rasa.graph_in_order import DASK_RUN, run_in_order
from bot.paths import MODEL_FILE

MESSAGES = [
    "is it still recruiting?", "who pays, and where is it?", "my husband was just diagnosed",
    "am i eligible", "Yes, I agree", "58", "asdfgh", "I take Rilutek twice a day", "",
]


@pytest.fixture(scope="module")
def agent() -> Agent:
    logging.getLogger("rasa").setLevel(logging.WARNING)
    return Agent.load(str(MODEL_FILE))


def run_both(runner: DaskGraphRunner, inputs: dict, targets: list[str]) -> tuple:
    return DASK_RUN(runner, inputs=inputs, targets=targets), \
        run_in_order(runner, inputs=inputs, targets=targets)


def test_messages_are_understood_the_same(agent: Agent) -> None:
    runner, target = agent.processor.graph_runner, agent.processor.model_metadata.nlu_target
    tracker = DialogueStateTracker("rest:someone", agent.domain.slots)
    for text in MESSAGES:
        by_dask, in_order = (
            result[target][0].as_dict()
            for result in run_both(runner, {"__message__": [UserMessage(text)],
                                            "__tracker__": tracker}, [target])
        )
        assert in_order == by_dask, text


def test_each_turn_predicts_the_same_next_action(agent: Agent) -> None:
    runner, target = agent.processor.graph_runner, agent.processor.model_metadata.core_target
    tracker = DialogueStateTracker("rest:someone", agent.domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    for text in MESSAGES:
        parsed = asyncio.run(agent.parse_message(text))
        tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parse_data=parsed))
        by_dask, in_order = (result[target] for result in run_both(runner, {"__tracker__": tracker}, [target]))
        assert (in_order.probabilities, in_order.policy_name, in_order.events) == \
               (by_dask.probabilities, by_dask.policy_name, by_dask.events), text
        tracker.update(ActionExecuted(agent.domain.action_names_or_texts[in_order.max_confidence_index]))
        tracker.update(ActionExecuted("action_listen"))


def test_the_policies_see_the_same_states_each_time(agent: Agent) -> None:
    """The states asked for twice in one prediction are the first answer's copy, and a policy
    that changes its copy changes nothing for the next one."""
    tracker = DialogueStateTracker("rest:someone", agent.domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    rules = {"rule_only_slots": ["prescreen"], "rule_only_loops": []}
    for text in MESSAGES[:5]:
        parsed = asyncio.run(agent.parse_message(text))
        tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parse_data=parsed))
        for ignore_rule_only_turns in (False, True):
            expected = PAST_STATES(tracker, agent.domain, False, ignore_rule_only_turns, None)
            first = tracker.past_states(agent.domain, ignore_rule_only_turns=ignore_rule_only_turns)
            assert first == expected
            first[-1].clear()
            for state in first[:-1]:
                state.get("user", {}).clear()
            assert tracker.past_states(agent.domain, ignore_rule_only_turns=ignore_rule_only_turns) == expected
        assert tracker.past_states(agent.domain, rule_only_data=rules) == \
            PAST_STATES(tracker, agent.domain, False, False, rules)
        tracker.update(ActionExecuted("action_answer_question"))
        tracker.update(ActionExecuted("action_listen"))


def test_states_of_a_whole_real_pre_screen_are_rasas_own(agent: Agent, servers: dict) -> None:
    """Every prediction point of a real conversation (a pre-screen with a rule-out, a question
    in the middle, the review and the result, as stored by the session's servers): both lists
    of states, from one replay, are those Rasa's own code gives."""
    import threading

    from rasa.core.policies.rule_policy import RulePolicy

    from adapters.tracker_store import ForgetfulSQLTrackerStore
    from bench import prescreens

    outcome = prescreens.prescreen(servers["rasa"], "likely_not_eligible", threading.Barrier(1))
    assert outcome.verdict == "likely_not_eligible", outcome
    store = ForgetfulSQLTrackerStore(domain=agent.domain, db=str(servers["tracker_db"]))
    events = list(asyncio.run(store.retrieve("rest:" + outcome.sender)).events)
    store.engine.dispose()
    rules = next(node._component for node in agent.processor.graph_runner._instantiated_nodes.values()
                 if isinstance(getattr(node, "_component", None), RulePolicy))._get_rule_only_data()
    points = [i for i, event in enumerate(events) if isinstance(event, ActionExecuted)]
    assert len(points) > 30
    for end in points:
        tracker = DialogueStateTracker.from_events("rest:x", events[:end], agent.domain.slots)
        for hidden in (False, True):
            assert tracker.past_states(agent.domain, False, hidden, rules) == \
                PAST_STATES(tracker, agent.domain, False, hidden, rules), (end, hidden)
        applied = tracker.applied_events()
        assert applied == APPLIED_EVENTS(tracker)
        applied.clear()  # a caller's own list
        assert tracker.applied_events() == APPLIED_EVENTS(tracker)
    # One tracker gaining the events one by one, asked after each: carried on, it is Rasa's.
    growing = DialogueStateTracker("rest:x", agent.domain.slots)
    for count, event in enumerate(events, start=1):
        growing.update(event)
        assert growing.applied_events() == APPLIED_EVENTS(
            DialogueStateTracker.from_events("rest:x", events[:count], agent.domain.slots)), count
