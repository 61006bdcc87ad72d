"""One driver for a whole pre-screen, whatever carries the messages.

A conversation says where the pre-screen stands (a question's id, the rule-out notice, the
review, or the end) and takes the person's next message; `answer_all` answers each question
from a set of answers and presses the button that goes on at the rule-out and the review, as
a person would. The unit tests drive `screening.step` (`Chat`, for any trial file), the action
tests drive the Rasa actions, the e2e tests drive REST; each only says where it stands. Where a
pre-screen over REST stands is read from the bot's messages one way (`where_in`), for the e2e
tests and for the load test and `make bench` (bench/prescreens.py).
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any, Mapping, Optional, Protocol

from bot.prescreen import screening
from bot.prescreen.eligibility import evaluate
from bot.prescreen.kinds import read_answer
from bot.prescreen.questions import wording
from bot.prescreen.subject import Subject
from bot.prescreen.form_requests import Turn
from bot.prescreen.state import ASKING, REVIEW, RULED_OUT, Reply, State, current_question
from bot.trial.loading import load_trial
from bot.trial.model import Question, Trial
from bot.understanding.reading import read_reply

# Answers, by question id, that keep a 54-year-old man with ALS in the running for
# NCT03268603, typed as people type them. The questions a man is not asked, or only asked
# after another answer, are here too, so any path through the form has its answer.
ELIGIBLE_MAN: dict[str, str] = {
    "diagnosed": "yes",
    "other_causes_ruled_out": "yes they did an emg",
    "weakness_started": "about a year and a half ago",
    "age": "I'm 54",
    "sex": "male",
    "past_childbearing": "yes",
    "us_resident": "yes",
    "can_travel": "Yes",
    "riluzole_taking": "I take Rilutek twice a day",
    "riluzole_stable": "yes same dose",
    "riluzole_recent": "no",
    "autoimmune": "no",
    "other_drug_trial": "nope",
    "breathing_support": "no",
    "edaravone_recent": "never took it",
    "immunosuppressant_recent": "No",
}

# The same man's answers as the pre-screen stores them (read, not typed), his weakness at 12
# months: for the tests that put answers to the eligibility rules without a conversation.
FIT_MAN: dict[str, Any] = {
    "diagnosed": "yes",
    "other_causes_ruled_out": "yes",
    "weakness_started": 12.0,
    "age": 54,
    "sex": "male",
    "us_resident": "yes",
    "can_travel": "yes",
    "riluzole_taking": "yes",
    "riluzole_stable": "yes",
    "autoimmune": "no",
    "other_drug_trial": "no",
    "breathing_support": "none",
    "edaravone_recent": "no",
    "immunosuppressant_recent": "no",
}

# The day the reading tests count "a month ago" from.
READING_DAY = date(2025, 6, 15)


def question_of(trial: Trial, question_id: str) -> Question:
    """The trial's question by id; the test fails, naming it, when the trial has no such question."""
    assert trial.screening is not None
    found = trial.screening.question(question_id)
    assert found is not None, question_id
    return found


def read_to(trial: Trial, question_id: str, text: str, today: date = READING_DAY) -> Any:
    """What one reply answers to one of the trial's questions, read as the pre-screen reads it."""
    return read_answer(question_of(trial, question_id), read_reply(text, today))


def read_surely(trial: Trial, question_id: str, text: str, today: date = READING_DAY) -> Any:
    """`read_to`, for a reply that must be read: the test fails, naming it, when it is not."""
    value = read_to(trial, question_id, text, today)
    assert value is not None, f"{text!r} was not read at all"
    return value


def status_of(trial: Trial, answers: Mapping[str, Any], criterion_id: str) -> str:
    """The status the trial's criterion gets from these answers."""
    return next(r.status for r in evaluate(trial, dict(answers)) if r.id == criterion_id)


def status_after(trial: Trial, question_id: str, text: str, criterion_id: str,
                 today: date = READING_DAY, **context: Any) -> str:
    """The criterion's status once `text` answers `question_id` (read, as the pre-screen reads
    it), the rest of FIT_MAN's answers and `context` kept; None in `context` removes an answer."""
    answers = {**FIT_MAN, **context, question_id: read_surely(trial, question_id, text, today)}
    return status_of(trial, {k: v for k, v in answers.items() if v is not None}, criterion_id)


FINISHED = "finished"
# What a person presses where the pre-screen waits for them to go on, by stage.
GO_ON = {RULED_OUT: "Finish the questions", REVIEW: "Yes, show the result"}


class Conversation(Protocol):
    def where(self) -> str:
        """A question's id, a stage of GO_ON, or FINISHED."""

    def say(self, text: str) -> Any:
        """Sends the person's message."""


def next_said(where: Optional[str], answers: Mapping[str, str]) -> Optional[str]:
    """What a person says where the pre-screen stands: the answer to the question asked, or the
    button that goes on; None when it is finished or asks what `answers` do not hold."""
    if where is None or where == FINISHED:
        return None
    if where in GO_ON:
        return GO_ON[where]
    return answers.get(where)


