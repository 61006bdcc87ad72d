"""REST: a malformed request gets a 4xx and a failing turn logs nothing of the message.

The app is served as `rasa run` serves it (tests.unit.test_channels.serving); the agent's
message handling raises, as a failing custom action or tracker store would, with the
message's text in the error.
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Callable

import pytest
from rasa.core.channels.channel import UserMessage

from bot.trial.replies import TECHNICAL_PROBLEM

from tests.unit.test_channels import Assistant, env, serving, tracker_db  # noqa: F401


def test_malformed_rest_bodies_get_400_not_500(env: Callable, tracker_db: Path) -> None:  # noqa: F811
    assistant = Assistant(tracker_db)
    bodies = [
        (b"", {"Content-Type": "application/json"}, 400),
        (b"", {}, 415),
        (b"{", {"Content-Type": "application/json"}, 400),
        (b"[]", {"Content-Type": "application/json"}, 400),
        (b'{"sender": "me"}', {"Content-Type": "application/json"}, 400),
        (b'{"sender": "me", "message": 5}', {"Content-Type": "application/json"}, 400),
        (b"\xff\xfe", {"Content-Type": "application/json; charset=utf-8"}, 400),
    ]

    async def scenario() -> list[int]:
        statuses = []
        async with serving(assistant) as (base, session):
            for body, headers, _ in bodies:
                async with session.post(f"{base}/webhooks/rest/webhook", data=body, headers=headers) as answer:
                    statuses.append(answer.status)
        return statuses

    assert asyncio.run(scenario()) == [status for _, _, status in bodies]
    assert assistant.received == []


def test_a_failing_turn_logs_neither_the_message_nor_the_sender(
    env: Callable, tracker_db: Path, caplog: pytest.LogCaptureFixture  # noqa: F811
) -> None:
    caplog.set_level(logging.DEBUG)
    assistant = Assistant(tracker_db)

    async def fail(message: UserMessage) -> None:
        raise RuntimeError(f"could not handle {message.text!r} from {message.sender_id}: "
                           f"body='{{\"text\": \"{message.text}\"}}'")

    assistant.agent.handle_message = fail

    async def scenario() -> None:
        async with serving(assistant) as (base, session):
            async with session.post(f"{base}/webhooks/rest/webhook",
                                    json={"sender": "555-0199-patient", "message": "I was diagnosed in 2021"}) as answer:
                assert answer.status == 200

    asyncio.run(scenario())
    assert "could not be handled" in caplog.text
    for private in ("diagnosed", "555-0199-patient", "rest:555"):
        assert private not in caplog.text


# --- a turn that sends nothing: the action server down, an action failing ----------------------

def _rest_turn(assistant: Assistant, message: str) -> tuple[int, list[dict]]:
    async def scenario() -> tuple[int, list[dict]]:
        async with serving(assistant) as (base, session):
            async with session.post(f"{base}/webhooks/rest/webhook",
                                    json={"sender": "me", "message": message}) as answer:
                return answer.status, await answer.json()

    return asyncio.run(scenario())


def test_a_turn_that_sends_nothing_gets_the_technical_problem_message(
    env: Callable, tracker_db: Path, caplog: pytest.LogCaptureFixture  # noqa: F811
) -> None:
    """Rasa drops a failed action's events and goes on listening: the person would get []."""
    caplog.set_level(logging.DEBUG)
    status, replies = _rest_turn(Assistant(tracker_db), "I was diagnosed in 2021")
    assert status == 200
    assert replies == [{"recipient_id": "me", "text": TECHNICAL_PROBLEM}]
    assert "got no reply" in caplog.text and "diagnosed" not in caplog.text


def test_a_turn_that_fails_gets_the_technical_problem_message(env: Callable, tracker_db: Path) -> None:  # noqa: F811
    assistant = Assistant(tracker_db)

    async def fail(message: UserMessage) -> None:
        raise RuntimeError("the tracker store is down")

    assistant.agent.handle_message = fail
    assert _rest_turn(assistant, "yes")[1] == [{"recipient_id": "me", "text": TECHNICAL_PROBLEM}]


def test_a_turn_with_a_reply_gets_no_technical_problem_message(env: Callable, tracker_db: Path) -> None:  # noqa: F811
    assistant = Assistant(tracker_db, reply={"text": "Have you been diagnosed with ALS?"})
    assert [r["text"] for r in _rest_turn(assistant, "yes")[1]] == ["Have you been diagnosed with ALS?"]


def test_an_emergency_that_gets_no_reply_still_gets_the_emergency_guidance(
    env: Callable, tracker_db: Path  # noqa: F811
) -> None:
    texts = [r["text"] for r in _rest_turn(Assistant(tracker_db), "my husband can't breathe")[1]]
    assert len(texts) == 2 and "911" in texts[0] and texts[1] == TECHNICAL_PROBLEM
