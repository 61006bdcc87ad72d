"""Answers to trial questions, composed from the trial data.

Kept apart from the Rasa action so the wording rules (status whenever joining
is implied, a medicine's own rule when one is named) are tested without Rasa.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from bot.messages import WORDS
from bot.trial.model import Source, Trial
from bot.trial.trial_file import HANDOFF_TOPIC

# Intents whose answer is a topic of the trial file other than "ask_<topic>".
TOPIC_OF_INTENT = {"check_eligibility": "eligibility", "care": "care"}


@dataclass(frozen=True)
class Answer:
    topic: str
    text: str
    sources: tuple[Source, ...]

    def payload(self) -> dict:
        """The machine-readable side of an answer, for widgets that show citations."""
        return {
            "type": "answer",
            "topic": self.topic,
            "sources": [{"title": s.title, "url": s.url} for s in self.sources],
        }


def topic_for_intent(intent: str) -> Optional[str]:
    if intent in TOPIC_OF_INTENT:
        return TOPIC_OF_INTENT[intent]
    if intent.startswith("ask_"):
        return intent[len("ask_"):]
    return None


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def medication_answer(trial: Trial, groups: Iterable[str]) -> Optional[Answer]:
    """The trial's rule for each medicine group named, or None when none was named."""
    rules = [trial.medication_rule(g) for g in _unique(groups)]
    rules = list({r.group: r for r in rules}.values())
    if not rules:
        return None
    keys = _unique(k for r in rules for k in r.sources)
    return Answer(
        topic="medications",
        text="\n\n".join(r.answer for r in rules),
        sources=tuple(trial.cite(tuple(keys))),
    )


def answer_question(
    trial: Trial, topic_id: str, medication_groups: Iterable[str] = (), with_status: bool = True
) -> Optional[Answer]:
    """The answer for a topic, plus the rule of any medicine the person named.

    Asking about medicines while naming one gets that medicine's rule instead
    of the general list; any other question naming a medicine gets its rule too
    ("my wife takes Radicava, can she join?"). `with_status` False leaves out the
    recruiting status, for a reply that has said it already.
    """
    topic = trial.topic(topic_id)
    if topic is None:
        return None
    meds = medication_answer(trial, medication_groups)
    if topic_id == "medications" and meds is not None:
        parts, keys = [meds.text], [s.key for s in meds.sources]
    else:
        parts, keys = [topic.answer], list(topic.sources)
        if meds is not None:
            parts.append(meds.text)
            keys += [s.key for s in meds.sources]
    if with_status and topic.mentions_status and not trial.recruiting:
        parts.append(trial.status_summary)
    return Answer(
        topic=topic_id,
        text="\n\n".join(parts),
        sources=tuple(trial.cite(tuple(_unique(keys)))),
    )


def passage_answer(trial: Trial, topic_id: str, passage: str, sources: tuple[str, ...]) -> Answer:
    """A fact from the trial's sources that may answer a question no topic was sure of.

    Said as a quote with where it comes from, never reworded, so nothing is invented.
    """
    cited = trial.cite(sources)
    where = "; ".join(s.title for s in cited)
    text = WORDS["passage_answer"].format(passage=passage, where=where)
    return Answer(topic=topic_id, text=text, sources=tuple(cited))


def handoff_answer(trial: Trial, reason: str) -> Answer:
    """The reply that points a person to the study team: why, the contact route, the status.

    `reason` is "asked" (they want a person) or "repeated_failure" (we kept missing them).
    """
    intros = {"asked": trial.handoff.asked, "repeated_failure": trial.handoff.repeated_failure}
    if reason not in intros:
        raise ValueError(f"reason must be one of {sorted(intros)}, not {reason!r}")
    contact = answer_question(trial, HANDOFF_TOPIC)
    assert contact is not None  # the trial loader requires the topic
    return Answer(
        topic=HANDOFF_TOPIC,
        text="\n\n".join([intros[reason], contact.text, trial.handoff.closing]),
        sources=contact.sources,
    )


def sources_answer(trial: Trial, last_topic: Optional[str]) -> Answer:
    """Where the previous answer came from; all sources when there was none."""
    topic = trial.topic(last_topic) if last_topic else None
    if topic is None or topic.id == "sources":
        return answer_question(trial, "sources")  # type: ignore[return-value]
    cited = trial.cite(topic.sources)
    lines = [WORDS["sources_of_answer"].format(topic=topic.title.lower())]
    lines += [f"- {s.title}" + (f" ({s.url})" if s.url else "") for s in cited]
    return Answer(topic="sources", text="\n".join(lines), sources=tuple(cited))


def greeting(trial: Trial) -> str:
    status = "" if trial.recruiting else f" {trial.status_summary}"
    return WORDS["greeting"].format(title=trial.short_title, trial_id=trial.id, status=status)


PRESCREEN_BUTTON = {"title": WORDS["check_if_i_qualify"], "payload": "/check_eligibility"}

# When a turn could not be answered (the action server unreachable, an action failing): Rasa
# then drops what the turn's actions did, so the conversation is as it was before the message.
TECHNICAL_PROBLEM = WORDS["technical_problem"]


def menu_buttons(trial: Trial) -> list[dict]:
    """One button per menu topic, then the pre-screen; payloads are intents, so no NLU guesswork."""
    buttons = [{"title": t.title, "payload": f"/ask_{t.id}"} for t in trial.menu_topics()]
    if trial.screening is not None:
        buttons.append(PRESCREEN_BUTTON)
    return buttons


SOMETHING_ELSE_BUTTON = {"title": WORDS["something_else"], "payload": "/nlu_fallback"}
# Topic whose title names an intent that is not a topic of its own.
TITLE_TOPIC_OF_INTENT = {"ask_medical_advice": "medications"}


def suggestion_buttons(trial: Trial, intents: Iterable[str]) -> list[dict]:
    """"Did you mean…" choices: each likely topic by its title, then "Something else"."""
    buttons = []
    for intent in intents:
        topic = trial.topic(TITLE_TOPIC_OF_INTENT.get(intent) or topic_for_intent(intent) or "")
        if topic is not None:
            buttons.append({"title": topic.title, "payload": f"/{intent}"})
    return buttons + [SOMETHING_ELSE_BUTTON]


def offer_buttons(trial: Trial, topic_id: str) -> list[dict]:
    """Where an answer is about joining (who qualifies, medicines, sites...), offer the check;
    where no trial fact answers it (care), offer the topics."""
    topic = trial.topic(topic_id)
    if topic is None:
        return []
    if topic.offers_menu:
        return menu_buttons(trial)
    if topic.offers_prescreen and trial.screening is not None:
        return [PRESCREEN_BUTTON]
    return []


def answers_to(trial: Trial, topic_ids: Iterable[str], medication_groups: Iterable[str] = ()) -> list[Answer]:
    """The answers to several topics asked in one message, in order, as one reply says them:
    a medicine's rule and the recruiting status once, with the first answer that has them."""
    answers: list[Answer] = []
    for topic_id in _unique(topic_ids):
        status_said = any(trial.status_summary in a.text for a in answers)
        answer = answer_question(trial, topic_id, [] if answers else medication_groups, with_status=not status_said)
        if answer is not None:
            answers.append(answer)
    return answers
