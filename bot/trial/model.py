"""The trial as the code reads it: its topics, criteria and pre-screen questions.

Answers, the topic menu and the pre-screen all read this model, built from one YAML file per
trial under data/trials/ (bot/trial/loading.py), so a second trial is a second file, not new code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Union

from bot.understanding.interval import Interval


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: Optional[str]


@dataclass(frozen=True)
class Topic:
    """A question the assistant answers, with the sources that back the answer."""

    id: str
    title: str
    answer: str
    sources: tuple[str, ...]
    menu: bool = False
    mentions_status: bool = False
    # Joining is on the person's mind: the answer ends with the pre-screen button.
    offers_prescreen: bool = False
    # No trial fact answers it (care, hard news): the answer ends with the topic menu.
    offers_menu: bool = False


@dataclass(frozen=True)
class MedicationRule:
    """What the trial says about one group of medicines (riluzole, edaravone...)."""

    group: str
    answer: str
    sources: tuple[str, ...]


AnswerValue = Union[str, int, float, dict]  # dict: an interval (bot/understanding/interval.py)


@dataclass(frozen=True)
class Condition:
    """One test on an earlier answer: a value, any of several, or a number range."""

    question: str
    values: tuple[AnswerValue, ...] = ()
    at_least: Optional[float] = None
    less_than: Optional[float] = None

    def holds(self, answers: Mapping[str, Any]) -> bool:
        """False when the question is unanswered: nothing is decided on a missing answer.

        A number is an interval (bot/understanding/interval.py; a plain number is a point): a bound
        holds only when the whole interval meets it. "About 2 years" (18-30 months)
        neither holds `less_than: 24` nor `at_least: 24`, so no rule row decides it.
        """
        value = answers.get(self.question)
        if value is None:
            return False
        if self.values:
            return not isinstance(value, dict) and value in self.values
        interval = Interval.from_json(value)
        if interval is None:
            return False
        if self.at_least is not None and not interval.all_at_least(self.at_least):
            return False
        if self.less_than is not None and not interval.all_less_than(self.less_than):
            return False
        return True

    @property
    def is_bound(self) -> bool:
        return self.at_least is not None or self.less_than is not None


def conditions_hold(when: tuple[Condition, ...], answers: Mapping[str, Any]) -> bool:
    """All conditions hold (an empty `when` always holds)."""
    return all(c.holds(answers) for c in when)


@dataclass(frozen=True)
class RuleCase:
    """One row of a criterion's decision table."""

    when: tuple[Condition, ...]
    status: str  # "pass" | "fail" | "unknown"
    reason: str


@dataclass(frozen=True)
class Criterion:
    id: str
    kind: str  # "inclusion" | "exclusion"
    summary: str
    source: str
    known: bool = True
    title: str = ""  # plain name shown to people ("Age", "Lung function (a breathing test)")
    rule: tuple[RuleCase, ...] = ()

    def question_ids(self) -> tuple[str, ...]:
        """The questions this criterion's rule reads, in first-use order."""
        return tuple(dict.fromkeys(c.question for case in self.rule for c in case.when))


@dataclass(frozen=True)
class Button:
    title: str
    value: str
    read_back: Optional[str] = None

    @property
    def said_back(self) -> str:
        """The answer as "show my answers" says it: the button's own words, so what was
        tapped is what is read back."""
        return self.read_back or self.title


@dataclass(frozen=True)
class Question:
    """One pre-screen question; its answers are stored under `id`."""

    id: str
    kind: str
    label: str
    ask_self: str
    ask_other: str
    example: str
    buttons: tuple[Button, ...] = ()
    keywords: tuple[str, ...] = ()
    when: tuple[Condition, ...] = ()
    # recent_use: "recent" means fewer days ago than this; yes_no about the last N days
    # ("in the last 30 days, have you..."): a time said instead of yes or no decides.
    within_days: Optional[int] = None
    medicine: Optional[str] = None  # lexicon medication group the question is about
    condition: Optional[str] = None  # lexicon condition group the question is about
    includes_plans: bool = False  # recent_use: a plan to take it also counts as yes
    # yes_no: phrases that answer the question by restating it ("he was diagnosed last year"):
    # yes when said plainly, no when negated ("he can't travel").
    affirmed_by: tuple[str, ...] = ()
    # yes_no about something staying the same ("same dose for 30 days?"): how long it must have
    # held, so "for 8 months" or "since January" answers; and the words for it changing, so
    # "hasn't changed" is a yes and "changed 2 weeks ago" a no.
    steady_for_days: Optional[int] = None
    changed_by: tuple[str, ...] = ()
    # Statuses described instead of yes or no (data/lexicon.yml `descriptions`): what each
    # means for this question ("on a work visa": unsure), said plainly and said negated.
    described_by: tuple["DescribedAs", ...] = ()


@dataclass(frozen=True)
class DescribedAs:
    """What a described status answers: `said` plainly; `negated` ("not born here"), or None
    when a negated one says nothing and the reply is read as if it were not there."""

    kind: str
    said: str
    negated: Optional[str] = None


@dataclass(frozen=True)
class Screening:
    """What a person agrees to, and the questions in asking order."""

    consent: str  # one point per line
    unanswered_reason: str
    questions: tuple[Question, ...]
    # An answer that is a range across a rule's line ("about 2 years" for "under 2 years").
    either_side_reason: str = ""

    def question(self, question_id: str) -> Optional[Question]:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Handoff:
    """What is said when a person asks for a person, or after repeated misunderstanding.

    The study team's contact route follows it, from the topic named HANDOFF_TOPIC (bot/trial/trial_file.py).
    """

    asked: str
    repeated_failure: str
    closing: str


@dataclass(frozen=True)
class Trial:
    id: str
    short_title: str
    official_title: str
    recruiting: bool
    status_summary: str
    sources: dict[str, Source]
    topics: dict[str, Topic]
    medications: dict[str, MedicationRule]
    handoff: Handoff
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)
    screening: Optional[Screening] = None
    # The site's time zone: "today" for a person whose channel does not say theirs.
    timezone: str = "UTC"

    def topic(self, topic_id: str) -> Optional[Topic]:
        return self.topics.get(topic_id)

    def menu_topics(self) -> list[Topic]:
        return [t for t in self.topics.values() if t.menu]

    def medication_rule(self, group: str) -> MedicationRule:
        """The rule for a medicine group; medicines the trial does not name fall to 'other'."""
        return self.medications.get(group) or self.medications["other"]

    def cite(self, keys: tuple[str, ...]) -> list[Source]:
        return [self.sources[k] for k in keys]