def answer_all(conversation: Conversation, answers: Mapping[str, str], limit: int = 40) -> None:
    """Answers to the end of the pre-screen, from `answers`, going on where it waits."""
    for _ in range(limit):
        where = conversation.where()
        if where == FINISHED:
            return
        said = next_said(where, answers)
        assert said is not None, f"unexpected question {where!r}"
        conversation.say(said)
    raise AssertionError(f"the pre-screen did not end in {limit} messages")


# --- the bot's messages over REST, read as a person reads them --------------------------------


def text_of(messages: list[dict]) -> str:
    """What the messages say, a line each."""
    return "\n".join(m.get("text") or "" for m in messages)


def button_titles(messages: list[dict]) -> list[str]:
    return [b.get("title") for m in messages for b in m.get("buttons") or []]


def result_of(messages: list[dict]) -> Optional[dict]:
    """The result the web page shows (its `eligibility_result` payload), once the bot sends it."""
    return next((m["custom"] for m in messages
                 if (m.get("custom") or {}).get("type") == "eligibility_result"), None)


def asked_question(messages: list[dict], subject: Subject, trial: Optional[Trial] = None) -> Optional[str]:
    """The id of the pre-screen question in the messages (worded for `subject`), if any."""
    text = text_of(messages)
    questions = (trial or load_trial()).screening.questions  # type: ignore[union-attr]
    return next((q.id for q in questions if wording(q, subject) in text), None)


def where_in(messages: list[dict], subject: Subject, trial: Optional[Trial] = None) -> Optional[str]:
    """Where a pre-screen stands after these messages: FINISHED at the result, the question
    asked, the stage of GO_ON whose button is shown; None when they show none of these."""
    if result_of(messages) is not None:
        return FINISHED
    question = asked_question(messages, subject, trial)
    if question is not None:
        return question
    titles = button_titles(messages)
    return next((stage for stage, title in GO_ON.items() if title in titles), None)


class Chat:
    """One pre-screen of `trial` through `screening.step`; the state goes through JSON between
    turns, as it does in the Rasa slot."""

    def __init__(self, trial: Trial, today: date, opening: str = "Can I join the study?",
                 eligible: Optional[Mapping[str, str]] = None) -> None:
        self.trial, self.today = trial, today
        self.eligible = dict(ELIGIBLE_MAN if eligible is None else eligible)
        self._state = json.dumps(screening.start(trial, opening).to_dict())
        self.asked: list[str] = []  # question ids, in the order they were put to the person
        self.replies: list[Reply] = []
        self.prompt: Optional[Reply] = self._prompt()

    @property
    def state(self) -> State:
        return State.from_dict(json.loads(self._state))

    @property
    def question(self) -> Optional[str]:
        found = current_question(self.trial, self.state)
        return found.id if found else None

    @property
    def answers(self) -> dict[str, Any]:
        return self.state.answers

    def where(self) -> str:
        state = self.state
        if state.finished:
            return FINISHED
        if state.stage in GO_ON:
            return state.stage
        assert self.question is not None, state
        return self.question

    def _prompt(self) -> Optional[Reply]:
        state = self.state
        if state.finished:
            return None
        if state.stage == ASKING and (not self.asked or self.asked[-1] != self.question):
            self.asked.append(self.question)  # type: ignore[arg-type]
        return screening.prompt(self.trial, state)

    def say(self, text: str, intent: str = "", confidence: float = 0.0,
            topics: tuple[str, ...] = ()) -> list[Reply]:
        """The person's message, as NLU saw it (its intent, and the topics it asks about)."""
        state = self.state
        self.replies = screening.step(self.trial, state, Turn(text, intent, confidence, topics), self.today)
        self._state = json.dumps(state.to_dict())
        self.prompt = self._prompt()
        return self.replies

    def said(self) -> str:
        """Everything the bot says after the last message, the next prompt included."""
        parts = [r.text or r.response or "" for r in self.replies]
        if self.prompt is not None:
            parts.append(self.prompt.text or "")
        return "\n".join(parts)

    def buttons(self) -> list[str]:
        return [b["title"] for b in (self.prompt.buttons if self.prompt else [])]

    def agree(self) -> "Chat":
        self.say("Yes, I agree")
        return self

    def answer_until(self, question_id: str, answers: Optional[Mapping[str, str]] = None) -> "Chat":
        """Answers each question from `answers` (else the eligible answers) until `question_id` is asked."""
        given = {**self.eligible, **(answers or {})}
        while self.question != question_id:
            assert self.question is not None, f"{question_id} was never asked; asked {self.asked}"
            self.say(given[self.question])
        return self

    def answer_all(self, answers: Optional[Mapping[str, str]] = None) -> "Chat":
        """Answers to the end: from `answers` first, else the eligible answers."""
        answer_all(self, {**self.eligible, **(answers or {})})
        return self
