"""Answers to the questions a message asks about the trial (up to three, in order, citing
sources), and a medicine's rule for a message that only names one."""
from __future__ import annotations

from typing import Iterable, Optional

from bot.answering.message import Message
from bot.answering.outcome import Outcome
from bot.prescreen.state import Reply
from bot.trial import replies
from bot.trial.model import Trial

# What medical advice gets before any answer: we are no doctors (domain.yml).
NO_MEDICAL_ADVICE = "utter_no_medical_advice"
ASK_MEDICAL_ADVICE = "ask_medical_advice"
# Any word on medicines sends people to their neurologist (domain.yml).
TALK_TO_YOUR_NEUROLOGIST = "utter_talk_to_your_neurologist"


def topic_answers(trial: Trial, message: Message, intents: list[str]) -> Optional[Outcome]:
    """The answer of each intent, headed by its topic when there are several; None when none of
    them has an answer (nothing is said then)."""
    groups = message.medication_groups()
    answers: list[replies.Answer] = []
    advice = False
    for intent in intents:
        if intent == ASK_MEDICAL_ADVICE:
            advice = True
            meds = replies.medication_answer(trial, groups)
            if meds is not None:
                answers.append(meds)
            continue
        topic_id = replies.topic_for_intent(intent) or ""
        if topic_id == "sources":
            answers.append(replies.sources_answer(trial, message.last_topic))
            continue
        # A medicine's rule and the recruiting status are said once, with the first answer.
        status_said = any(trial.status_summary in a.text for a in answers)
        answer = replies.answer_question(
            trial, topic_id, [] if answers else groups, with_status=not status_said
        )
        if answer is not None:
            answers.append(answer)
    if not answers and not advice:
        return None
    said = [Reply(response=NO_MEDICAL_ADVICE)] if advice else []
    several = len(answers) > 1
    offered = _unique_buttons(b for a in answers for b in replies.offer_buttons(trial, a.topic))
    for i, answer in enumerate(answers):
        last = i == len(answers) - 1
        said += answer_replies(trial, answer, groups if last else [],
                               heading=several, buttons=offered if last else [])
    answered = [a.topic for a in answers if a.topic != "sources"]
    return Outcome(said, answered[-1] if answered else None)


def named_medicines_answer(trial: Trial, message: Message) -> Optional[Outcome]:
    """The trial's rule for the medicines a message names; None when it names none.

    "he stopped edaravone a couple months ago" is no question NLU knows, but the person
    wants to know what that medicine means for the study.
    """
    groups = message.medication_groups()
    if not groups:
        return None
    answer = replies.answer_question(trial, "medications", groups)
    if answer is None:
        return None
    return Outcome(answer_replies(trial, answer, groups), "medications")


def answer_replies(
    trial: Trial, answer: replies.Answer, groups: list[str],
    heading: bool = False, buttons: Optional[list[dict]] = None,
) -> list[Reply]:
    """An answer with its sources and buttons, and the neurologist for any word on medicines.

    `heading` names the topic first, for a reply that answers several questions.
    """
    topic = trial.topic(answer.topic)
    text = f"{topic.title}: {answer.text}" if heading and topic is not None else answer.text
    said = [Reply(
        text=text,
        custom=answer.payload(),
        buttons=replies.offer_buttons(trial, answer.topic) if buttons is None else buttons,
    )]
    if answer.topic == "medications" or groups:
        said.append(Reply(response=TALK_TO_YOUR_NEUROLOGIST))
    return said


def _unique_buttons(buttons: Iterable[dict]) -> list[dict]:
    return list({b["payload"]: b for b in buttons}.values())
