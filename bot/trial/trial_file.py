"""The trial file's shape, declared (pydantic 1.10, within Rasa 3.6's pins).

A study coordinator edits data/trials/<id>.yml by hand. A missing text, a misspelt key, an
unquoted yes / no (YAML's true / false) or a question whose settings do not fit its kind is
refused when the file loads, with the place named ("screening.questions[age].steady_for_days"),
instead of failing on some later message. What needs the whole file (a rule naming an earlier
question, a citation, the lexicon's groups) is checked in bot/trial/cross_checks.py once it is built.
"""
from __future__ import annotations

import string
from typing import Any, Dict, List, Optional, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr, root_validator, validator

from bot.understanding.vocabulary_files import Said, Shape, one_of

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
# The topic whose answer is the study team's contact route; a hand-off gives it too, so every
# trial file has one (bot/trial/cross_checks.py).
HANDOFF_TOPIC = "contact"
# Words a caregiver's question may use for the person they ask about.
SUBJECT_PLACEHOLDERS = frozenset({"name", "Name", "they", "They", "them", "their", "Their"})

Number = Union[StrictInt, StrictFloat]
Value = Union[StrictStr, StrictInt, StrictFloat]


class Bound(Shape):
    """`{at_least: n}`, `{less_than: n}` or both: a number range an answer must be in."""

    at_least: Optional[Number] = None
    less_than: Optional[Number] = None

    @root_validator(skip_on_failure=True)
    def _one_bound(cls, values: dict) -> dict:
        if values.get("at_least") is None and values.get("less_than") is None:
            raise ValueError("needs at_least or less_than")
        return values


# A `when` maps question ids to a value, a list of values or a bound.
When = Dict[str, Union[Bound, List[Value], Value]]


def _no_bare_yes_no(when: Any) -> Any:
    """YAML reads bare yes / no as booleans: a rule that silently never matches otherwise."""
    for question_id, spec in (when or {}).items():
        for value in spec if isinstance(spec, list) else [spec]:
            if isinstance(value, bool):
                raise ValueError(f"{question_id}: got {value}; write \"yes\" or \"no\" in quotes")
    if when is not None and (not isinstance(when, dict) or not when):
        raise ValueError("'when' must map question ids to values")
    if any(isinstance(spec, list) and not spec for spec in (when or {}).values()):
        raise ValueError("empty list of values")
    return when


class SourceEntry(Shape):
    title: Said
    url: Optional[Said] = None


class TopicEntry(Shape):
    title: Said
    answer: Said
    sources: List[Said]
    menu: StrictBool = False
    mentions_status: StrictBool = False
    offers_prescreen: Optional[StrictBool] = None  # default: mentions_status
    offers_menu: StrictBool = False


class MedicationEntry(Shape):
    answer: Said
    sources: List[Said]


class HandoffEntry(Shape):
    asked: Said
    repeated_failure: Said
    closing: Said


class StatusEntry(Shape):
    recruiting: StrictBool
    summary: Said


class RuleCaseEntry(Shape):
    when: Optional[When] = None
    status: one_of("pass", "fail", "unknown")  # type: ignore[valid-type]
    reason: Said

    _when = validator("when", pre=True, allow_reuse=True)(_no_bare_yes_no)


class CriterionEntry(Shape):
    id: Said
    kind: one_of("inclusion", "exclusion")  # type: ignore[valid-type]
    summary: Said
    source: Said
    known: StrictBool = True
    title: Optional[Said] = None
    rule: List[RuleCaseEntry] = []

    @validator("rule", pre=True)
    def _no_rule_is_empty(cls, rule: Any) -> Any:
        return [] if rule is None else rule

    @root_validator(skip_on_failure=True)
    def _known_has_a_rule(cls, values: dict) -> dict:
        if values["rule"] and not values["known"]:
            raise ValueError("known: false but has a rule")
        if values["known"] and not values["rule"]:
            raise ValueError("known but has no rule")
        return values


class Ask(Shape):
    self_: Said = Field(alias="self")
    other: Said

    @validator("other")
    def _known_placeholders(cls, other: str) -> str:
        placeholders = {f for _, f, _, _ in string.Formatter().parse(other) if f is not None}
        if placeholders - SUBJECT_PLACEHOLDERS:
            raise ValueError(f"unknown placeholders {sorted(placeholders - SUBJECT_PLACEHOLDERS)}")
        return other


