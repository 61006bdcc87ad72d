"""Pre-screen answers -> a status per criterion -> a verdict, in plain words.

`evaluate` is the one place that maps answers to statuses; it only runs the
decision tables of the trial file (criteria[].rule), so no trial fact lives
here. The verdict never promises anything: only the study team decides.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping

from bot.understanding.interval import Interval
from bot.prescreen.subject import Subject
from bot.messages import WORDS
from bot.trial.model import Criterion, Trial, conditions_hold
from bot.trial.trial_file import HANDOFF_TOPIC

Verdict = Literal["likely_eligible", "likely_not_eligible", "needs_review"]
RESULT_TYPE = "eligibility_result"


@dataclass(frozen=True)
class CriterionResult:
    id: str
    kind: str  # "inclusion" | "exclusion"
    status: str  # "pass" | "fail" | "unknown"
    reason: str
    title: str = ""  # the criterion's short name, so a page can label the checklist line

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "status": self.status, "reason": self.reason,
                "title": self.title}


def _unanswered_reason(trial: Trial) -> str:
    if trial.screening is None:
        raise ValueError(f"trial {trial.id} has no screening section")
    return trial.screening.unanswered_reason


def _result(trial: Trial, criterion: Criterion, answers: Mapping[str, Any]) -> CriterionResult:
    """First matching case of the criterion's decision table; unknown when none matches."""
    for case in criterion.rule:
        if conditions_hold(case.when, answers):
            return CriterionResult(
                criterion.id, criterion.kind, case.status, case.reason, criterion.title
            )
    reason = _either_side_reason(trial) if _straddles(criterion, answers) else _unanswered_reason(trial)
    return CriterionResult(criterion.id, criterion.kind, "unknown", reason, criterion.title)


def _straddles(criterion: Criterion, answers: Mapping[str, Any]) -> bool:
    """Whether a number the rule reads was given, as a range no rule row can decide.

    An age or a time said as a range across a line ("about 2 years ago" for "less than
    2 years"), or the days since a last dose stored because they cross a question's
    window ("stopped about a month ago" for 30 days): the person answered, so the
    reason is that it could be either side of the limit, not that they weren't sure.
    """
    return any(
        Interval.from_json(answers.get(question_id)) is not None for question_id in criterion.question_ids()
    )


def _either_side_reason(trial: Trial) -> str:
    assert trial.screening is not None
    return trial.screening.either_side_reason


def evaluate(trial: Trial, answers: Mapping[str, Any]) -> list[CriterionResult]:
    """One result per known criterion, in the trial's order.

    Criteria marked `known: false` are not here: no answer can decide them, and
    result_text names them as what the study team also checks.
    """
    return [_result(trial, c, answers) for c in trial.criteria if c.known]


def verdict(results: list[CriterionResult]) -> Verdict:
    """Any fail -> likely_not_eligible; else any unknown -> needs_review; else likely_eligible."""
    statuses = {r.status for r in results}
    if "fail" in statuses:
        return "likely_not_eligible"
    if "unknown" in statuses:
        return "needs_review"
    return "likely_eligible"


def _never_asked(trial: Trial, question_id: str, answers: Mapping[str, Any]) -> bool:
    """True when the answers so far already rule a question out (its `when` cannot hold)."""
    assert trial.screening is not None
    question = trial.screening.question(question_id)
    if question is None:
        return True
    return any(
        (answers.get(c.question) is not None and not c.holds(answers)) or _never_asked(trial, c.question, answers)
        for c in question.when
    )


def _settled(trial: Trial, criterion: Criterion, answers: Mapping[str, Any]) -> bool:
    """Whether no answer still to come could change this criterion's result.

    Every question its rule reads is answered or will never be asked.
    """
    return all(
        answers.get(q) is not None or _never_asked(trial, q, answers) for q in criterion.question_ids()
    )


def ruled_out(trial: Trial, answers: Mapping[str, Any]) -> list[CriterionResult]:
    """Criteria already failed by the answers so far, that no later answer can change.

    Lets the dialogue say "this already rules you out" mid-form, kindly, and
    offer to stop.
    """
    by_id = {c.id: c for c in trial.criteria}
    return [
        r for r in evaluate(trial, answers) if r.status == "fail" and _settled(trial, by_id[r.id], answers)
    ]


def result_payload(trial: Trial, results: list[CriterionResult]) -> dict[str, Any]:
    """The `custom` payload of the verdict message (DESIGN.md, "Eligibility result")."""
    return {
        "type": RESULT_TYPE,
        "trial": trial.id,
        "verdict": verdict(results),
        "criteria": [r.as_dict() for r in results],
    }


# ---------------------------------------------------------------------------
# Plain words
# ---------------------------------------------------------------------------
# The sentences are in data/prescreen_messages.yml (bot/messages.py).
VERDICT_OPENINGS: dict[str, str] = {
    "likely_eligible": WORDS["result_likely_eligible"],
    "needs_review": WORDS["result_needs_review"],
    "likely_not_eligible": WORDS["result_likely_not_eligible"],
}
FAILED_HEADING = WORDS["result_failed_heading"]
UNKNOWN_HEADING = {
    "likely_not_eligible": WORDS["result_also_to_check"],
    "needs_review": WORDS["result_to_check"],
}
TEAM_DECIDES = WORDS["result_team_decides"]
ALSO_CHECKS = WORDS["result_also_checks"]
NEXT_STEPS = WORDS["result_next_steps"]


def _title(trial: Trial, criterion_id: str) -> str:
    criterion = next(c for c in trial.criteria if c.id == criterion_id)
    return criterion.title or criterion.summary


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _bullets(trial: Trial, results: list[CriterionResult], titled: bool) -> str:
    """One line per result; unknown reasons ("You weren't sure...") need the criterion's name."""
    return "\n".join(f"- {_title(trial, r.id)}: {r.reason}" if titled else f"- {r.reason}" for r in results)


def result_text(trial: Trial, results: list[CriterionResult], subject: Subject) -> str:
    """The verdict message in plain words; says the same as result_payload, never promises."""
    outcome = verdict(results)
    who = "you" if subject.is_self else subject.name
    parts = [VERDICT_OPENINGS[outcome].format(who=who)]
    failed = [r for r in results if r.status == "fail"]
    unknown = [r for r in results if r.status == "unknown"]
    if failed:
        parts.append(f"{FAILED_HEADING}\n{_bullets(trial, failed, titled=False)}")
    if unknown:
        parts.append(f"{UNKNOWN_HEADING[outcome]}\n{_bullets(trial, unknown, titled=True)}")
    parts.append(TEAM_DECIDES)
    unchecked = [_lower_first(c.title or c.summary) for c in trial.criteria if not c.known]
    if unchecked:
        parts.append(ALSO_CHECKS.format(things=_and_list(unchecked)))
    if not trial.recruiting:
        parts.append(trial.status_summary)
    contact = trial.topic(HANDOFF_TOPIC)
    if contact is not None:
        parts.append(NEXT_STEPS.format(contact=contact.answer))
    return "\n\n".join(parts)
