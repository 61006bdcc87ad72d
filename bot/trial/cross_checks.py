"""What the trial file must hold across its parts, checked when it loads, so a mistake fails at
start-up and never mid-conversation: a rule's condition names an earlier question and a value
it can have, a question's medicine or description is in the lexicon, every citation has a
source. (What one question or criterion must hold by itself is declared in trial_file.py.)"""
from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from bot.trial.trial_file import ANSWER_VALUES, HANDOFF_TOPIC, NUMERIC_KINDS
from bot.understanding.lexicon import load_lexicon

if TYPE_CHECKING:
    from bot.trial.model import Condition, Question, Trial


def _check_condition(condition: Condition, asked: Mapping[str, Question], where: str) -> None:
    """A condition must name a question asked earlier, with a value that question can have."""
    question = asked.get(condition.question)
    if question is None:
        raise ValueError(f"{where}: no earlier question called {condition.question!r}")
    allowed = ANSWER_VALUES[question.kind]
    numeric = condition.at_least is not None or condition.less_than is not None
    if numeric and question.kind not in NUMERIC_KINDS:
        raise ValueError(f"{where}: {question.id} is a {question.kind} question, not a number")
    for value in condition.values:
        is_number = isinstance(value, (int, float))
        if is_number and question.kind in NUMERIC_KINDS:
            continue
        if allowed is None or value not in allowed:
            raise ValueError(f"{where}: {question.id} ({question.kind}) cannot be {value!r}")


def check_screening(trial: Trial) -> None:
    """Fail at load time, not mid-conversation, when a rule or a question points at something
    that is not there: an earlier question, a lexicon group or description. (What one question
    or criterion must hold by itself is declared in bot/trial/trial_file.py.)"""
    screening = trial.screening
    if screening is None:
        if any(c.rule for c in trial.criteria):
            raise ValueError(f"trial {trial.id} has criteria rules but no screening questions")
        return
    lexicon = load_lexicon()
    groups = {
        "medicine": {t.group for t in lexicon.terms["medication"].values()},
        "condition": {t.group for t in lexicon.terms["condition"].values()},
    }
    asked: dict[str, Question] = {}
    for question in screening.questions:
        where = f"question {question.id}"
        if question.id in asked:
            raise ValueError(f"{where}: id used twice")
        for field_name in ("medicine", "condition"):
            group = getattr(question, field_name)
            if group is not None and group not in groups[field_name]:
                raise ValueError(f"{where}: {field_name} {group!r} is not a group in data/lexicon.yml")
        for described in question.described_by:
            if described.kind not in lexicon.description_kinds():
                raise ValueError(f"{where}: described_by {described.kind!r} is not a description in data/lexicon.yml")
        for condition in question.when:
            _check_condition(condition, asked, where)
        asked[question.id] = question
    for criterion in trial.criteria:
        for case in criterion.rule:
            for condition in case.when:
                _check_condition(condition, asked, f"criterion {criterion.id}")


def check_references(trial: Trial) -> None:
    """Fail at load time, not mid-conversation, when a citation points nowhere."""
    cited = [k for t in trial.topics.values() for k in t.sources]
    cited += [k for m in trial.medications.values() for k in m.sources]
    cited += [c.source for c in trial.criteria]
    missing = sorted(set(cited) - set(trial.sources))
    if missing:
        raise ValueError(f"trial {trial.id} cites unknown sources: {missing}")
    if "other" not in trial.medications:
        raise ValueError(f"trial {trial.id} needs a medications.other rule")
    if HANDOFF_TOPIC not in trial.topics:
        raise ValueError(f"trial {trial.id} needs a topics.{HANDOFF_TOPIC} answer: hand-offs give it")