class ButtonEntry(Shape):
    title: Said
    value: Said
    # How the answer is said back when the title alone would not say it ("No" -> "No machine").
    read_back: Optional[Said] = None


class DescribedEntry(Shape):
    said: Said
    negated: Optional[Said] = None


class QuestionEntry(Shape):
    id: Said
    kind: one_of(*ANSWER_VALUES)  # type: ignore[valid-type]
    label: Optional[Said] = None
    ask: Ask
    example: Said
    buttons: List[ButtonEntry] = []
    keywords: List[Said] = []
    when: Optional[When] = None
    within_days: Optional[StrictInt] = None
    medicine: Optional[Said] = None  # a medication group in data/lexicon.yml
    condition: Optional[Said] = None  # a condition group in data/lexicon.yml
    includes_plans: StrictBool = False
    affirmed_by: List[Said] = []
    steady_for_days: Optional[StrictInt] = None
    changed_by: List[Said] = []
    # Lexicon description kind -> the answer it gives, or {said: answer, negated: answer}.
    described_by: Dict[str, Union[Said, DescribedEntry]] = {}

    _when = validator("when", pre=True, allow_reuse=True)(_no_bare_yes_no)

    @validator("buttons", "keywords", "affirmed_by", "changed_by", "described_by", pre=True)
    def _none_is_empty(cls, value: Any, field: Any) -> Any:
        return field.default if value is None else value

    @validator("described_by", pre=True)
    def _described_answers_are_text(cls, value: Any) -> Any:
        for kind, answer in (value or {}).items():
            answers = answer.values() if isinstance(answer, dict) else [answer]
            if any(isinstance(a, bool) for a in answers):
                raise ValueError(f"{kind}: got a true / false; write \"yes\" or \"no\" in quotes")
        return value

    @root_validator(skip_on_failure=True)
    def _settings_fit_the_kind(cls, values: dict) -> dict:
        kind, within, steady = values["kind"], values["within_days"], values["steady_for_days"]
        if kind == "recent_use" and within is None:
            raise ValueError("kind recent_use needs within_days")
        if within is not None and kind not in ("recent_use", "yes_no"):
            raise ValueError("within_days goes with kind recent_use or yes_no")
        if within is not None and within <= 0:
            raise ValueError("within_days must be more than 0")
        if (steady is not None or values["changed_by"]) and kind != "yes_no":
            raise ValueError("steady_for_days and changed_by go with kind yes_no")
        if steady is not None and steady <= 0:
            raise ValueError("steady_for_days must be more than 0")
        allowed = ANSWER_VALUES[kind] or frozenset()
        for button in values["buttons"]:
            if button.value not in allowed:
                raise ValueError(f"button value {button.value!r} is not a {kind} answer")
        for described, answer in values["described_by"].items():
            said, negated = (answer.said, answer.negated) if isinstance(answer, DescribedEntry) else (answer, None)
            for given in (said, negated):
                if given is not None and given not in allowed:
                    raise ValueError(f"described_by {described} gives {given!r}, not a {kind} answer")
        return values


class ScreeningEntry(Shape):
    consent: Said  # one point per line
    unanswered_reason: Said
    either_side_reason: Optional[Said] = None  # default: unanswered_reason
    questions: List[QuestionEntry] = []


class TrialFile(Shape):
    """data/trials/<id>.yml."""

    id: Said
    short_title: Said
    official_title: Said
    timezone: str = "UTC"  # the site's zone: "today" for a person whose channel does not say theirs
    status: StatusEntry
    sources: Dict[str, SourceEntry]
    topics: Dict[str, TopicEntry]
    handoff: HandoffEntry
    medications: Dict[str, MedicationEntry]
    criteria: List[CriterionEntry] = []
    screening: Optional[ScreeningEntry] = None

    @validator("id", pre=True)
    def _id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @validator("timezone", pre=True)
    def _an_iana_zone(cls, value: Any) -> str:
        if value is None:
            return "UTC"
        try:
            ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone {value!r} is not an IANA time zone name") from None
        return str(value)
