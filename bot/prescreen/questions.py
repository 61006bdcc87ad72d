"""The pre-screen questions: who they are about, how they are asked, which comes next, which
one a correction names, and how an answer reads back.

The questions themselves (wording, order, when each is asked) live in the trial file's
`screening:` section. Answers are read by their kind's module (bot/prescreen/kinds/) and
stored by question id as normalised values (ANSWER_VALUES in bot/trial/model.py), so the
eligibility rules never see raw text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from bot.messages import WORDS
from bot.understanding.grammar_words import load_grammar_words
from bot.trial.model import Question, Trial, conditions_hold
from bot.understanding.interval import Interval
from bot.understanding.lexicon import load_lexicon
from bot.understanding.plain_text import plain_words
from bot.understanding.reading import Reading

# ---------------------------------------------------------------------------
# Who the questions are about
# ---------------------------------------------------------------------------
# Relation words a caregiver uses ("my husband") are data: data/lexicon.yml `relations`; the
# pronouns' forms are data/grammar_words.yml `people`.


@dataclass(frozen=True)
class Subject:
    """The person the answers are about: the one typing, or someone they care for."""

    is_self: bool
    name: str  # "you", "your husband", "this person"
    they: str
    them: str
    their: str
    implied_sex: Optional[str] = None  # 'male' | 'female' | None: lets the dialogue skip the sex question

    @classmethod
    def self(cls) -> "Subject":
        """The person typing answers for themselves."""
        forms = load_grammar_words().people.self
        return cls(is_self=True, name=forms.name, they=forms.they, them=forms.them, their=forms.their)

    @classmethod
    def from_relation(cls, relation: Optional[str]) -> "Subject":
        """A caregiver's subject from how they name the person ("my husband", "Mom", None)."""
        text = " ".join(re.findall(r"[a-z]+(?:-[a-z]+)*", (relation or "").lower().replace("'", "")))
        relations, people = load_lexicon().relations, load_grammar_words().people
        if text and set(text.split()) <= set(relations["self"]) | set(people.around_self):
            return cls.self()
        if text in people.pronouns:
            return cls._other(WORDS["this_person"], text)  # named only as "he" or "she"
        for pronoun in people.pronouns:
            for word in sorted(relations[pronoun], key=len, reverse=True):
                if re.search(rf"(?<![\w-]){re.escape(word)}s?(?![\w-])", text):
                    return cls._other(WORDS["your_relation"].format(relation=word), pronoun)
        return cls._other(WORDS["this_person"], "they")

    @classmethod
    def _other(cls, name: str, pronoun: str) -> "Subject":
        forms = load_grammar_words().people.pronouns[pronoun]
        return cls(is_self=False, name=name, they=forms.they, them=forms.them, their=forms.their, implied_sex=forms.sex)

    @property
    def named(self) -> bool:
        """Someone else, named by how they are related ("your husband"), not only "this person"."""
        return not self.is_self and self.name != WORDS["this_person"]

    def placeholders(self) -> dict[str, str]:
        """Values for the {name} / {they} ... placeholders of a question's `other` wording."""
        return {
            "name": self.name,
            "Name": _capitalise(self.name),
            "they": self.they,
            "They": _capitalise(self.they),
            "them": self.them,
            "their": self.their,
            "Their": _capitalise(self.their),
        }


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def wording(question: Question, subject: Subject) -> str:
    """The question as this subject should read it."""
    if subject.is_self:
        return _capitalise(question.ask_self)
    return _capitalise(question.ask_other.format_map(subject.placeholders()))


# ---------------------------------------------------------------------------
# Which question comes next
# ---------------------------------------------------------------------------
def _questions(trial: Trial) -> tuple[Question, ...]:
    if trial.screening is None:
        raise ValueError(f"trial {trial.id} has no screening questions")
    return trial.screening.questions


