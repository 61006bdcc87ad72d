"""The trial as data: one YAML file per trial under data/trials/.

Answers, the topic menu and the pre-screen all read this model, so a second
trial is a second file, not new code.
"""
from __future__ import annotations

import os
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.paths import DATA_DIR
from bot.understanding.interval import Interval
from bot.understanding.lexicon import load_lexicon

TRIALS_DIR = DATA_DIR / "trials"


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

# What each question kind's answers are stored as; None means a number.
ANSWER_VALUES: dict[str, Optional[frozenset[str]]] = {
    "yes_no": frozenset({"yes", "no", "unsure"}),
    "recent_use": frozenset({"yes", "no", "unsure"}),  # or days since the last dose, across within_days
    "age": frozenset({"unsure"}),  # or whole years: a number or an interval
    "months_since": frozenset({"unsure"}),  # or months: a number or an interval
    "sex": frozenset({"female", "male", "unsure"}),  # unsure: an answer we could not read, for the team
    "breathing_device": frozenset({"none", "ventilator", "noninvasive", "pacer", "unsure"}),
}
NUMERIC_KINDS = frozenset({"age", "months_since"})
STATUSES = frozenset({"pass", "fail", "unknown"})
# Words a caregiver's question may use for the person they ask about.
SUBJECT_PLACEHOLDERS = frozenset({"name", "Name", "they", "They", "them", "their", "Their"})


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

    The study team's contact route follows it, from the topic named HANDOFF_TOPIC.
    """

    asked: str
    repeated_failure: str
    closing: str


# The topic whose answer is the study team's contact route; a hand-off gives it too.
HANDOFF_TOPIC = "contact"


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


def _parse(raw: dict) -> Trial:
    sources = {
        key: Source(key=key, title=s["title"], url=s.get("url"))
        for key, s in raw["sources"].items()
    }
    topics = {
        key: Topic(
            id=key,
            title=t["title"],
            answer=" ".join(t["answer"].split()),
            sources=tuple(t["sources"]),
            menu=bool(t.get("menu", False)),
            mentions_status=bool(t.get("mentions_status", False)),
            offers_prescreen=bool(t.get("offers_prescreen", t.get("mentions_status", False))),
            offers_menu=bool(t.get("offers_menu", False)),
        )
        for key, t in raw["topics"].items()
    }
    medications = {
        group: MedicationRule(
            group=group, answer=" ".join(m["answer"].split()), sources=tuple(m["sources"])
        )
        for group, m in raw["medications"].items()
    }
    criteria = tuple(
        Criterion(
            id=c["id"],
            kind=c["kind"],
            summary=c["summary"],
            source=c["source"],
            known=bool(c.get("known", True)),
            title=c.get("title") or "",
            rule=tuple(_parse_case(case, f"criterion {c['id']}") for case in c.get("rule") or ()),
        )
        for c in raw.get("criteria", [])
    )
    screening = _parse_screening(raw["screening"]) if raw.get("screening") else None
    trial = Trial(
        id=str(raw["id"]),
        short_title=raw["short_title"],
        official_title=raw["official_title"],
        recruiting=bool(raw["status"]["recruiting"]),
        status_summary=" ".join(raw["status"]["summary"].split()),
        sources=sources,
        topics=topics,
        medications=medications,
        handoff=_parse_handoff(raw.get("handoff")),
        criteria=criteria,
        screening=screening,
        timezone=_parse_timezone(raw.get("timezone")),
    )
    _check_references(trial)
    _check_screening(trial)
    return trial


def _parse_timezone(raw: Any) -> str:
    """An IANA zone name ("America/Chicago"); a trial without one keeps UTC."""
    if raw is None:
        return "UTC"
    try:
        ZoneInfo(str(raw))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"timezone {raw!r} is not an IANA time zone name") from None
    return str(raw)


def _text(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"{where}: needs some text")
    return " ".join(raw.split())


def _parse_handoff(raw: Any) -> Handoff:
    if not isinstance(raw, dict):
        raise ValueError("handoff: expected asked, repeated_failure and closing texts")
    return Handoff(
        asked=_text(raw.get("asked"), "handoff asked"),
        repeated_failure=_text(raw.get("repeated_failure"), "handoff repeated_failure"),
        closing=_text(raw.get("closing"), "handoff closing"),
    )


def _parse_conditions(raw: Any, where: str) -> tuple[Condition, ...]:
    """`{question_id: value | [values] | {at_least: n, less_than: n}}` -> conditions."""
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"{where}: 'when' must map question ids to values")
    conditions = []
    for question_id, spec in raw.items():
        at = f"{where}, when {question_id}"
        if isinstance(spec, dict):
            unknown = set(spec) - {"at_least", "less_than"}
            if unknown or not spec:
                raise ValueError(f"{at}: only at_least / less_than are allowed, got {sorted(spec)}")
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in spec.values()):
                raise ValueError(f"{at}: at_least / less_than need numbers")
            conditions.append(
                Condition(str(question_id), at_least=spec.get("at_least"), less_than=spec.get("less_than"))
            )
            continue
        values = spec if isinstance(spec, list) else [spec]
        if not values:
            raise ValueError(f"{at}: empty list of values")
        for value in values:
            # YAML reads bare yes/no as booleans: a silent never-matching rule otherwise.
            if isinstance(value, bool):
                raise ValueError(f"{at}: got {value}; write \"yes\" or \"no\" in quotes")
            if not isinstance(value, (str, int, float)):
                raise ValueError(f"{at}: {value!r} is not a value")
        conditions.append(Condition(str(question_id), values=tuple(values)))
    return tuple(conditions)


def _parse_case(raw: Any, where: str) -> RuleCase:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: each rule case needs when, status and reason")
    return RuleCase(
        when=_parse_conditions(raw.get("when"), where),
        status=str(raw.get("status")),
        reason=_text(raw.get("reason"), f"{where} rule reason"),
    )


def _parse_question(raw: Any) -> Question:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise ValueError("screening: every question needs an id")
    where = f"question {raw['id']}"
    ask = raw.get("ask") or {}
    buttons = tuple(Button(title=str(b["title"]), value=str(b["value"])) for b in raw.get("buttons") or ())
    within = raw.get("within_days")
    return Question(
        id=str(raw["id"]),
        kind=str(raw.get("kind")),
        label=raw.get("label") or str(raw["id"]),
        ask_self=_text(ask.get("self"), f"{where} ask.self"),
        ask_other=_text(ask.get("other"), f"{where} ask.other"),
        example=_text(raw.get("example"), f"{where} example"),
        buttons=buttons,
        keywords=tuple(str(k).lower() for k in raw.get("keywords") or ()),
        when=_parse_conditions(raw.get("when"), where),
        within_days=int(within) if within is not None else None,
        medicine=raw.get("medicine"),
        condition=raw.get("condition"),
        includes_plans=bool(raw.get("includes_plans", False)),
        affirmed_by=tuple(str(k).lower() for k in raw.get("affirmed_by") or ()),
        steady_for_days=int(raw["steady_for_days"]) if raw.get("steady_for_days") is not None else None,
        changed_by=tuple(str(k).lower() for k in raw.get("changed_by") or ()),
        described_by=_parse_described_by(raw.get("described_by"), where),
    )


def _parse_described_by(raw: Any, where: str) -> tuple[DescribedAs, ...]:
    """`described_by: {kind: value}` or `{kind: {said: value, negated: value}}`."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: described_by maps a lexicon description kind to an answer")
    described = []
    for kind, value in raw.items():
        said, negated = (value.get("said"), value.get("negated")) if isinstance(value, dict) else (value, None)
        for answer in (said, negated):
            if isinstance(answer, bool):
                raise ValueError(f"{where} described_by.{kind}: got {answer}; write \"yes\" or \"no\" in quotes")
        if not isinstance(said, str):
            raise ValueError(f"{where} described_by.{kind}: needs the answer it gives")
        described.append(DescribedAs(str(kind), said, str(negated) if negated is not None else None))
    return tuple(described)


