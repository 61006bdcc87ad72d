"""yes_no questions: a yes, a no, a hedge, a status described, a dose that held; and the
steady-dose question read from a reply to the question before it."""
from __future__ import annotations

from typing import Optional
import re

from bot.prescreen import kinds  # read_answer, at run time (this package builds on these modules)
from bot.prescreen.kinds.medicine_use import current_use, use_words
from bot.prescreen.kinds.time_window import ASK_AGAIN, says_a_time, side_of, time_since_answer
from bot.prescreen.kinds.phrases import restates, says_phrase
from bot.trial.model import AnswerValue, Question
from bot.understanding.plain_text import phrase_words
from bot.understanding.reading import Reading


def read(question: Question, reply: Reading) -> Optional[str]:
    said = reply.yes_no
    if said == "unsure":
        return said
    if said == "no" and denies_something_else(question, reply):
        return None  # "never heard of Radicava" to the citizenship question: not its answer
    described = _read_described(question, reply)
    if described is not None:
        return described
    if question.medicine:
        using = current_use(reply, question.medicine)
        if using is True:
            return "yes" if said != "no" else None
        if using is False:
            return "no" if said != "yes" else None
    if question.condition:
        named = [m for m in reply.conditions if m.group == question.condition and not reply.negated(m)]
        if named:
            return "yes" if said != "no" else None
    timed = time_since_answer(question, reply, said)
    if timed is not None:
        return None if timed == ASK_AGAIN else timed
    if question.steady_for_days is not None or question.changed_by:
        steady = _read_steady(question, reply, said)
        if steady == ASK_AGAIN:
            return None
        if steady is not None:
            return steady
    if said is None and restates(question, reply):
        return "yes"
    if said == "no" and any(restates(question, clause) for clause in reply.clauses[1:]):
        # "he can't walk far, but we can drive there", "not a citizen yet, green card holder":
        # a no and a plain yes in another clause. Which is it? Ask again.
        return None
    return said
def denies_something_else(question: Question, reply: Reading) -> bool:
    """Whether a reply's only "no" is said of a medicine or condition that is not this
    question's own: one clause, every no-word there denying that name, nothing of this
    question restated. A careful coordinator would not take "never heard of Radicava" as "not
    a citizen", nor "he doesn't have diabetes" as "no autoimmune disease"; such a reply is
    asked again (or read by its own question, when that comes)."""
    if len(reply.clauses) > 1 or restates(question, reply):
        return False
    own = {question.medicine, question.condition} - {None}
    names = [*reply.medications, *reply.conditions]
    if not names or any(name.group in own for name in names):
        return False
    return all(reply.negated(name) for name in names)


# When a reply describes several statuses, the answer that weighs most: one that meets the
# question outweighs one that surely does not, which outweighs one for the study team
# ("moved here from Mexico and have our green cards": yes; "tourist visa": a visit, no).
DESCRIBED_WEIGHT = ("yes", "no", "unsure")


def _read_described(question: Question, reply: Reading) -> Optional[str]:
    """The answer the statuses a reply describes give (the question's `described_by`), or
    None when it describes none of them. A hedge or a pending state is read before this."""
    if not question.described_by:
        return None
    meaning = {d.kind: d for d in question.described_by}
    answers = set()
    for described in reply.descriptions:
        said_as = meaning.get(described.kind)
        if said_as is not None:
            answer = said_as.negated if described.negated else said_as.said
            if answer is not None:
                answers.add(answer)
    return next((a for a in DESCRIBED_WEIGHT if a in answers), None)


def _read_steady(question: Question, reply: Reading, said: Optional[str]) -> Optional[str]:
    """Whether something stayed the same long enough, from how the person says it.

    "no change" / "hasn't changed" deny a change: yes. A change said plainly is a no,
    unless it was at least `steady_for_days` ago ("they upped it in March"). A span or a
    start without a change ("same dose for 8 months", "since January") is a yes when long
    enough and a no when not. None leaves the plain yes/no reading; ASK_AGAIN overrules it
    ("yes it changed" says both).
    """
    days = reply.without_frequency.days_since
    steady = question.steady_for_days
    changes = "|".join(re.escape(word) for word in question.changed_by)
    said_changes = list(re.finditer(rf"\b(?:{changes})\b", reply.text.lower())) if changes else []
    if said_changes:
        # Negated in the same clause: "no change", "hasn't been changed", "never adjusted".
        if any(reply.negated_at(m.start()) for m in said_changes):
            return "yes" if said != "unsure" else None
        if days is not None and steady is not None:
            return side_of(days, steady, at_least="yes", below="no")
        return ASK_AGAIN if said == "yes" else "no"  # "yes it changed": which is it?
    if days is not None and steady is not None and said != "no":
        return side_of(days, steady, at_least="yes", below="no")
    return None


def follow_up(question: Question, reply: Reading) -> Optional[AnswerValue]:
    """A steady-dose question (`steady_for_days` / `changed_by`) read from the reply to the
    question before it: a change or steadiness said, or a start said with a time (a 'no')."""
    if question.steady_for_days is None and not question.changed_by:
        return None
    changes = "|".join(re.escape(word) for word in question.changed_by)
    says_change = bool(changes) and re.search(rf"\b(?:{changes})\b", reply.text.lower()) is not None
    says_steady = any(says_phrase(reply.words, phrase_words(phrase)) for phrase in question.affirmed_by)
    if says_change or says_steady:
        return kinds.read_answer(question, reply)
    use = use_words()
    says_use = any(p.search(reply.joined) for p in (use.started, use.restarted, use.current))
    if says_use and says_a_time(reply):
        value = kinds.read_answer(question, reply)
        return value if value == "no" else None
    return None
