"""The pre-screen conversation: consent, for whom, one question at a time.

A pure state machine over a JSON-able state, so every turn (corrections, "stop",
a trial question asked mid-form, two misses in a row) is tested without Rasa.
The Rasa form is only its adapter: it keeps the state in a slot and shows
`prompt()` whenever the form asks.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any, Callable, Mapping, Optional

from bot.prescreen import moves
from bot.prescreen.corrections import Correction, Redo, find_correction
from bot.prescreen.eligibility import ruled_out
from bot.prescreen.form_requests import (  # noqa: F401  (Turn, is_emergency, wants_a_person: used by actions/)
    QUESTION_CONFIDENCE,
    QUESTION_MIN_WORDS,
    Turn,
    is_emergency,
    is_intent,
    wants_a_person,
)
from bot.prescreen.kinds import read_answer, read_follow_up
from bot.prescreen.read_back import is_button_answer, read_back
from bot.prescreen.questions import (
    display_value,
    Subject,
    answers_that_apply,
    find_question_named,
    initial_answers,
    next_question,
    wording,
)
from bot.prescreen.state import (  # noqa: F401  (the stages, State, Reply, WORDS...: used by actions/ from here)
    ASKING,
    CARRY_ON_PAYLOAD,
    CONSENT,
    DECLINED,
    DELETE_REQUESTED,
    DONE,
    FINAL_STAGES,
    FOR_WHOM,
    MISSES_BEFORE_HANDOFF,
    REVIEW,
    RULED_OUT,
    STAGES,
    STOPPED,
    WORDS,
    Reply,
    State,
    answers_list,
    answers_summary,
    apply_subject,
    begin_questions,
    button,
    current_question,
)
from bot.prescreen.topic_answers import trial_answer
from bot.prescreen.whom import (
    Whom,
    changes_subject,
    named_subject,
    names_subject,
    pronoun_leading,
    whom_by_pronouns,
    whom_said,
)
from bot.trial import replies
from bot.trial.model import Question, Trial
from bot.understanding.dialogue_words import load_dialogue_words
from bot.understanding.message_text import bounded
from bot.understanding.phrase_rules import says
from bot.understanding.reading import Reading, read_reply

def start(trial: Trial, first_message: str) -> State:
    """A new pre-screen; "check if my dad qualifies" already says for whom."""
    state = State()
    _take_whom(state, whom_said(bounded(first_message), from_opening=True))
    return state


def _take_whom(state: State, whom: Optional[Whom]) -> bool:
    """Keeps whom the questions are about; True when the reply said it."""
    if whom is None:
        return False
    state.is_self = whom[0]
    if not whom[0]:
        state.relation = whom[1]
    return True


def prompt(trial: Trial, state: State) -> Reply:
    """What the form asks now, given the stage and how many answers were missed."""
    if state.stage == CONSENT:
        assert trial.screening is not None
        return Reply(
            text=f"{trial.screening.consent}\n\n{WORDS['consent_prompt']}",
            buttons=[button(WORDS["agree"]), button(WORDS["decline"])],
        )
    if state.stage == FOR_WHOM:
        text = WORDS["for_whom"] if state.misses == 0 else WORDS["for_whom_retry"]
        return Reply(text=text, buttons=[button(WORDS["me"]), button(WORDS["someone_else"])])
    if state.stage == REVIEW:
        text = "\n".join([WORDS["review"], answers_list(trial, state.answers), "", WORDS["review_prompt"]])
        return Reply(
            text=WORDS["review_again"] if state.misses else text,
            buttons=[button(WORDS["review_confirm"]), button(WORDS["review_change"])],
        )
    if state.stage == RULED_OUT:
        return Reply(
            text=WORDS["ruled_out_choice"],
            buttons=[button(WORDS["finish"]), button(WORDS["stop_here"])],
        )
    question = current_question(trial, state)
    if question is None:
        return Reply()
    text = wording(question, state.subject())
    buttons = [button(b.title) for b in question.buttons]
    if state.misses:
        # Asked again once, with what would help; "Not sure" is one press away.
        text = f"{WORDS['not_read']} {text} ({question.example})"
        if WORDS["not_sure"] not in {b["title"] for b in buttons}:
            buttons.append(button(WORDS["not_sure"]))
    return Reply(text=text, buttons=buttons)


def step(trial: Trial, state: State, turn: Turn, today: date) -> list[Reply]:
    """Advances the pre-screen by one message; returns what to say before the next prompt.

    One route: the message is read once (bot.understanding.reading); the first move it makes
    that the stage listens for (bot.prescreen.moves: an emergency, a stop, a pause...) is
    applied; else it is the stage's own reply (an answer, a consent, whom it is about...).
    Every question it is tried against interprets that one reading.
    """
    reply = read_reply(turn.text, today)
    # Dictated punctuation ("what does that mean question mark") counts for every move.
    turn = replace(turn, text=reply.text)
    for move in moves.route(state.stage):
        if move.said(trial, state, turn, reply):
            return move.apply(trial, state, turn, reply)
    return STAGE_REPLIES.get(state.stage, _on_answer)(trial, state, turn, reply)


def _switch_subject(trial: Trial, state: State, text: str) -> list[Reply]:
    """ "Actually it's for my mom" mid-form: ask about that person from now on.

    Answers already given were about the other person, so the questions start again.
    """
    named = named_subject(text)
    if named is None:
        return []
    old = state.subject()
    is_self, relation = named
    if not is_self and relation is None and state.is_self is False:
        return []  # "someone else" when they already named whom ("my husband")
    new = Subject.self() if is_self else Subject.from_relation(relation)
    if new == old:
        return []
    given = {k: v for k, v in state.answers.items() if initial_answers(trial, old).get(k) != v}
    state.is_self, state.relation = is_self, relation
    state.answers, state.announced = {}, []
    begin_questions(trial, state)
    key = "subject_restart" if given else "subject_now"
    name = new.name if new.is_self or new.named else WORDS["the_person_you_care_for"]
    return [Reply(text=WORDS[key].format(name=name))]


def _on_consent(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    said = _yes_no(turn, reply)
    if said is None and says("consent", turn.text or ""):
        said = "yes"
    if said == "yes":
        if state.is_self is None:
            state.stage, state.misses = FOR_WHOM, 0
        else:
            begin_questions(trial, state)
        return []
    if said == "no" or says("stop", turn.text or ""):
        state.stage = DECLINED
        return [Reply(text=WORDS["declined"])]
    answered = trial_answer(trial, turn, reply)
    if answered:
        return answered
    return _missed(trial, state) or [Reply(text=WORDS["consent_retry"])]


def _yes_no(turn: Turn, reply: Reading) -> Optional[str]:
    text = (turn.text or "").strip()
    if text == WORDS["agree"]:
        return "yes"
    if text == WORDS["decline"]:
        return "no"
    said = reply.of(text).yes_no
    if said is None and turn.confidence >= QUESTION_CONFIDENCE:
        said = {"affirm": "yes", "deny": "no"}.get(turn.intent)
    return said


def _on_for_whom(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    text = turn.text or ""
    said = whom_said(text, buttons=(WORDS["me"], WORDS["someone_else"])) or whom_by_pronouns(text)
    if _take_whom(state, said):
        begin_questions(trial, state)
        return _take_first_answer(trial, state, reply)
    answered = trial_answer(trial, turn, reply)
    if answered:
        return answered
    return _missed(trial, state)


def _learn_pronoun(trial: Trial, state: State, text: str) -> None:
    """"Someone I care for", then "he is 60": the questions say "his" from now on, and the
    sex question is skipped as it is for "my husband"."""
    if state.is_self is not False or state.relation is not None:
        return
    pronoun = pronoun_leading(text)
    if pronoun is not None:
        state.relation = pronoun
        apply_subject(trial, state)


def _take_first_answer(trial: Trial, state: State, reply: Reading) -> list[Reply]:
    """"My husband was diagnosed in August" names him and answers the first question: kept,
    so it is not asked. Only an answer in words; a bare "yes" to "who?" answers nothing."""
    question = current_question(trial, state)
    if question is None or reply.yes_no is not None:
        return []
    value = read_answer(question, reply)
    if value is not None and value != "unsure":
        stored = _store_with_follow_ups(trial, state, question, value, reply)
        return [read_back(trial, state, stored, reply.today)]
    return []


def _missed(trial: Trial, state: State) -> list[Reply]:
    """One more answer we could not read; every third in a row also points to the study team.

    The question is asked again after this (with "Not sure" and "Stop" from the second miss),
    so the person can still go on; the contact route is for someone the form keeps failing.
    """
    state.misses += 1
    if state.misses % (MISSES_BEFORE_HANDOFF + 1):
        return []
    answer = replies.handoff_answer(trial, "repeated_failure")
    return [
        Reply(text=answer.text, custom=answer.payload(), handoff="repeated_failure"),
        Reply(text=WORDS["back_to_question"]),
    ]


def _on_ruled_out(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    text = turn.text or ""
    # "I meant 61 not 16": the answer that ruled them out may have been a slip.
    corrected = _correct(trial, state, reply, current=None)
    if corrected is not None:
        state.stage = ASKING
        replies = corrected + _after_answer(trial, state)
        if state.stage == ASKING and state.announced:
            state.stage = RULED_OUT  # an earlier reason still holds, so the choice stands
        return replies
    if text.strip().lower() == WORDS["stop_here"].lower() or says("stop", text) or _yes_no(turn, reply) == "no":
        state.stage = DONE  # stopping here still shows the result and its reason
        return []
    if text == WORDS["finish"] or says("continue", text) or _yes_no(turn, reply) == "yes":
        state.stage = ASKING
        if next_question(trial, state.answers) is None:
            state.stage = REVIEW
        return []
    question = next_question(trial, state.answers)
    if question is not None and reply.yes_no is None and read_answer(question, reply) is not None:
        # "33" or "female": they went on answering, so they want to finish; a bare yes or
        # no stays the answer to "finish or stop?".
        state.stage = ASKING
        return _on_answer(trial, state, turn, reply)
    answered = trial_answer(trial, turn, reply)
    return answered


def _on_answer(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
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
        switched = _switch_subject(trial, state, text)
        if switched:
            return switched
    corrected = _correct(trial, state, reply, current=question)
    if corrected is not None:
        return corrected + _after_answer(trial, state)
    _learn_pronoun(trial, state, text)
    value = read_answer(question, reply)
    if value is None and (text.strip() == WORDS["not_sure"] or _only_a_hedge(question, reply)):
        value = "unsure"
    if value is not None:
        if is_button_answer(question, text):
            _store(trial, state, question, value)
            return _after_answer(trial, state)
        stored = _store_with_follow_ups(trial, state, question, value, reply)
        return [read_back(trial, state, stored, reply.today)] + _after_answer(trial, state)
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
    return _switch_subject(trial, state, text) or _not_read(trial, state, question)


def _not_read(trial: Trial, state: State, question: Question) -> list[Reply]:
    """An answer that still cannot be read. The first time, the question comes again with
    what would help (its example: "yes, no, or not sure"); the second time, it is taken as
    "not sure" and the study team checks it. Never a hand-off: an answer that is hard to
    read is no failure of the person's, and a coordinator would mark it to check."""
    if state.misses == 0:
        state.misses = 1
        return []
    _store(trial, state, question, "unsure")
    return [Reply(text=WORDS["taken_as_unsure"].format(label=question.label))] + _after_answer(trial, state)


