"""What the pre-screen remembers between turns, what it says, and the changes to that memory
every part of the conversation shares (the questions begin; the answers shown)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from bot.prescreen.answer_display import display_value
from bot.prescreen.questions import initial_answers, next_question
from bot.prescreen.subject import Subject
from bot.trial.model import Question, Trial
from bot.messages import WORDS

# Stages; the last four end the form.
CONSENT, FOR_WHOM, ASKING, RULED_OUT = "consent", "for_whom", "asking", "ruled_out"
REVIEW = "review"  # every question answered: the person checks the answers before the result
DONE, DECLINED, STOPPED, DELETE_REQUESTED = "done", "declined", "stopped", "delete_requested"
FINAL_STAGES = frozenset({DONE, DECLINED, STOPPED, DELETE_REQUESTED})
# Every stage, in the order a pre-screen can pass them: the values of the `prescreen_stage`
# slot that mirrors the stage for Rasa's rules (domain.yml).
STAGES = (CONSENT, FOR_WHOM, ASKING, RULED_OUT, REVIEW, DONE, DECLINED, STOPPED, DELETE_REQUESTED)

# Two messages in a row we could not place are asked again; the third also gives the study
# team's contact route (outside the form, actions/not_understood.py, and at consent and "for whom?";
# an answer to a question is never handed off: see stage_replies/kept_answers.not_read).
MISSES_BEFORE_HANDOFF = 2
# What the form says is named in WORDS (bot/messages.py): data/prescreen_messages.yml.


@dataclass
class Reply:
    """One bot message: text with buttons, a domain response by name, or a custom payload."""

    text: Optional[str] = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    response: Optional[str] = None
    custom: Optional[dict[str, Any]] = None
    # Points the person to the study team: why ("asked" or "repeated_failure"); the adapter
    # records the request for staff.
    handoff: Optional[str] = None


@dataclass
class State:
    """Everything the pre-screen remembers between turns (kept in one Rasa slot)."""

    stage: str = CONSENT
    relation: Optional[str] = None  # how a caregiver named the person; None while unknown
    is_self: Optional[bool] = None
    answers: dict[str, Any] = field(default_factory=dict)
    misses: int = 0
    announced: list[str] = field(default_factory=list)  # criteria already said to rule out
    order: list[str] = field(default_factory=list)  # question ids in the order answered, latest last
    read_backs: int = 0  # answers read back so far: the first one says how to fix it
    screening_id: Optional[str] = None  # the stored record, once the person agreed
    stopped_at: Optional[str] = None  # the stage a "stop" or a pause left, to carry on from

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Optional[dict[str, Any]]) -> "State":
        if not raw:
            return cls()
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def subject(self) -> Subject:
        if self.is_self or self.is_self is None:
            return Subject.self()
        return Subject.from_relation(self.relation)

    @property
    def finished(self) -> bool:
        return self.stage in FINAL_STAGES



def begin_questions(trial: Trial, state: State) -> None:
    state.stage = ASKING
    apply_subject(trial, state)
    state.misses = 0


def apply_subject(trial: Trial, state: State) -> None:
    """Answers the subject gives without asking ("my husband": male), unless already given."""
    state.answers = initial_answers(trial, state.subject()) | state.answers


def current_question(trial: Trial, state: State) -> Optional[Question]:
    return next_question(trial, state.answers) if state.stage == ASKING else None


def button(title: str) -> dict[str, str]:
    # The payload is the title itself: it is read like typed text, on every channel.
    return {"title": title, "payload": title}


CARRY_ON_PAYLOAD = "/resume_prescreen"




def answers_list(trial: Trial, answers: dict[str, Any]) -> str:
    """One line per answer, in the form's order: "- Age: 54"."""
    assert trial.screening is not None
    return "\n".join(
        f"- {q.label}: {display_value(q, answers[q.id])}" for q in trial.screening.questions if q.id in answers
    )


def answers_summary(trial: Trial, answers: dict[str, Any]) -> str:
    """The answers in plain words, for "show my answers"."""
    if not answers:
        return WORDS["no_answers"]
    return "\n".join([WORDS["your_answers"], answers_list(trial, answers)])