def _lines(raw: Any, where: str) -> str:
    """Text whose line breaks matter (a list shown in a chat), with spaces tidied."""
    _text(raw, where)
    return "\n".join(" ".join(line.split()) for line in raw.strip().splitlines() if line.strip())


def _parse_screening(raw: Any) -> Screening:
    if not isinstance(raw, dict):
        raise ValueError("screening: expected consent, unanswered_reason and questions")
    return Screening(
        consent=_lines(raw.get("consent"), "screening consent"),
        unanswered_reason=_text(raw.get("unanswered_reason"), "screening unanswered_reason"),
        questions=tuple(_parse_question(q) for q in raw.get("questions") or ()),
        either_side_reason=_text(
            raw.get("either_side_reason") or raw.get("unanswered_reason"), "screening either_side_reason"
        ),
    )


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


def _check_screening(trial: Trial) -> None:
    """Fail at load time, not mid-conversation, when a question or rule cannot work."""
    for criterion in trial.criteria:
        if criterion.rule and not criterion.known:
            raise ValueError(f"criterion {criterion.id} is known: false but has a rule")
        for case in criterion.rule:
            if case.status not in STATUSES:
                raise ValueError(
                    f"criterion {criterion.id}: status {case.status!r} is not one of {sorted(STATUSES)}"
                )
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
        if question.kind not in ANSWER_VALUES:
            raise ValueError(f"{where}: unknown kind {question.kind!r}; use one of {sorted(ANSWER_VALUES)}")
        if question.kind == "recent_use" and question.within_days is None:
            raise ValueError(f"{where}: kind recent_use needs within_days")
        if question.within_days is not None and question.kind not in ("recent_use", "yes_no"):
            raise ValueError(f"{where}: within_days goes with kind recent_use or yes_no")
        if question.within_days is not None and question.within_days <= 0:
            raise ValueError(f"{where}: within_days must be more than 0")
        if (question.steady_for_days is not None or question.changed_by) and question.kind != "yes_no":
            raise ValueError(f"{where}: steady_for_days and changed_by go with kind yes_no")
        if question.steady_for_days is not None and question.steady_for_days <= 0:
            raise ValueError(f"{where}: steady_for_days must be more than 0")
        for field_name in ("medicine", "condition"):
            group = getattr(question, field_name)
            if group is not None and group not in groups[field_name]:
                raise ValueError(f"{where}: {field_name} {group!r} is not a group in data/lexicon.yml")
        allowed = ANSWER_VALUES[question.kind]
        for described in question.described_by:
            if described.kind not in lexicon.description_kinds():
                raise ValueError(f"{where}: described_by {described.kind!r} is not a description in data/lexicon.yml")
            for answer in (described.said, described.negated):
                if answer is not None and (allowed is None or answer not in allowed):
                    raise ValueError(f"{where}: described_by {described.kind} gives {answer!r}, not a {question.kind} answer")
        for button in question.buttons:
            if allowed is None or button.value not in allowed:
                raise ValueError(f"{where}: button value {button.value!r} is not a {question.kind} answer")
        placeholders = {f for _, f, _, _ in string.Formatter().parse(question.ask_other) if f is not None}
        if placeholders - SUBJECT_PLACEHOLDERS:
            raise ValueError(f"{where}: unknown placeholders {sorted(placeholders - SUBJECT_PLACEHOLDERS)}")
        for condition in question.when:
            _check_condition(condition, asked, where)
        asked[question.id] = question
    for criterion in trial.criteria:
        if criterion.known and not criterion.rule:
            raise ValueError(f"criterion {criterion.id} is known but has no rule")
        for case in criterion.rule:
            for condition in case.when:
                _check_condition(condition, asked, f"criterion {criterion.id}")


def _check_references(trial: Trial) -> None:
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


def load_trial_file(path: Path) -> Trial:
    with open(path, encoding="utf-8") as f:
        return _parse(yaml.safe_load(f))


@lru_cache(maxsize=None)
def load_trial(trial_id: Optional[str] = None) -> Trial:
    """The trial this deployment speaks for: TRIAL_ID, or the only file in data/trials."""
    trial_id = trial_id or os.environ.get("TRIAL_ID")
    if trial_id:
        # An id names a file in data/trials/, never a path: "../../tests/fixtures/trials/..."
        # (TRIAL_ID, staff --trial) would otherwise serve a test fixture as the trial.
        if Path(trial_id).name != trial_id or trial_id.startswith("."):
            raise FileNotFoundError(f"no trial file for {trial_id!r} in {TRIALS_DIR}")
        return load_trial_file(TRIALS_DIR / f"{trial_id}.yml")
    files = sorted(TRIALS_DIR.glob("*.yml"))
    if len(files) != 1:
        raise RuntimeError(
            f"{len(files)} trial files in {TRIALS_DIR}: set TRIAL_ID to choose one"
        )
    return load_trial_file(files[0])