def _correct(
    trial: Trial, state: State, reply: Reading, current: Optional[Question], at_review: bool = False
) -> Optional[list[Reply]]:
    """A change to an earlier answer, in any wording ("actually I'm 45", "no, 4 months",
    "change my riluzole answer"): see bot.prescreen.corrections for which answer it changes."""
    found = find_correction(trial, state.answers, state.order, reply, current, at_review)
    if isinstance(found, Correction):
        return _update(trial, state, found.question, found.value)
    if isinstance(found, Redo):
        del state.answers[found.question.id]
        state.answers = answers_that_apply(trial, state.answers)
        state.order = [i for i in state.order if i in state.answers]
        state.misses = 0
        if state.stage == REVIEW:
            state.stage = ASKING
        return [Reply(text=WORDS["redo"])]
    return None


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


def _store(trial: Trial, state: State, question: Question, value: Any) -> None:
    """Keeps an answer, drops follow-ups it makes moot, and ends a run of misses."""
    state.answers[question.id] = value
    state.answers = answers_that_apply(trial, state.answers)
    state.order = [i for i in state.order if i != question.id and i in state.answers] + [question.id]
    state.misses = 0


# A reply answers at most this many questions after the one asked ("he started it last week":
# taking riluzole, and not on a steady dose for 30 days).
MAX_FOLLOW_UPS = 2