def applies(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether the question is asked, given the answers so far (its `when` holds)."""
    return conditions_hold(question.when, answers)


def next_question(trial: Trial, answers: Mapping[str, Any]) -> Optional[Question]:
    """The first question that applies and has no answer yet; None when the form is done."""
    return next(
        (q for q in _questions(trial) if answers.get(q.id) is None and applies(q, answers)),
        None,
    )


def answers_that_apply(trial: Trial, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers still in force after a correction.

    Changing "takes riluzole" from yes to no drops the "same dose" answer, so
    the dialogue asks the follow-up that now applies instead.
    """
    kept: dict[str, Any] = {}
    for question in _questions(trial):
        if answers.get(question.id) is not None and applies(question, kept):
            kept[question.id] = answers[question.id]
    return kept


def initial_answers(trial: Trial, subject: Subject) -> dict[str, Any]:
    """Answers known before asking: the sex a relation word implies ("my husband")."""
    sex_question = next((q for q in _questions(trial) if q.kind == "sex"), None)
    if sex_question is None or subject.implied_sex is None:
        return {}
    return {sex_question.id: subject.implied_sex}


def _phrase(text: str) -> str:
    """Lowercase words joined by single spaces, padded so ' word ' finds whole words."""
    return " " + " ".join(plain_words(text)) + " "


# Each trial's question keywords in plain words, made once (not once per reply), by the
# identity of its questions; the questions are kept with them so the id is not reused.
_KEYWORDS: dict[int, tuple[tuple[Question, ...], tuple[tuple[tuple[str, str], ...], ...]]] = {}


def _keyword_phrases(questions: tuple[Question, ...]) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Per question, its (keyword, padded plain phrase) pairs."""
    kept = _KEYWORDS.get(id(questions))
    if kept is None or kept[0] is not questions:
        phrases = tuple(
            tuple((k, _phrase(k)) for k in question.keywords if _phrase(k) != "  ") for question in questions
        )
        kept = _KEYWORDS[id(questions)] = (questions, phrases)
    return kept[1]


def find_question_named(trial: Trial, reply: Reading) -> Optional[Question]:
    """The question a correction points at ("change my riluzole answer"), by its keywords.

    Most keywords found wins, then the longest words, then the earlier question.
    A medicine or condition named without a keyword ("the Medrol one") picks the
    first question about its group.
    """
    said = f" {reply.joined} "
    best: Optional[Question] = None
    best_score = (0, 0)
    questions = _questions(trial)
    for question, keywords in zip(questions, _keyword_phrases(questions)):
        hits = [k for k, phrase in keywords if phrase in said]
        score = (len(hits), sum(len(k) for k in hits))
        if score > best_score:
            best, best_score = question, score
    if best is not None:
        return best
    groups = {m.group for m in reply.medications} | {m.group for m in reply.conditions}
    return next((q for q in _questions(trial) if {q.medicine, q.condition} & groups), None)


# ---------------------------------------------------------------------------
# Showing answers back ("show my answers")
# ---------------------------------------------------------------------------
# A word answer no button of its question names (a question the trial file no longer asks).
_VALUE_WORDS = {"yes": "value_yes", "no": "value_no", "unsure": "value_unsure"}


def _said_back(question: Optional[Question], value: str) -> str:
    """A word answer in the words of the button that gives it, so what was tapped is what is read
    back; the trial file says how (its buttons' `title` or `read_back`)."""
    buttons = question.buttons if question is not None else ()
    button = next((b for b in buttons if b.value == value), None)
    if button is not None:
        return button.said_back
    return WORDS[_VALUE_WORDS[value]] if value in _VALUE_WORDS else value


def _months_ago(months: float) -> str:
    if months < 1:
        return WORDS["ago_under_a_month"]
    return WORDS["ago_about"].format(amount=_months_amount(months))


def _months_amount(months: float) -> str:
    """"18 months", "4 years": months under 3 years as months, then years to the half."""
    if months < 36:
        whole = max(1, round(months))
        return WORDS["amount_months" if whole != 1 else "amount_month"].format(count=whole)
    years = round(months / 12 * 2) / 2
    return WORDS["amount_years"].format(count=f"{years:g}")


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def _months_range(interval: Interval) -> str:
    """An interval of months as said back: "18 to 30 months ago", "more than 12 months ago"."""
    low, high = interval.low or 0.0, interval.high
    if high is None:
        return WORDS["ago_more_than"].format(amount=_months_amount(low)) if low >= 1 else WORDS["ago_some_time"]
    if low <= 0:
        return WORDS["ago_less_than"].format(amount=_months_amount(high)) if high >= 1 else WORDS["ago_under_a_month"]
    if high < 1:
        return WORDS["ago_under_a_month"]
    if _months_amount(low) == _months_amount(high):
        return _months_ago((low + high) / 2)
    if low < 36 <= high:
        return WORDS["ago_between"].format(low=WORDS["amount_months"].format(count=round(low)), high=_months_amount(high))
    return WORDS["ago_between"].format(low=_months_amount(low).split()[0], high=_months_amount(high))


def _days(value: float) -> str:
    whole = round(value)
    return WORDS["amount_days" if whole != 1 else "amount_day"].format(count=whole)


def _days_range(interval: Interval) -> str:
    """Days since a last dose as said back: "15 to 46 days ago", "more than 28 days ago"."""
    low, high = interval.low or 0.0, interval.high
    if high is None:
        return WORDS["ago_more_than"].format(amount=_days(low))
    if low <= 0:
        said = WORDS["ago_less_than"] if interval.high_open else WORDS["ago_up_to"]
        return said.format(amount=_days(high))
    if round(low) == round(high):
        return WORDS["ago_about"].format(amount=_days(low))
    return WORDS["ago_between"].format(low=round(low), high=_days(high))


def _age_range(interval: Interval) -> str:
    low, high = interval.low, interval.high
    if high is None:
        return WORDS["age_over" if interval.low_open else "age_or_older"].format(age=_number(low or 0))
    if not low:
        return WORDS["age_under" if interval.high_open else "age_or_younger"].format(age=_number(high))
    return WORDS["age_between"].format(low=_number(low), high=_number(high))


def display_value(question: Optional[Question], value: Any) -> str:
    """An answer as a person reads it back: "Yes", "54", "about 18 months ago", "Not sure".

    `question` None (an answer kept for a question the trial file no longer asks) shows a
    number plainly ("17 to 19", "over 60"), since its unit is no longer known.
    """
    kind = question.kind if question is not None else None
    if value is None:
        return WORDS["not_answered_yet"]
    if isinstance(value, str):
        return _said_back(question, value)
    interval = Interval.from_json(value)
    if interval is None:
        return str(value)
    if kind == "months_since":
        return _months_ago(interval.low) if interval.is_point else _months_range(interval)  # type: ignore[arg-type]
    if kind == "recent_use":
        return _days_range(interval)
    if interval.is_point:
        return _number(interval.low)  # type: ignore[arg-type]
    return _age_range(interval)
