"""The trial this deployment speaks for, read from its file: checked against its declared shape
(bot/trial/trial_file.py) and across its parts (bot/trial/cross_checks.py), then built into the
model the code reads (bot/trial/model.py). A mistake in the file fails here, at start-up."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Optional

from bot.paths import DATA_DIR
from bot.trial.cross_checks import check_references, check_screening
from bot.trial.model import (
    Button,
    Condition,
    Criterion,
    DescribedAs,
    Handoff,
    MedicationRule,
    Question,
    RuleCase,
    Screening,
    Source,
    Topic,
    Trial,
)
from bot.trial.trial_file import Bound, DescribedEntry, QuestionEntry, ScreeningEntry, TrialFile
from bot.understanding.vocabulary_files import load_as

TRIALS_DIR = DATA_DIR / "trials"


def _text(text: str) -> str:
    """Folded YAML text with its spaces tidied."""
    return " ".join(text.split())


def _lines(text: str) -> str:
    """Text whose line breaks matter (a list shown in a chat), with spaces tidied."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _build(raw: TrialFile) -> Trial:
    """The checked file as the model the code reads."""
    trial = Trial(
        id=raw.id,
        short_title=raw.short_title,
        official_title=raw.official_title,
        recruiting=raw.status.recruiting,
        status_summary=_text(raw.status.summary),
        sources={key: Source(key=key, title=s.title, url=s.url) for key, s in raw.sources.items()},
        topics={
            key: Topic(
                id=key,
                title=t.title,
                answer=_text(t.answer),
                sources=tuple(t.sources),
                menu=t.menu,
                mentions_status=t.mentions_status,
                offers_prescreen=t.mentions_status if t.offers_prescreen is None else t.offers_prescreen,
                offers_menu=t.offers_menu,
            )
            for key, t in raw.topics.items()
        },
        medications={
            group: MedicationRule(group=group, answer=_text(m.answer), sources=tuple(m.sources))
            for group, m in raw.medications.items()
        },
        handoff=Handoff(
            asked=_text(raw.handoff.asked),
            repeated_failure=_text(raw.handoff.repeated_failure),
            closing=_text(raw.handoff.closing),
        ),
        criteria=tuple(
            Criterion(
                id=c.id,
                kind=c.kind,
                summary=c.summary,
                source=c.source,
                known=c.known,
                title=c.title or "",
                rule=tuple(
                    RuleCase(when=_conditions(case.when), status=case.status, reason=_text(case.reason))
                    for case in c.rule
                ),
            )
            for c in raw.criteria
        ),
        screening=_screening(raw.screening) if raw.screening else None,
        timezone=raw.timezone,
    )
    check_references(trial)
    check_screening(trial)
    return trial


def _conditions(when: Optional[dict]) -> tuple[Condition, ...]:
    """`{question_id: value | [values] | {at_least: n, less_than: n}}` -> conditions."""
    conditions = []
    for question_id, spec in (when or {}).items():
        if isinstance(spec, Bound):
            conditions.append(Condition(question_id, at_least=spec.at_least, less_than=spec.less_than))
        else:
            conditions.append(Condition(question_id, values=tuple(spec if isinstance(spec, list) else [spec])))
    return tuple(conditions)


def _question(q: QuestionEntry) -> Question:
    return Question(
        id=q.id,
        kind=q.kind,
        label=q.label or q.id,
        ask_self=_text(q.ask.self_),
        ask_other=_text(q.ask.other),
        example=_text(q.example),
        buttons=tuple(Button(title=b.title, value=b.value, read_back=b.read_back) for b in q.buttons),
        keywords=tuple(k.lower() for k in q.keywords),
        when=_conditions(q.when),
        within_days=q.within_days,
        medicine=q.medicine,
        condition=q.condition,
        includes_plans=q.includes_plans,
        affirmed_by=tuple(k.lower() for k in q.affirmed_by),
        steady_for_days=q.steady_for_days,
        changed_by=tuple(k.lower() for k in q.changed_by),
        described_by=tuple(
            DescribedAs(kind, a.said, a.negated) if isinstance(a, DescribedEntry) else DescribedAs(kind, a)
            for kind, a in q.described_by.items()
        ),
    )


def _screening(raw: ScreeningEntry) -> Screening:
    return Screening(
        consent=_lines(raw.consent),
        unanswered_reason=_text(raw.unanswered_reason),
        questions=tuple(_question(q) for q in raw.questions),
        either_side_reason=_text(raw.either_side_reason or raw.unanswered_reason),
    )


def load_trial_file(path: Path) -> Trial:
    """The trial file at `path`, checked (bot/trial/trial_file.py); ValueError names the place."""
    return _build(load_as(Path(path), TrialFile))


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