def _store_with_follow_ups(
    trial: Trial, state: State, question: Question, value: Any, reply: Reading
) -> list[tuple[Question, Any]]:
    """Stores the answer, and the answers the same words give to the questions after it."""
    _store(trial, state, question, value)
    stored = [(question, value)]
    for _ in range(MAX_FOLLOW_UPS):
        following = next_question(trial, state.answers)
        if following is None:
            break
        carried = read_follow_up(following, reply)
        if carried is None:
            break
        _store(trial, state, following, carried)
        stored.append((following, carried))
    return stored


def _update(trial: Trial, state: State, question: Question, value: Any) -> list[Reply]:
    _store(trial, state, question, value)
    return [Reply(text=WORDS["updated"].format(
        label=question.label, value=display_value(question, value)))]


def _only_a_hedge(question: Question, reply: Reading) -> bool:
    """"not sure", "maybe", "I think so": unsure, unless the hedge comes with a number
    this question could not read ("maybe 14 months back" to "how old?"): that is asked again."""
    if reply.yes_no != "unsure":
        return False
    return question.kind in ("yes_no", "recent_use") or not re.search(r"\d", reply.digits)


def _after_answer(trial: Trial, state: State) -> list[Reply]:
    """Says so at once when an answer rules the person out; ends when nothing is left."""
    fails = ruled_out(trial, state.answers)
    # A reason a correction undid is forgotten, so it is said again if it comes back.
    state.announced = [i for i in state.announced if i in {r.id for r in fails}]
    new_fails = [r for r in fails if r.id not in state.announced]
    if new_fails:
        state.announced += [r.id for r in new_fails]
        who = "you" if state.subject().is_self else state.subject().name
        reasons = "\n".join(f"- {r.reason}" for r in new_fails)
        said = [Reply(text=f"{WORDS['ruled_out'].format(who=who)}\n{reasons}")]
        state.stage = REVIEW if next_question(trial, state.answers) is None else RULED_OUT
        return said
    if next_question(trial, state.answers) is None:
        state.stage = REVIEW
    elif state.stage == REVIEW:
        state.stage = ASKING  # a changed answer opened a question ("no riluzole": when did it stop?)
    return []


