"""A reply to the question asked: an answer, "why do you ask?", a trial question, a change of
person or of an earlier answer; else it is asked again."""
from __future__ import annotations

import re

from bot.prescreen.form_requests import Turn
from bot.prescreen.kinds import read_answer
from bot.prescreen.read_back import is_button_answer, read_back
from bot.prescreen.stage_replies.for_whom import learn_pronoun, switch_subject
from bot.prescreen.stage_replies.kept_answers import after_answer, correct, not_read, store, store_with_follow_ups
from bot.prescreen.state import DONE, WORDS, Reply, State, current_question
from bot.prescreen.topic_answers import trial_answer
from bot.prescreen.whom import changes_subject, names_subject
from bot.trial.model import Question, Trial
from bot.understanding.dialogue_words import load_dialogue_words
from bot.understanding.phrase_rules import says
from bot.understanding.reading import Reading


def on_answer(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    question = current_question(trial, state)
    if question is None:
        state.stage = DONE
        return []
    text = turn.text or ""
    if says("why_asked", text):
        return [Reply(text=why_asked(trial, question))]
    if load_dialogue_words().carries_on(text):
        # "ok, let's go on" after a pause or a kind word: no answer ("ok" is not a yes here).
        state.misses = 0
        return [Reply(text=WORDS["carry_on_now"])]
    if text.rstrip().endswith("?"):
        # "Can I keep taking riluzole?" asks about the trial; reading it as "yes" would guess.
        answered = trial_answer(trial, turn, reply)
        if answered:
            return answered
    if changes_subject(text):
        switched = switch_subject(trial, state, text)
        if switched:
            return switched
    corrected = correct(trial, state, reply, current=question)
    if corrected is not None:
        return corrected + after_answer(trial, state)
    learn_pronoun(trial, state, text)
    value = read_answer(question, reply)
    if value is None and (text.strip() == WORDS["not_sure"] or only_a_hedge(question, reply)):
        value = "unsure"
    if value is not None:
        if is_button_answer(question, text):
            store(trial, state, question, value)
            return after_answer(trial, state)
        stored = store_with_follow_ups(trial, state, question, value, reply)
        return [read_back(trial, state, stored, reply.today)] + after_answer(trial, state)
    if load_dialogue_words().says_past_correction(text):
        return [Reply(text=WORDS["which_answer"])]  # "I made a mistake": which one?
    if names_subject(text, state.subject(), state.is_self):
        # "me" when the form already asks about them: not an unreadable answer.
        subject = state.subject()
        name = subject.name if subject.is_self or subject.named else WORDS["the_person_you_care_for"]
        return [Reply(text=WORDS["subject_same"].format(name=name))]
    answered = trial_answer(trial, turn, reply)
    if answered:
        return answered
    return switch_subject(trial, state, text) or not_read(trial, state, question)


def why_asked(trial: Trial, question: Question) -> str:
    """The study's rules that read this question, in the trial file's own words.

    For "what does that mean?" and "why do you ask?": the person hears what the answer
    is for, and that "not sure" is fine, before the question comes again.
    """
    lines = [WORDS["why_asked"]]
    for criterion in trial.criteria:
        if criterion.known and question.id in criterion.question_ids():
            kind = "why_inclusion" if criterion.kind == "inclusion" else "why_exclusion"
            lines.append("- " + WORDS[kind].format(summary=criterion.summary.rstrip(".")))
    if len(lines) == 1:
        lines = [WORDS["why_unknown"]]
    lines.append(WORDS["why_not_sure"])
    return "\n".join(lines)


def only_a_hedge(question: Question, reply: Reading) -> bool:
    """"not sure", "maybe", "I think so": unsure, unless the hedge comes with a number
    this question could not read ("maybe 14 months back" to "how old?"): that is asked again."""
    if reply.yes_no != "unsure":
        return False
    return question.kind in ("yes_no", "recent_use") or not re.search(r"\d", reply.digits)
