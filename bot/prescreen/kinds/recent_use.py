"""recent_use questions: taken within the question's days? A time since the last dose decides on
its own; one across the line is kept as those days, for the study team."""
from __future__ import annotations

from typing import Optional

from bot.prescreen import kinds  # read_answer, at run time (this package builds on these modules)
from bot.prescreen.kinds.medicine_use import current_use, plans, use_words
from bot.prescreen.kinds.time_window import last_use, read_window, says_a_time
from bot.trial.model import AnswerValue, Question
from bot.understanding.reading import Reading


def read(question: Question, reply: Reading) -> Optional[str]:
    assert question.within_days is not None
    joined, use = reply.joined, use_words()
    # "No longer takes it" says it was stopped, not whether it was taken in the window.
    said = reply.without_ended.yes_no
    planned = plans(joined)
    if question.includes_plans and planned:
        return "yes"
    if reply.says_never:
        return "no"
    using = current_use(reply, question.medicine)
    if using is True:
        return "yes"
    window = reply.window
    if window is not None:
        return read_window(window, question.within_days, said)
    days = reply.days_ago
    if days is not None:
        if use.since.search(joined) and said != "no" and using is not False:
            return None  # "since March": taking it since then, or not since then?
        return last_use(days, question.within_days)
    if using is False and said is None:
        return None  # "he stopped": when matters, so ask again
    if planned:
        return None  # "will start it next week" does not say whether any was taken lately
    meds = reply.medications
    if said is None and not reply.text.rstrip().endswith("?") and any(m.group == question.medicine for m in meds):
        return "yes"  # "methotrexate for RA": naming this question's medicine as the answer
    if said is None and meds:
        return None  # names another medicine but says nothing we can use
    return said


def follow_up(question: Question, reply: Reading) -> Optional[AnswerValue]:
    if not any(m.group == question.medicine for m in reply.medications):
        return None
    if not (says_a_time(reply) or reply.says_never):
        return None
    return kinds.read_answer(question, reply)