def _on_review(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    """Every question is answered: the person confirms the answers, or changes one first."""
    text = turn.text or ""
    words = load_dialogue_words()
    if text.strip() == WORDS["review_confirm"] or words.confirms_review(text) or is_intent(turn, "affirm"):
        state.stage = DONE
        return []
    corrected = _correct(trial, state, reply, current=None, at_review=True)
    if corrected is not None:
        return corrected + _after_answer(trial, state)
    if text.strip() == WORDS["review_change"] or words.asks_to_change(text):
        state.misses = 1  # the list was just shown: the prompt stays short
        return [Reply(text=WORDS["which_answer"])]
    if text.rstrip().endswith("?") or len(text.split()) >= QUESTION_MIN_WORDS:
        answered = trial_answer(trial, turn, reply)
        if answered:
            return answered
    state.misses = 1
    return [Reply(text=WORDS["review_not_read"])]


def reopen_for_correction(trial: Trial, state: State, text: str, today: date) -> list[Reply]:
    """After the result, "actually I'm 59" or "change an answer" reopens the pre-screen.

    The person sees the result and notices a slip: the answer changes and the review comes
    back (or the question the change opens), so the next result is right. Only a plain
    correction reopens it: a trial question ("is 59 too old?") stays a question.
    """
    text = bounded(text)
    if state.stage != DONE or not state.answers or text.rstrip().endswith("?"):
        return []
    words = load_dialogue_words()
    reply = read_reply(text, today)
    named = find_question_named(trial, reply)
    if words.says_past_correction(text) or words.leading_soft_words(text) is not None or named is not None:
        state.stage = REVIEW
        corrected = _correct(trial, state, reply, current=None, at_review=True)
        if corrected is not None:
            return corrected + _after_answer(trial, state)
        state.stage = DONE
    if words.asks_to_change(text) and reply.yes_no is None:  # "change an answer", not a bare "no"
        state.stage, state.misses = REVIEW, 1
        return [Reply(text=WORDS["which_answer"])]
    return []


# A reply that makes no move is the stage's own; in the questions (and after a break), an answer.
STAGE_REPLIES: Mapping[str, Callable[[Trial, State, Turn, Reading], list[Reply]]] = {
    CONSENT: _on_consent,
    FOR_WHOM: _on_for_whom,
    RULED_OUT: _on_ruled_out,
    REVIEW: _on_review,
}
